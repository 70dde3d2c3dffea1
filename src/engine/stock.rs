//! Block summaries of one item's stock changes, for the materials rule's question "from when
//! can `q` be taken?" ([`super::materials::material_from`]) in O(n/B + B) instead of a scan
//! of the whole list: at 10,000 operations each raw item has hundreds of changes, and every
//! placement of a consuming operation asked once.
//!
//! Exact, not approximate: it is used only for items whose quantities are all integers with
//! an absolute sum below 2^52 ([`crate::model::compact::Compact::is_exact`]). Every partial
//! sum of such an item's changes is then an exactly represented integer, whatever the order of
//! the additions, so the levels computed from block sums equal the scan's bit for bit and every
//! comparison (with the same tolerance) comes out the same.

use crate::model::secondary::STOCK_EPS;
use crate::model::Minute;

/// Changes per block.
const B: usize = 32;

/// Per block of `B` consecutive changes `(at, delta)` of one item's sorted list: the sum of
/// its deltas, and the lowest partial sum (from the block's start) at the end of a group of
/// changes at one instant (`f64::INFINITY` when no group ends inside the block).
#[derive(Debug, Clone, Default)]
pub struct StockBlocks(Vec<(f64, f64)>);

/// Whether change `j` is the last of its instant (the stock level after it is one the item
/// holds for a while).
#[inline]
fn group_end(ev: &[(Minute, f64)], j: usize) -> bool {
    ev.get(j + 1).is_none_or(|next| next.0 != ev[j].0)
}

impl StockBlocks {
    /// Brings the summaries up to date with `ev` after a change of `ev` from index `from` on
    /// (an insertion at `i` changes the blocks from `i - 1`'s on: `i - 1` may stop ending its
    /// group). The summaries before `from`'s block must be those of the same changes.
    pub fn refresh(&mut self, ev: &[(Minute, f64)], from: usize) {
        let n = ev.len();
        let k0 = (from / B).min(self.0.len());
        self.0.truncate(k0);
        for k in k0..n.div_ceil(B) {
            let (mut sum, mut low) = (0.0f64, f64::INFINITY);
            let a = k * B;
            for (e, j) in ev[a..((k + 1) * B).min(n)].iter().zip(a..) {
                sum += e.1;
                if group_end(ev, j) {
                    low = low.min(sum);
                }
            }
            self.0.push((sum, low));
        }
    }

    /// [`super::materials::material_from`] for an exact item whose changes are `ev` (these
    /// summaries up to date) and whose stock after all of them is `level`.
    ///
    /// The answer is the instant of the group after the last group whose level is short of
    /// `q` (`Minute::MIN` when none is, `None` when the final level is): walk the blocks
    /// backwards from the final level, and scan only the block that holds that group.
    pub fn material_from(&self, level: f64, ev: &[(Minute, f64)], q: f64) -> Option<Minute> {
        debug_assert_eq!(self.0.len(), ev.len().div_ceil(B));
        if level + STOCK_EPS < q {
            return None;
        }
        let mut end = level;
        for (k, &(sum, low)) in self.0.iter().enumerate().rev() {
            let start = end - sum;
            if start + low + STOCK_EPS < q {
                let mut at = start;
                let mut short = None;
                let a = k * B;
                for (e, j) in ev[a..((k + 1) * B).min(ev.len())].iter().zip(a..) {
                    at += e.1;
                    if group_end(ev, j) && at + STOCK_EPS < q {
                        short = Some(j);
                    }
                }
                if let Some(j) = short {
                    return Some(ev.get(j + 1).map_or(Minute::MAX, |e| e.0));
                }
            }
            end = start;
        }
        // `end` is now the initial stock, held before the first change.
        if end + STOCK_EPS < q {
            return Some(ev.first().map_or(Minute::MAX, |e| e.0));
        }
        Some(Minute::MIN)
    }
}

#[cfg(test)]
mod tests {
    use super::super::materials::material_from;
    use super::*;
    use rand::rngs::StdRng;
    use rand::{RngExt, SeedableRng};

    /// Random whole-number changes, many at shared instants, inserted in random order: after
    /// each insertion every quantity gets the scan's answer.
    #[test]
    fn blocks_answer_as_the_scan() {
        let mut rng = StdRng::seed_from_u64(99);
        let mut next = |n: u64| rng.random_range(0..n);
        for initial in [0.0, 5.0, 40.0] {
            let mut ev: Vec<(Minute, f64)> = Vec::new();
            let mut blocks = StockBlocks::default();
            blocks.refresh(&ev, 0);
            let mut level = initial;
            for step in 0..300 {
                let at = next(150) as Minute;
                let delta = next(9) as f64 - if step % 4 == 0 { 1.0 } else { 4.0 };
                let i = ev.partition_point(|e| e.0 <= at);
                ev.insert(i, (at, delta));
                blocks.refresh(&ev, i.saturating_sub(1));
                level += delta;
                for q in [0.0, 1.0, 2.0, 3.0, 6.0, 15.0, 60.0] {
                    assert_eq!(
                        blocks.material_from(level, &ev, q),
                        material_from(initial, &ev, q),
                        "initial {initial} step {step} q {q}"
                    );
                }
            }
            assert!(ev.len() > 4 * B);
        }
    }
}
