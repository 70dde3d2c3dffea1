//! Rule family "materials": an operation takes its consumption from an item's stock at its
//! start, and the stock must never go negative later (later consumptions placed before it keep
//! their stock). Receipts and jobs' productions (at their completion) add to it. The state is
//! one sorted list of stock changes per item.

use super::stock::StockBlocks;
use super::{Blocked, Placement, Push, Request, Rule, Wait};
use crate::model::secondary::STOCK_EPS;
use crate::model::{ItemId, JobId, Minute, OpId, Problem};

/// The stock changes placed so far; reused across decodes.
#[derive(Debug, Clone, Default)]
pub struct Materials {
    /// Per item, stock changes `(at, delta)` sorted by time (receipts, placed consumptions and
    /// productions); the initial stock is `Item::initial`.
    stock: Vec<Vec<(Minute, f64)>>,
    /// The last operation checked and its earliest start for materials (with the item that set
    /// it). That bound depends on the stock only, not on the tentative placement, while the
    /// engine re-checks every rule each time another rule moves the placement: computing it
    /// once per stock state saves a scan of the item's whole event list per round. Cleared
    /// whenever the stock changes.
    last: Option<(OpId, MaterialBound)>,
    /// `available_from` answers for the current stock, by (item, quantity): a list scheduler
    /// asks the same question for every candidate between two bookings, while each answer
    /// scans the item's whole list (cleared at every change).
    memo: Vec<(ItemId, f64, Option<Minute>)>,
    /// Per item, the initial stock plus every change in `stock`, and block summaries of
    /// `stock`: for the items whose arithmetic is exact
    /// ([`crate::model::compact::Compact::is_exact`]), [`StockBlocks::material_from`]
    /// answers from these without scanning the list (src/engine/stock.rs). Kept for every
    /// item, read only for exact ones (the others scan, in list order, as always).
    level: Vec<f64>,
    blocks: Vec<StockBlocks>,
}

/// The earliest start an operation's consumption allows, with the first item that needs it
/// (`Ok(None)`: any start), or the item the stock never covers.
type MaterialBound = Result<Option<(Minute, ItemId)>, Blocked>;

/// The earliest instant from which `q` can be taken from a stock of `initial` plus the changes
/// `ev` (sorted by time) without the stock ever going negative later; `Minute::MIN` when any
/// time will do, `None` when never.
///
/// With event groups at times τ₁ < … < τ_G and `S_g` the stock from τ_g on (`S_0` the initial
/// stock), taking `q` at `t ∈ [τ_g, τ_{g+1})` is feasible iff `min_{h ≥ g} S_h ≥ q`; that
/// suffix minimum grows with `g`, so the answer is the first group where it reaches `q`.
pub fn material_from(initial: f64, ev: &[(Minute, f64)], q: f64) -> Option<Minute> {
    let mut level = initial + ev.iter().map(|e| e.1).sum::<f64>();
    if level + STOCK_EPS < q {
        return None;
    }
    let mut suffix_min = level;
    let mut next_group = Minute::MAX;
    let mut k = ev.len();
    while k > 0 {
        let t = ev[k - 1].0;
        suffix_min = suffix_min.min(level);
        if suffix_min + STOCK_EPS < q {
            return Some(next_group);
        }
        while k > 0 && ev[k - 1].0 == t {
            level -= ev[k - 1].1;
            k -= 1;
        }
        next_group = t;
    }
    // `level` is now the initial stock, held before the first event.
    if suffix_min.min(level) + STOCK_EPS < q {
        return Some(next_group);
    }
    Some(Minute::MIN)
}

impl Materials {
    /// Stock = receipts only.
    pub fn reset(&mut self, problem: &Problem) {
        self.last = None;
        self.memo.clear();
        self.stock.resize_with(problem.items.len(), Vec::new);
        for (s, item) in self.stock.iter_mut().zip(&problem.items) {
            s.clear();
            s.extend_from_slice(&item.receipts);
        }
        self.level.clear();
        self.level.extend(
            problem
                .items
                .iter()
                .map(|item| item.initial + item.receipts.iter().map(|r| r.1).sum::<f64>()),
        );
        self.blocks
            .resize_with(problem.items.len(), StockBlocks::default);
        for (b, ev) in self.blocks.iter_mut().zip(&self.stock) {
            b.refresh(ev, 0);
        }
    }

    /// The earliest instant from which `q` of `item` can be taken given what is placed.
    pub fn available_from(&self, problem: &Problem, item: ItemId, q: f64) -> Option<Minute> {
        let ev = &self.stock[item.idx()];
        if problem.compact().is_exact(item) {
            self.blocks[item.idx()].material_from(self.level[item.idx()], ev, q)
        } else {
            material_from(problem.items[item.idx()].initial, ev, q)
        }
    }

    /// Books a job's production at its completion.
    pub fn produce(&mut self, problem: &Problem, job: JobId, at: Minute) {
        for &(item, q) in &problem.job(job).produce {
            self.add(item, at, q);
        }
    }

    /// The earliest start at which every consumption in `consume` can be taken, with the first
    /// item that needs that late a start (`None`: any start will do).
    fn earliest(&mut self, problem: &Problem, consume: &[(ItemId, f64)]) -> MaterialBound {
        let mut bound: Option<(Minute, ItemId)> = None;
        for &(item, qty) in consume {
            let t = self
                .available_from_memo(problem, item, qty)
                .ok_or(Blocked::Material(item))?;
            if bound.is_none_or(|(b, _)| t > b) {
                bound = Some((t, item));
            }
        }
        Ok(bound)
    }

    /// [`Self::available_from`], remembered until the stock changes.
    fn available_from_memo(&mut self, problem: &Problem, item: ItemId, q: f64) -> Option<Minute> {
        if let Some(&(_, _, t)) = self.memo.iter().find(|m| m.0 == item && m.1 == q) {
            return t;
        }
        let t = self.available_from(problem, item, q);
        if self.memo.len() >= 64 {
            self.memo.clear();
        }
        self.memo.push((item, q, t));
        t
    }

    fn add(&mut self, item: ItemId, at: Minute, delta: f64) {
        self.last = None;
        self.memo.clear();
        let ev = &mut self.stock[item.idx()];
        let i = ev.partition_point(|e| e.0 <= at);
        ev.insert(i, (at, delta));
        // (Meaningful for exact items only, see the fields.)
        self.level[item.idx()] += delta;
        self.blocks[item.idx()].refresh(ev, i.saturating_sub(1));
    }
}

impl Rule for Materials {
    /// The start must be at or after every consumed item's first feasible instant.
    fn check(
        &mut self,
        problem: &Problem,
        q: &Request,
        pl: &Placement,
    ) -> Result<Option<(Push, Wait)>, Blocked> {
        if !problem.compact().core(q.op).consumes() {
            return Ok(None);
        }
        let consume = problem.compact().consume(q.op);
        let bound = match self.last {
            Some((op, bound)) if op == q.op => bound,
            _ => {
                let bound = self.earliest(problem, consume);
                self.last = Some((q.op, bound));
                bound
            }
        };
        Ok(match bound? {
            Some((t, item)) if t > pl.start => Some((Push::Ready(t), Wait::Material(item))),
            _ => None,
        })
    }

    fn commit(&mut self, problem: &Problem, q: &Request, pl: &Placement) {
        for &(item, qty) in problem.compact().consume(q.op) {
            self.add(item, pl.start, -qty);
        }
    }

    /// Receipts are dated, but stock only grows past the last one: nothing repeats, and a
    /// shortage is reported by `check` itself.
    fn periodic_after(&self, _problem: &Problem) -> Minute {
        Minute::MIN
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{generate, GenConfig};
    use crate::model::parse_instance;
    use rand::rngs::StdRng;
    use rand::{RngExt, SeedableRng};

    /// The kept final level of exact items answers as the full scan: random whole-number
    /// consumptions and productions at random times, every quantity asked after each.
    #[test]
    fn kept_level_answers_as_the_scan() {
        let cfg = GenConfig {
            jobs: 30,
            machines: 6,
            seed: 5,
            materials: true,
            ..GenConfig::default()
        };
        let p = parse_instance(&generate(&cfg), "t").unwrap();
        assert!(!p.items().is_empty());
        let mut m = Materials::default();
        m.reset(&p);
        let mut rng = StdRng::seed_from_u64(12345);
        let mut next = |n: u64| rng.random_range(0..n);
        for step in 0..400 {
            let item = ItemId(next(p.items().len() as u64) as u32);
            assert!(p.compact().is_exact(item));
            let at = next(20_000) as Minute;
            let delta = next(9) as f64 - if step % 3 == 0 { 2.0 } else { 5.0 };
            m.add(item, at, delta);
            for (i, it) in p.items().iter().enumerate() {
                let i = ItemId(i as u32);
                for q in [0.0, 1.0, 2.0, 3.5, 7.0, 20.0, 1e3] {
                    assert_eq!(
                        m.available_from(&p, i, q),
                        material_from(it.initial, &m.stock[i.idx()], q),
                        "step {step} item {i:?} q {q}"
                    );
                }
            }
        }
    }

    #[test]
    fn first_instant_the_stock_stays_covered() {
        // 5 in stock, +10 at 100, -12 at 200 (a consumption placed earlier).
        let ev = [(100, 10.0), (200, -12.0)];
        assert_eq!(material_from(5.0, &ev, 3.0), Some(Minute::MIN));
        // Taking 4 before 100 leaves 1 + 10 - 12 < 0 at 200; from 100 on it leaves... also < 0.
        assert_eq!(material_from(5.0, &ev, 4.0), None);
        let ev = [(100, 10.0), (200, -6.0)];
        assert_eq!(material_from(5.0, &ev, 6.0), Some(100));
        assert_eq!(material_from(5.0, &ev, 9.0), Some(100));
        assert_eq!(material_from(5.0, &ev, 9.5), None);
        assert_eq!(material_from(0.0, &[(50, 2.0), (60, 2.0)], 4.0), Some(60));
    }
}
