//! Secondary resources and materials in the list scheduler: the shared booking state, and which
//! kept candidates a booking can have changed.
//!
//! A candidate is its job's next operation placed by [`Engine::fit`]: the earliest placement on
//! each mode that every rule accepts, the earliest of those over the modes. A booking only
//! *adds* usage to a resource or takes stock (a tightening), except a job's production, which
//! adds stock. Under a tightening no mode's earliest accepted placement gets earlier, so a
//! candidate whose placement `P` the rules still accept is unchanged (the fit would find `P`
//! again: it never skips an accepted placement, and nothing before `P` became acceptable).
//! And the rules' verdict on `P` can only change if the booking touches what they read at `P`:
//! a resource the operation or its changeover may take, over `[P.setup_start, P.end)`, or the
//! stock of an item it consumes.
//!
//! So instead of placing every job's operation again after every booking (the 63 s at 10k
//! operations with operators and materials), a booking flags only the candidates it overlaps,
//! and those are checked: a resource overlap by fitting the best mode again (equal placement:
//! kept), a consumption by the item's availability against the start (cheap, memoised per
//! quantity). A production (more stock: earlier placements may become acceptable) makes its
//! consumers stale. Candidates whose requirements share a resource between two requirements
//! (the greedy option choice is not monotone there) are made stale by any overlap. The
//! schedule is the same as recomputing every candidate at every step, which `exhaustive` still
//! does (the reference for the tests).

use super::Candidate;
use crate::engine::{materials::Materials, Engine, Placement, Request, Rule as EngineRule};
use crate::model::{ItemId, JobId, Minute, OpId, Problem, Requirement};

/// A booking on a resource over this window may have changed the candidate.
const RESOURCE: u8 = 1;
/// A consumption of an item the candidate's operation consumes.
const STOCK_TAKEN: u8 = 2;

/// A kept candidate's window on one resource (live while `version` is its job's).
#[derive(Clone, Copy)]
struct Watch {
    job: u32,
    version: u32,
    from: Minute,
    to: Minute,
}

pub(super) struct Secondary {
    /// The resources' and materials' booking state (what the candidates are fitted against).
    pub(super) engine: Engine,
    /// The recompute-everything reference: no watches, every job stale at every step.
    pub(super) exhaustive: bool,
    /// The same stock as `engine`'s, for availability look-ups without a full fit.
    stock: Materials,
    /// Per job, bumped at each [`watch`](Self::watch): older watches are dead.
    version: Vec<u32>,
    /// Per job: its operation's (or changeover's) requirements share a resource.
    shared_options: Vec<bool>,
    on_resource: Vec<Vec<Watch>>,
    /// Per item, the (job, version) whose next operation consumes it.
    on_item: Vec<Vec<(u32, u32)>>,
    /// Jobs a booking made stale, and jobs to check (with `flags`), since the last drain.
    stale: Vec<u32>,
    check: Vec<u32>,
    flags: Vec<u8>,
    /// Productions booked so far (the only bookings that relax: more stock).
    pub(super) productions: u32,
    /// Item availability by (item, quantity) in the current stock.
    memo: Vec<(ItemId, f64, Option<Minute>)>,
}

impl Secondary {
    pub(super) fn new(problem: &Problem, exhaustive: bool) -> Self {
        let mut engine = Engine::default();
        engine.reset(problem);
        let mut stock = Materials::default();
        stock.reset(problem);
        let jobs = problem.jobs.len();
        Secondary {
            engine,
            exhaustive,
            stock,
            version: vec![0; jobs],
            shared_options: vec![false; jobs],
            on_resource: vec![Vec::new(); problem.resources.len()],
            on_item: vec![Vec::new(); problem.items.len()],
            stale: Vec::new(),
            check: Vec::new(),
            flags: vec![0; jobs],
            productions: 0,
            memo: Vec::new(),
        }
    }

    /// Job `j`'s candidate `c` for operation `o` was just computed: watch what it depends on.
    pub(super) fn watch(&mut self, problem: &Problem, j: usize, o: OpId, c: Option<&Candidate>) {
        if self.exhaustive {
            return;
        }
        self.version[j] = self.version[j].wrapping_add(1);
        let v = self.version[j];
        let op = problem.op(o);
        for &(item, _) in &op.consume {
            self.on_item[item.idx()].push((j as u32, v));
        }
        let Some(c) = c else {
            // Nothing fits: a tightening keeps it so; productions and machines are watched.
            return;
        };
        let co: &[Requirement] = if c.setup > 0 {
            &problem.machine(c.machine).changeover_require
        } else {
            &[]
        };
        let shared = shares_options(&op.require) || shares_options(co);
        self.shared_options[j] = shared;
        // With shared options a booking anywhere may make an earlier start fit.
        let (from, to) = if shared {
            (Minute::MIN, Minute::MAX)
        } else {
            (c.setup_start, c.end)
        };
        let all = || op.require.iter().chain(co).flat_map(|q| &q.options);
        for (k, &r) in all().enumerate() {
            if all().take(k).any(|&x| x == r) {
                continue;
            }
            self.on_resource[r.idx()].push(Watch {
                job: j as u32,
                version: v,
                from,
                to,
            });
        }
    }

    fn flag(&mut self, j: u32, what: u8) {
        let f = &mut self.flags[j as usize];
        if *f == 0 {
            self.check.push(j);
        }
        *f |= what;
    }

    /// Fits and books `q` (as the decoder would place it: the same engine) and flags the
    /// candidates the booking may have changed. `None` when it does not fit (nothing booked).
    pub(super) fn book(&mut self, problem: &Problem, q: &Request) -> Option<Placement> {
        let pl = self.engine.fit(problem, q).ok()?.placement;
        let n_op = problem.op(q.op).require.len();
        for k in 0..self.engine.chosen().len() {
            let r = self.engine.chosen()[k];
            let (a, b) = if k < n_op {
                (pl.start, pl.end)
            } else {
                (pl.setup_start, pl.start)
            };
            let mut list = std::mem::take(&mut self.on_resource[r.idx()]);
            list.retain(|w| {
                if self.version[w.job as usize] != w.version {
                    return false;
                }
                if w.from < b && a < w.to {
                    self.flag(w.job, RESOURCE);
                }
                true
            });
            self.on_resource[r.idx()] = list;
        }
        self.engine.commit(problem, q, &pl);
        self.stock.commit(problem, q, &pl);
        for &(item, _) in &problem.op(q.op).consume {
            self.memo.clear();
            let mut list = std::mem::take(&mut self.on_item[item.idx()]);
            list.retain(|&(j, v)| {
                let live = self.version[j as usize] == v;
                if live {
                    self.flag(j, STOCK_TAKEN);
                }
                live
            });
            self.on_item[item.idx()] = list;
        }
        Some(pl)
    }

    /// Books job `job`'s production at its completion `at`: its items' consumers are stale
    /// (more stock may let them start earlier).
    pub(super) fn produce(&mut self, problem: &Problem, job: JobId, at: Minute) {
        self.engine.produce(problem, job, at);
        self.stock.produce(problem, job, at);
        self.productions += 1;
        for &(item, _) in &problem.job(job).produce {
            self.memo.clear();
            for (j, v) in self.on_item[item.idx()].drain(..) {
                if self.version[j as usize] == v {
                    self.stale.push(j);
                }
            }
        }
    }

    /// The jobs made stale since the last call, and then the flagged ones with their flags
    /// (emptied), for [`holds`](Self::holds).
    pub(super) fn drain(&mut self) -> (Vec<u32>, Vec<(u32, u8)>) {
        let stale = std::mem::take(&mut self.stale);
        let mut check = std::mem::take(&mut self.check);
        let flagged = check
            .drain(..)
            .map(|j| (j, std::mem::take(&mut self.flags[j as usize])))
            .collect();
        self.check = check;
        (stale, flagged)
    }

    /// Whether job `j`'s kept candidate `c` is still what a fit would give after the bookings
    /// that flagged it with `flags`.
    pub(super) fn holds(&mut self, problem: &Problem, j: usize, c: &Candidate, flags: u8) -> bool {
        if flags & RESOURCE != 0 {
            if self.shared_options[j] {
                return false;
            }
            // From the placement itself (one round when it still holds): a fit from the
            // job's ready time would walk the same pushes again. Any other answer, even an
            // equal placement reached differently, counts as changed (recomputed in full).
            let q = Request {
                op: c.op,
                machine: c.machine,
                free: c.free,
                ready: c.start,
                setup: c.setup,
                duration: c.duration,
                atomic: problem.op(c.op).atomic,
            };
            let was = Placement {
                setup_start: c.setup_start,
                start: c.start,
                end: c.end,
            };
            // Materials are checked by the fit too.
            return matches!(self.engine.fit(problem, &q), Ok(f) if f.placement == was);
        }
        // Only stock was taken: the materials rule accepts the start iff every consumed item
        // is available by then (the resources read nothing that changed).
        problem.op(c.op).consume.iter().all(|&(item, qty)| {
            self.available(problem, item, qty)
                .is_some_and(|t| t <= c.start)
        })
    }

    fn available(&mut self, problem: &Problem, item: ItemId, qty: f64) -> Option<Minute> {
        if let Some(&(_, _, t)) = self.memo.iter().find(|m| m.0 == item && m.1 == qty) {
            return t;
        }
        let t = self.stock.available_from(problem, item, qty);
        self.memo.push((item, qty, t));
        t
    }
}

/// Whether two requirements of `reqs` may take the same resource: the option chosen for one
/// changes the units left for the other, so a booking can make an earlier start fit (the
/// greedy choice takes another option for the first and leaves room for the second).
fn shares_options(reqs: &[Requirement]) -> bool {
    reqs.iter().enumerate().any(|(k, a)| {
        reqs[k + 1..]
            .iter()
            .any(|b| a.options.iter().any(|r| b.options.contains(r)))
    })
}
