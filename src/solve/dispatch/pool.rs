//! The list scheduler's candidates, one per job with operations left, kept from step to step.
//!
//! A job's candidate (its next operation's earliest-completing placement) is a function of that
//! operation, its routing predecessor (fixed once committed) and the states of the machines it
//! can run on; a step changes one machine's state. So a candidate is recomputed only when its
//! job moves on or one of its operation's machines changes, and the step's choice (earliest
//! completion, then the conflict set on that machine) is read from ordered sets instead of a
//! scan of every job. At 13k operations and 2,000 jobs this turned 20 s of placements into a
//! few hundred milliseconds per rule, with the same schedule: the choice is the same total
//! order on the same candidates. With secondary resources and materials a booking also marks
//! the candidates it may have changed (dispatch/secondary.rs).

use super::Candidate;
use crate::model::{MachineId, Minute, OpId};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// (end, start, operation, job, version): a heap entry is live while its job's version is.
type EndKey = Reverse<(Minute, Minute, OpId, u32, u32)>;

pub(super) struct Pool {
    cache: Vec<Option<Candidate>>,
    /// Bumped at every [`set`](Self::set): older heap and machine entries are dead.
    version: Vec<u32>,
    live: usize,
    stale: Vec<u32>,
    is_stale: Vec<bool>,
    /// Per machine, the (job, operation) candidates computed while it was in this state; a
    /// change of the machine makes those whose job still waits at that operation stale.
    waiting_on: Vec<Vec<(u32, OpId)>>,
    /// Candidates by (end, start, operation), all and the boosted jobs' only (lazy deletion).
    by_end: BinaryHeap<EndKey>,
    by_end_boosted: BinaryHeap<EndKey>,
    /// (job, version) of the candidates on the machine they would load (lazy deletion).
    on_machine: Vec<Vec<(u32, u32)>>,
    boosted: Vec<bool>,
}

impl Pool {
    /// Every job stale (nothing computed yet); `boosted[j]`: job `j` goes first when it can.
    pub(super) fn new(jobs: usize, machines: usize, boosted: Vec<bool>) -> Self {
        Pool {
            cache: vec![None; jobs],
            version: vec![0; jobs],
            live: 0,
            stale: (0..jobs as u32).rev().collect(),
            is_stale: vec![true; jobs],
            waiting_on: vec![Vec::new(); machines],
            by_end: BinaryHeap::new(),
            by_end_boosted: BinaryHeap::new(),
            on_machine: vec![Vec::new(); machines],
            boosted,
        }
    }
    pub(super) fn mark_stale(&mut self, job: usize) {
        if !self.is_stale[job] {
            self.is_stale[job] = true;
            self.stale.push(job as u32);
        }
    }

    pub(super) fn is_stale(&self, job: usize) -> bool {
        self.is_stale[job]
    }

    /// Job `job`'s kept candidate (`None`: finished, nothing fits, or not computed yet).
    pub(super) fn cached(&self, job: usize) -> Option<Candidate> {
        self.cache[job]
    }

    /// Machine `m` changed state: the candidates computed against its old state are stale
    /// (`waits_at(job, op)`: the job's next operation is still `op`).
    pub(super) fn machine_changed(&mut self, m: MachineId, waits_at: impl Fn(usize, OpId) -> bool) {
        let mut list = std::mem::take(&mut self.waiting_on[m.idx()]);
        for (j, o) in list.drain(..) {
            if waits_at(j as usize, o) {
                self.mark_stale(j as usize);
            }
        }
        // Keep the allocation.
        self.waiting_on[m.idx()] = list;
    }

    /// The stale jobs, emptied; the caller [`set`](Self::set)s each one's new candidate.
    pub(super) fn take_stale(&mut self) -> Vec<u32> {
        let v = std::mem::take(&mut self.stale);
        for &j in &v {
            self.is_stale[j as usize] = false;
        }
        v
    }

    /// Gives the stale list's allocation back.
    pub(super) fn give_back(&mut self, mut v: Vec<u32>) {
        if self.stale.is_empty() {
            v.clear();
            self.stale = v;
        }
    }

    /// Job `j`'s new candidate (`None`: finished or nothing fits), computed for operation `o`
    /// against the current states of `machines`, which are watched for changes.
    pub(super) fn set(
        &mut self,
        j: usize,
        c: Option<Candidate>,
        watch: Option<(OpId, &mut dyn Iterator<Item = MachineId>)>,
    ) {
        if self.cache[j].take().is_some() {
            self.live -= 1;
        }
        self.version[j] = self.version[j].wrapping_add(1);
        if let Some((o, machines)) = watch {
            for m in machines {
                self.waiting_on[m.idx()].push((j as u32, o));
            }
        }
        if let Some(c) = c {
            let v = self.version[j];
            let k = Reverse((c.end, c.start, c.op, j as u32, v));
            if self.boosted[j] {
                self.by_end_boosted.push(k);
            }
            self.by_end.push(k);
            self.on_machine[c.machine.idx()].push((j as u32, v));
            self.cache[j] = Some(c);
            self.live += 1;
        }
        if self.by_end.len() > 4 * self.live + 1024 {
            // Dead entries outnumber the live ones: drop them (amortised O(1) per push).
            let version = &self.version;
            let alive = |k: &EndKey| version[k.0 .3 as usize] == k.0 .4;
            self.by_end.retain(alive);
            self.by_end_boosted.retain(alive);
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.live == 0
    }

    fn top(heap: &mut BinaryHeap<EndKey>, version: &[u32]) -> Option<u32> {
        while let Some(&Reverse((_, _, _, j, v))) = heap.peek() {
            if version[j as usize] == v {
                return Some(j);
            }
            heap.pop();
        }
        None
    }

    /// The earliest-completing candidate (among the boosted jobs' when there are any), and
    /// whether the choice is restricted to boosted jobs.
    pub(super) fn first(&mut self) -> Option<(Candidate, bool)> {
        if let Some(j) = Self::top(&mut self.by_end_boosted, &self.version) {
            return Some((self.cache[j as usize].expect("live"), true));
        }
        let j = Self::top(&mut self.by_end, &self.version)?;
        Some((self.cache[j as usize].expect("live"), false))
    }

    /// The candidates on `m` that start before `bound` (the conflict set), boosted jobs' only if
    /// `restricted`, into `out`.
    pub(super) fn starting_before(
        &mut self,
        m: MachineId,
        bound: Minute,
        restricted: bool,
        out: &mut Vec<Candidate>,
    ) {
        out.clear();
        let (version, cache, boosted) = (&self.version, &self.cache, &self.boosted);
        self.on_machine[m.idx()].retain(|&(j, v)| {
            if version[j as usize] != v {
                return false;
            }
            let c = cache[j as usize].expect("live");
            if c.start < bound && (!restricted || boosted[j as usize]) {
                out.push(c);
            }
            true
        });
    }
}
