//! A compact, contiguous copy of what placing an operation reads, built once with the
//! [`Problem`](super::Problem)'s index maps.
//!
//! Why: the priority decoder places operations in priority order, which jumps across the
//! operation list; each placement read its operation (a struct of three cache lines with its
//! name), the operation's modes, requirements and consumption (three more heap blocks
//! scattered by parsing), its job, and the operation before it on the machine. At 10,000
//! operations with operators and materials a third of a placement went to those cache misses
//! (issue 14). Here one [`OpCore`] of 32 bytes holds the fixed-size part (two per cache line)
//! and the variable-size parts are flat arrays in operation order, so a placement touches a
//! few neighbouring lines. The data are the same as the operations' (a copy, never a second
//! source: only [`Compact::build`] writes it, from the validated operations).

use super::problem::{FamilyId, Job, JobId, MachineId, Mode, OpId, Operation, Requirement};
use super::secondary::{Item, ItemId};
use super::time::Minute;

/// The fixed-size part of an operation that a placement reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpCore {
    /// [`super::Problem::op_release`]: the job's release, or the operation's `not_before`.
    pub release: Minute,
    pub job: JobId,
    /// `FamilyId.0`, or `NO_FAMILY`.
    family: u32,
    /// Start of the operation's modes in [`Compact::modes`], requirements in
    /// [`Compact::require`], consumption in [`Compact::consume`]; each ends where the next
    /// operation's starts (a last, sentinel core holds the ends).
    modes: u32,
    require: u32,
    consume: u32,
    flags: u8,
}

const NO_FAMILY: u32 = u32::MAX;
const HAS_PRED: u8 = 1;
const LAST_OF_JOB: u8 = 2;
const PINNED: u8 = 4;
const ATOMIC: u8 = 8;
/// The last operation of a job that produces something.
const PRODUCES: u8 = 16;
const CONSUMES: u8 = 32;

impl OpCore {
    #[inline]
    pub fn family(&self) -> Option<FamilyId> {
        (self.family != NO_FAMILY).then_some(FamilyId(self.family))
    }
    /// Not the first of its routing.
    #[inline]
    pub fn has_pred(&self) -> bool {
        self.flags & HAS_PRED != 0
    }
    #[inline]
    pub fn is_last_of_job(&self) -> bool {
        self.flags & LAST_OF_JOB != 0
    }
    #[inline]
    pub fn is_pinned(&self) -> bool {
        self.flags & PINNED != 0
    }
    #[inline]
    pub fn is_atomic(&self) -> bool {
        self.flags & ATOMIC != 0
    }
    /// The last operation of a job with a production.
    #[inline]
    pub fn completes_production(&self) -> bool {
        self.flags & PRODUCES != 0
    }
    #[inline]
    pub fn consumes(&self) -> bool {
        self.flags & CONSUMES != 0
    }
}

/// The compact operation table (see the module documentation).
#[derive(Debug, Clone, Default)]
pub struct Compact {
    /// One core per operation, then a sentinel (the ends of the last operation's ranges).
    cores: Vec<OpCore>,
    /// Every operation's modes, in operation order.
    modes: Vec<Mode>,
    /// Every operation's requirements, in operation order.
    require: Vec<Requirement>,
    /// Every operation's consumption, in operation order.
    consume: Vec<(ItemId, f64)>,
    /// Per item: all its quantities (initial stock, receipts, consumptions, productions) are
    /// integers whose absolute sum fits in f64's 53-bit mantissa, so every partial sum of its
    /// stock changes is exact in any order (stock arithmetic may then be reordered without
    /// changing a single result).
    exact_items: Vec<bool>,
}

/// An index into a flat array (an instance with 2^32 modes would not fit in memory anyway).
fn index(len: usize) -> u32 {
    u32::try_from(len).expect("fewer than 2^32 entries")
}

impl Compact {
    /// The table of `ops` (of `jobs`, consuming and producing `items`).
    pub fn build(jobs: &[Job], ops: &[Operation], items: &[Item]) -> Compact {
        let mut c = Compact {
            cores: Vec::with_capacity(ops.len() + 1),
            modes: Vec::with_capacity(ops.iter().map(|o| o.modes.len()).sum()),
            require: Vec::with_capacity(ops.iter().map(|o| o.require.len()).sum()),
            consume: Vec::with_capacity(ops.iter().map(|o| o.consume.len()).sum()),
            exact_items: exact_items(jobs, ops, items),
        };
        for (i, op) in ops.iter().enumerate() {
            let job = &jobs[op.job.idx()];
            let last = job.last_op().idx() == i;
            let mut flags = 0;
            for (on, flag) in [
                (op.index > 0, HAS_PRED),
                (last, LAST_OF_JOB),
                (op.pinned.is_some(), PINNED),
                (op.atomic, ATOMIC),
                (last && !job.produce.is_empty(), PRODUCES),
                (!op.consume.is_empty(), CONSUMES),
            ] {
                if on {
                    flags |= flag;
                }
            }
            c.cores.push(OpCore {
                release: op.not_before.map_or(job.release, |nb| job.release.max(nb)),
                job: op.job,
                family: op.family.map_or(NO_FAMILY, |f| f.0),
                modes: index(c.modes.len()),
                require: index(c.require.len()),
                consume: index(c.consume.len()),
                flags,
            });
            c.modes.extend_from_slice(&op.modes);
            c.require.extend(op.require.iter().cloned());
            c.consume.extend_from_slice(&op.consume);
        }
        c.cores.push(OpCore {
            release: 0,
            job: JobId(0),
            family: NO_FAMILY,
            modes: index(c.modes.len()),
            require: index(c.require.len()),
            consume: index(c.consume.len()),
            flags: 0,
        });
        c
    }

    /// Whether stock arithmetic on `item` is exact (see the field).
    #[inline]
    pub fn is_exact(&self, item: ItemId) -> bool {
        self.exact_items[item.idx()]
    }

    /// The core of operation `o`.
    #[inline]
    pub fn core(&self, o: OpId) -> &OpCore {
        &self.cores[o.idx()]
    }

    /// The modes of operation `o`.
    #[inline]
    pub fn modes(&self, o: OpId) -> &[Mode] {
        let i = o.idx();
        &self.modes[self.cores[i].modes as usize..self.cores[i + 1].modes as usize]
    }

    /// The duration of operation `o` on `m`, `None` when `m` is not eligible
    /// ([`Operation::duration_on`]).
    #[inline]
    pub fn duration_on(&self, o: OpId, m: MachineId) -> Option<Minute> {
        self.modes(o)
            .iter()
            .find(|mode| mode.machine == m)
            .map(|mode| mode.duration)
    }

    /// The requirements of operation `o`.
    #[inline]
    pub fn require(&self, o: OpId) -> &[Requirement] {
        let i = o.idx();
        &self.require[self.cores[i].require as usize..self.cores[i + 1].require as usize]
    }

    /// The consumption of operation `o`.
    #[inline]
    pub fn consume(&self, o: OpId) -> &[(ItemId, f64)] {
        let i = o.idx();
        &self.consume[self.cores[i].consume as usize..self.cores[i + 1].consume as usize]
    }
}

/// [`Compact::is_exact`] of every item: integral quantities whose absolute sum (initial,
/// receipts, then consumptions in operation order, then productions in job order) stays
/// below 2^52.
fn exact_items(jobs: &[Job], ops: &[Operation], items: &[Item]) -> Vec<bool> {
    let mut integral = vec![true; items.len()];
    let mut sum = vec![0.0f64; items.len()];
    let mut add = |item: usize, x: f64| {
        integral[item] &= x.fract() == 0.0;
        sum[item] += x.abs();
    };
    for (i, item) in items.iter().enumerate() {
        add(i, item.initial);
        for r in &item.receipts {
            add(i, r.1);
        }
    }
    let consumed = ops.iter().flat_map(|o| &o.consume);
    let produced = jobs.iter().flat_map(|j| &j.produce);
    for &(item, q) in consumed.chain(produced) {
        add(item.idx(), q);
    }
    integral
        .iter()
        .zip(&sum)
        .map(|(&integral, &sum)| integral && sum < (1u64 << 52) as f64)
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::generate::{generate, GenConfig};
    use crate::model::{parse_instance, OpId};

    /// Every field of the table equals what the operations and jobs say.
    #[test]
    fn the_table_agrees_with_the_operations() {
        let cfg = GenConfig {
            jobs: 40,
            machines: 8,
            plants: 2,
            seed: 3,
            operators: 2,
            materials: true,
            ..GenConfig::default()
        };
        let p = parse_instance(&generate(&cfg), "t").unwrap();
        let c = p.compact();
        let mut consuming = 0;
        for (i, op) in p.ops().iter().enumerate() {
            let o = OpId(i as u32);
            let core = c.core(o);
            let job = p.job(op.job);
            let release = match op.not_before {
                Some(nb) => job.release.max(nb),
                None => job.release,
            };
            assert_eq!(core.release, release);
            assert_eq!(core.job, op.job);
            assert_eq!(core.family(), op.family);
            assert_eq!(core.has_pred(), op.index > 0);
            assert_eq!(core.is_last_of_job(), job.last_op() == o);
            assert_eq!(core.is_pinned(), op.pinned.is_some());
            assert_eq!(core.is_atomic(), op.atomic);
            assert_eq!(
                core.completes_production(),
                job.last_op() == o && !job.produce.is_empty()
            );
            assert_eq!(c.modes(o), &op.modes[..]);
            for m in p.machines().iter().enumerate() {
                let m = crate::model::MachineId(m.0 as u32);
                assert_eq!(c.duration_on(o, m), op.duration_on(m));
            }
            assert_eq!(c.require(o), &op.require[..]);
            assert_eq!(c.consume(o), &op.consume[..]);
            assert_eq!(core.consumes(), !op.consume.is_empty());
            consuming += usize::from(core.consumes());
        }
        // Generated quantities are whole numbers.
        for i in 0..p.items().len() {
            assert!(c.is_exact(crate::model::ItemId(i as u32)));
        }
        // The instance exercises the variable parts.
        assert!(consuming > 0);
        assert!(p.ops().iter().any(|op| !op.require.is_empty()));
        assert!(p.ops().iter().any(|op| op.modes.len() > 1));
    }
}
