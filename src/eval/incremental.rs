//! Incremental re-timing for local search (docs/scale-notes.md, section 4): after a full
//! decode, a move re-times only the operations whose inputs it changes, and a rejected move is
//! undone in time proportional to what it changed.
//!
//! Why it is exact: without secondary resources and materials, an operation's placement is a
//! function of its machine predecessor (end, family), its routing predecessor (end, machine)
//! and its own data (the decoder's stack order does not matter, see [`Decoder::decode`]). So
//! re-placing, in a topological order of the new sequence, the operations whose machine
//! predecessor changed and, transitively, those whose predecessor's end changed, gives the
//! full decode's times, causes and errors. The objective is recomputed from the job
//! completions and the changeover minutes exactly as [`Decoder::evaluate`] does (a sum in the
//! same order: floating-point deltas would drift and change the search's trajectory).
//!
//! With secondary resources or materials the decoder is a greedy in a global priority order
//! (one operation's placement depends on every earlier booking): callers decode in full
//! ([`Incremental::supports`]).

use super::decode::{place_error, DecodeError, Decoder, Sequence};
use super::moves::synced;
use super::objective::Evaluation;
use crate::engine::{Cause, Engine, MachineSlot, PredPlaced};
use crate::model::{MachineId, Minute, OpId, Problem};

/// Positions of one machine's sequence that a move changed: the operations at
/// `first..=last` have a new machine predecessor (or are new there), and every position from
/// `first` on may hold another operation than before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub machine: MachineId,
    pub first: usize,
    pub last: usize,
}

/// What a move changed in a sequence: at most two machines' spans, the operation whose
/// machine changed (its routing successor then sees another transfer), and the operations
/// whose decoding priority changed (which matters only with secondary resources or materials).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Change {
    pub spans: [Option<Span>; 2],
    pub moved: Option<OpId>,
    pub reprioritised: [Option<OpId>; 2],
}

/// One re-timed operation's values before the move.
#[derive(Debug, Clone, Copy)]
struct Saved {
    op: OpId,
    setup_start: Minute,
    start: Minute,
    end: Minute,
    setup: Minute,
    cause: Cause,
    machine: MachineId,
}

/// What [`Incremental::undo`] restores.
#[derive(Debug, Clone, Default)]
struct UndoLog {
    times: Vec<Saved>,
    /// First rank of the re-ordered window of `placed`, and its operations before.
    window: usize,
    placed: Vec<OpId>,
    baseline: Vec<(OpId, Option<OpId>)>,
    spans: [Option<Span>; 2],
    eval: Evaluation,
    /// The apply was a full decode (the state was not valid before): nothing to restore.
    resynced: bool,
}

impl UndoLog {
    fn clear(&mut self) {
        self.times.clear();
        self.placed.clear();
        self.baseline.clear();
        self.spans = [None; 2];
        self.resynced = false;
    }
}

/// Incremental evaluation state kept beside a [`Decoder`] (whose public vectors it updates in
/// place, so readers of the decoder see the current sequence's schedule).
#[derive(Debug, Clone, Default)]
pub struct Incremental {
    /// Index of each operation in `Decoder::placed` (a topological order of the sequence).
    rank: Vec<u32>,
    /// Position of each operation on its machine.
    pos: Vec<u32>,
    queue: RankQueue,
    indeg: Vec<u32>,
    stack: Vec<OpId>,
    order: Vec<OpId>,
    engine: Engine,
    eval: Evaluation,
    /// The decoder holds the times of the sequence last synced or applied.
    valid: bool,
    log: UndoLog,
}

impl Incremental {
    /// Whether incremental re-timing applies to this instance (no secondary resources or
    /// materials: there, callers decode in full).
    pub fn supports(problem: &Problem) -> bool {
        !problem.has_secondary()
    }

    pub fn new(problem: &Problem) -> Self {
        let n = problem.ops.len();
        Incremental {
            rank: vec![0; n],
            pos: vec![0; n],
            queue: RankQueue::new(n),
            indeg: vec![0; n],
            ..Incremental::default()
        }
    }

    /// Whether the decoder holds the times of the last synced or applied sequence.
    pub fn is_synced(&self) -> bool {
        self.valid
    }

    /// The evaluation of the sequence the decoder holds.
    pub fn evaluation(&self) -> Evaluation {
        self.eval
    }

    /// A full decode of `seq`, after which moves are evaluated incrementally.
    pub fn sync(
        &mut self,
        problem: &Problem,
        dec: &mut Decoder,
        seq: &Sequence,
    ) -> Result<Evaluation, DecodeError> {
        debug_assert!(Self::supports(problem));
        self.log.clear();
        self.valid = false;
        dec.decode(problem, seq)?;
        for (k, o) in dec.placed.iter().enumerate() {
            self.rank[o.idx()] = k as u32;
        }
        for order in &seq.order {
            for (k, o) in order.iter().enumerate() {
                self.pos[o.idx()] = k as u32;
            }
        }
        Ok(synced(problem, dec, &mut self.eval, &mut self.valid))
    }

    /// Re-times `dec` for `seq`, which is the last synced or applied sequence changed by
    /// `change`. Afterwards call [`Self::keep`] (only after `Ok`) or [`Self::undo`] (with the
    /// sequence restored) before the next apply. The result equals `dec.decode(seq)` followed
    /// by `dec.evaluate`, errors included (their details may differ).
    pub fn apply(
        &mut self,
        problem: &Problem,
        dec: &mut Decoder,
        seq: &Sequence,
        change: &Change,
    ) -> Result<Evaluation, DecodeError> {
        if !self.valid {
            let r = self.sync(problem, dec, seq);
            self.log.resynced = true;
            return r;
        }
        self.log.clear();
        self.log.spans = change.spans;
        self.log.eval = self.eval;
        for s in change.spans.iter().flatten() {
            self.refresh_positions(seq, s.machine, s.first);
        }
        self.reorder(problem, seq, dec, change)?;
        for s in change.spans.iter().flatten() {
            let order = &seq.order[s.machine.idx()];
            for &o in order.iter().take(s.last + 1).skip(s.first) {
                self.push(o);
            }
        }
        if let Some(o) = change.moved {
            self.push(o);
            if o != problem.job(problem.op(o).job).last_op() {
                self.push(OpId(o.0 + 1));
            }
        }
        if let Err(e) = self.propagate(problem, dec, seq) {
            self.queue.clear();
            return Err(e);
        }
        if let Some(st) = &problem.stability {
            for s in change.spans.iter().flatten() {
                let order = &seq.order[s.machine.idx()];
                let mut last = s.first.checked_sub(1).and_then(|i| {
                    let q = order[i];
                    if st.in_baseline(q) {
                        Some(q)
                    } else {
                        dec.baseline_pred[q.idx()]
                    }
                });
                for &o in order.iter().skip(s.first) {
                    let b = &mut dec.baseline_pred[o.idx()];
                    if *b != last {
                        self.log.baseline.push((o, *b));
                        *b = last;
                    }
                    if st.in_baseline(o) {
                        last = Some(o);
                    }
                }
            }
        }
        self.eval = dec.evaluate(problem);
        Ok(self.eval)
    }

    /// Accepts the last applied change.
    pub fn keep(&mut self) {
        self.log.clear();
    }

    /// Restores the decoder to the sequence before the last [`Self::apply`]; `seq` is that
    /// sequence (the move already undone).
    pub fn undo(&mut self, problem: &Problem, dec: &mut Decoder, seq: &Sequence) {
        if !self.valid || self.log.resynced {
            // Nothing valid to restore: the next apply decodes in full.
            self.valid = false;
            self.log.clear();
            return;
        }
        for s in self.log.times.iter().rev() {
            let i = s.op.idx();
            dec.setup_start[i] = s.setup_start;
            dec.start[i] = s.start;
            dec.end[i] = s.end;
            dec.setup[i] = s.setup;
            dec.cause[i] = s.cause;
            dec.machine[i] = s.machine;
            let job = problem.op(s.op).job;
            if s.op == problem.job(job).last_op() {
                dec.completion[job.idx()] = s.end;
            }
        }
        let w = self.log.window;
        for (k, &o) in self.log.placed.iter().enumerate() {
            dec.placed[w + k] = o;
            self.rank[o.idx()] = (w + k) as u32;
        }
        for &(o, b) in self.log.baseline.iter().rev() {
            dec.baseline_pred[o.idx()] = b;
        }
        for s in self.log.spans.into_iter().flatten() {
            self.refresh_positions(seq, s.machine, s.first);
        }
        self.eval = self.log.eval;
        self.log.clear();
    }

    fn refresh_positions(&mut self, seq: &Sequence, m: MachineId, first: usize) {
        for (k, o) in seq.order[m.idx()].iter().enumerate().skip(first) {
            self.pos[o.idx()] = k as u32;
        }
    }

    fn push(&mut self, o: OpId) {
        self.queue.push(self.rank[o.idx()]);
    }

    fn machine_pred(&self, seq: &Sequence, o: OpId) -> Option<OpId> {
        let k = self.pos[o.idx()] as usize;
        let m = seq.machine_of[o.idx()];
        k.checked_sub(1).map(|i| seq.order[m.idx()][i])
    }

    fn machine_succ(&self, seq: &Sequence, o: OpId) -> Option<OpId> {
        let m = seq.machine_of[o.idx()];
        seq.order[m.idx()]
            .get(self.pos[o.idx()] as usize + 1)
            .copied()
    }

    fn routing_succ(problem: &Problem, o: OpId) -> Option<OpId> {
        (o != problem.job(problem.op(o).job).last_op()).then(|| OpId(o.0 + 1))
    }

    /// Keeps `placed` topological for the new sequence, or finds the cycle the full decode
    /// would report. Only the new machine arcs that point backwards in the old order need
    /// work: the operations ranked before the first such arc's head have only predecessors
    /// ranked before them, those after the last such arc's tail only successors after them,
    /// so a topological sort of the window between (Kahn's algorithm) suffices, and a cycle,
    /// if any, lies inside it.
    fn reorder(
        &mut self,
        problem: &Problem,
        seq: &Sequence,
        dec: &mut Decoder,
        change: &Change,
    ) -> Result<(), DecodeError> {
        let (mut lo, mut hi) = (u32::MAX, 0u32);
        for s in change.spans.iter().flatten() {
            let order = &seq.order[s.machine.idx()];
            for i in s.first.max(1)..(s.last + 1).min(order.len()) {
                let (a, b) = (order[i - 1], order[i]);
                if self.rank[a.idx()] > self.rank[b.idx()] {
                    lo = lo.min(self.rank[b.idx()]);
                    hi = hi.max(self.rank[a.idx()]);
                }
            }
        }
        if lo > hi {
            return Ok(());
        }
        let (lo, hi) = (lo as usize, hi as usize);
        let inside = |rank: &[u32], x: OpId| (lo..=hi).contains(&(rank[x.idx()] as usize));
        self.stack.clear();
        for k in (lo..=hi).rev() {
            let o = dec.placed[k];
            let d = problem.pred(o).filter(|&p| inside(&self.rank, p)).is_some() as u32
                + self
                    .machine_pred(seq, o)
                    .filter(|&p| inside(&self.rank, p))
                    .is_some() as u32;
            self.indeg[o.idx()] = d;
            if d == 0 {
                self.stack.push(o);
            }
        }
        self.order.clear();
        while let Some(o) = self.stack.pop() {
            self.order.push(o);
            for s in [Self::routing_succ(problem, o), self.machine_succ(seq, o)]
                .into_iter()
                .flatten()
            {
                if inside(&self.rank, s) {
                    self.indeg[s.idx()] -= 1;
                    if self.indeg[s.idx()] == 0 {
                        self.stack.push(s);
                    }
                }
            }
        }
        if self.order.len() < hi - lo + 1 {
            return Err(DecodeError::Cycle(hi - lo + 1 - self.order.len()));
        }
        self.log.window = lo;
        self.log.placed.extend_from_slice(&dec.placed[lo..=hi]);
        for (k, &o) in self.order.iter().enumerate() {
            dec.placed[lo + k] = o;
            self.rank[o.idx()] = (lo + k) as u32;
        }
        Ok(())
    }

    /// Re-places the queued operations in rank order, queueing the successors of each whose
    /// end changed.
    fn propagate(
        &mut self,
        problem: &Problem,
        dec: &mut Decoder,
        seq: &Sequence,
    ) -> Result<(), DecodeError> {
        while let Some(r) = self.queue.pop() {
            let o = dec.placed[r as usize];
            let i = o.idx();
            let m = seq.machine_of[i];
            let prev = self.machine_pred(seq, o);
            let slot = MachineSlot::of(problem, m, prev, prev.map_or(0, |q| dec.end[q.idx()]));
            let pred = problem.pred(o).map(|p| PredPlaced {
                op: p,
                machine: seq.machine_of[p.idx()],
                end: dec.end[p.idx()],
            });
            let placed = self
                .engine
                .place_op::<false>(problem, o, m, &slot, pred)
                .map_err(|e| place_error(o, e))?;
            self.log.times.push(Saved {
                op: o,
                setup_start: dec.setup_start[i],
                start: dec.start[i],
                end: dec.end[i],
                setup: dec.setup[i],
                cause: dec.cause[i],
                machine: dec.machine[i],
            });
            let pl = placed.placement;
            let moved = dec.end[i] != pl.end;
            dec.setup_start[i] = pl.setup_start;
            dec.start[i] = pl.start;
            dec.end[i] = pl.end;
            dec.setup[i] = placed.setup;
            dec.cause[i] = placed.cause;
            dec.machine[i] = m;
            let job = problem.op(o).job;
            match Self::routing_succ(problem, o) {
                None => dec.completion[job.idx()] = pl.end,
                Some(s) if moved => self.push(s),
                Some(_) => {}
            }
            if moved {
                if let Some(s) = self.machine_succ(seq, o) {
                    self.push(s);
                }
            }
        }
        Ok(())
    }
}

/// The operations waiting to be re-placed, by rank: a bit set scanned forward. Re-placing in
/// rank order only ever queues later ranks (successors in a topological order), so the scan
/// never goes back; cheaper than a heap, whose pops dominated re-timing.
#[derive(Debug, Clone, Default)]
struct RankQueue {
    bits: Vec<u64>,
    /// No bit below this word is set.
    word: usize,
}

impl RankQueue {
    fn new(n: usize) -> Self {
        RankQueue {
            bits: vec![0; n.div_ceil(64)],
            word: 0,
        }
    }

    fn push(&mut self, rank: u32) {
        let w = rank as usize / 64;
        self.bits[w] |= 1 << (rank % 64);
        self.word = self.word.min(w);
    }

    fn pop(&mut self) -> Option<u32> {
        while self.word < self.bits.len() {
            let b = self.bits[self.word];
            if b != 0 {
                self.bits[self.word] = b & (b - 1);
                return Some((self.word * 64) as u32 + b.trailing_zeros());
            }
            self.word += 1;
        }
        self.word = 0;
        None
    }

    fn clear(&mut self) {
        self.bits.iter_mut().for_each(|b| *b = 0);
        self.word = 0;
    }
}
