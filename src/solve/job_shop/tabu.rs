//! The tabu search proper (TSAB / Zhang et al. style): each iteration scores every move of the
//! critical path by its head/tail estimate, takes the best one that is not tabu (or beats the
//! best makespan: aspiration), updates heads and tails exactly, and forbids undoing it.
//!
//! Tabu attributes are arcs: after a move puts `b` before `a` on a machine, putting `a` before
//! `b` again is tabu for a tenure drawn around `10 + jobs / machines`; a reassignment forbids the
//! operation's old machine. Tables are dense (per machine, pairs of eligible operations).

use super::graph::{Model, State};
use super::moves::{self, Move};
use rand::rngs::StdRng;
use rand::RngExt;

/// Iteration until which an ordered pair or an (operation, mode) is tabu.
pub(crate) struct Tabu {
    /// Per machine, offset of its pair table (`eligible²` entries).
    base: Vec<usize>,
    pairs: Vec<u32>,
    /// Per operation, offset of its modes.
    mode_base: Vec<usize>,
    modes: Vec<u32>,
    tenure: (u32, u32),
}

/// The largest pair table the dedicated search allocates per thread (entries).
pub(crate) const MAX_PAIRS: usize = 1 << 24;

impl Tabu {
    pub fn new(model: &Model) -> Tabu {
        let mut base = Vec::with_capacity(model.machines);
        let mut total = 0;
        for &e in &model.eligible {
            base.push(total);
            total += (e as usize).pow(2);
        }
        let mut mode_base = Vec::with_capacity(model.ops());
        let mut modes = 0;
        for m in &model.modes {
            mode_base.push(modes);
            modes += m.len();
        }
        let l = 10 + (model.jobs / model.machines.max(1)) as u32;
        let wide = model.jobs > 2 * model.machines;
        Tabu {
            base,
            pairs: vec![0; total],
            mode_base,
            modes: vec![0; modes],
            tenure: (l, if wide { l + l / 2 } else { l + 2 * l / 5 }),
        }
    }

    /// Clears every entry (a new run).
    pub fn reset(&mut self) {
        self.pairs.fill(0);
        self.modes.fill(0);
    }

    #[inline]
    fn pair(&self, model: &Model, s: &State, a: u32, b: u32) -> usize {
        let m = s.mach[a as usize] as usize;
        let e = model.eligible[m] as usize;
        let la = model.local[a as usize][s.mode[a as usize] as usize] as usize;
        let lb = model.local[b as usize][s.mode[b as usize] as usize] as usize;
        self.base[m] + la * e + lb
    }

    /// Whether the move puts some `a` before some `b` that is tabu at iteration `it`.
    fn is_tabu(&self, model: &Model, s: &State, mv: Move, it: u32) -> bool {
        match mv {
            Move::Shift { m, from, to } => {
                let seq = &s.seq[m as usize];
                let o = seq[from as usize];
                if from < to {
                    seq[from as usize + 1..=to as usize]
                        .iter()
                        .any(|&x| self.pairs[self.pair(model, s, x, o)] > it)
                } else {
                    seq[to as usize..from as usize]
                        .iter()
                        .any(|&x| self.pairs[self.pair(model, s, o, x)] > it)
                }
            }
            Move::Reassign { op, mode, .. } => {
                self.modes[self.mode_base[op as usize] + mode as usize] > it
            }
        }
    }

    /// Records a move about to be applied to `s` at iteration `it`.
    fn forbid_undo(&mut self, model: &Model, s: &State, mv: Move, it: u32, rng: &mut StdRng) {
        let until = it + rng.random_range(self.tenure.0..=self.tenure.1);
        match mv {
            Move::Shift { m, from, to } => {
                let seq = &s.seq[m as usize];
                let o = seq[from as usize];
                if from < to {
                    // `o` was before each of these; it goes after them.
                    for &x in &seq[from as usize + 1..=to as usize] {
                        let i = self.pair(model, s, o, x);
                        self.pairs[i] = until;
                    }
                } else {
                    for &x in &seq[to as usize..from as usize] {
                        let i = self.pair(model, s, x, o);
                        self.pairs[i] = until;
                    }
                }
            }
            Move::Reassign { op, .. } => {
                let i = self.mode_base[op as usize] + s.mode[op as usize] as usize;
                self.modes[i] = until;
            }
        }
    }
}

/// Scratch and counters of one thread's tabu search.
pub(crate) struct Search {
    pub tabu: Tabu,
    path: Vec<u32>,
    blocks: Vec<(u32, u32, u32)>,
    moves: Vec<Move>,
    cands: Vec<(i64, u32, Move)>,
    heads: Vec<i64>,
    /// Iterations of the current run (the tabu clock).
    clock: u32,
}

impl Search {
    pub fn new(model: &Model) -> Search {
        Search {
            tabu: Tabu::new(model),
            path: Vec::new(),
            blocks: Vec::new(),
            moves: Vec::new(),
            cands: Vec::new(),
            heads: Vec::new(),
            clock: 0,
        }
    }

    /// A new run: the tabu tables forget.
    pub fn restart(&mut self) {
        self.tabu.reset();
        self.clock = 0;
    }

    /// One tabu iteration on `s` (heads and tails valid); `best` is the makespan a tabu move must
    /// beat to be taken anyway. Returns `false` when the critical path offers no move.
    pub fn step(&mut self, model: &Model, s: &mut State, best: i64, rng: &mut StdRng) -> bool {
        self.clock += 1;
        let it = self.clock;
        s.critical_path(model, &mut self.path);
        moves::blocks(s, &self.path, &mut self.blocks);
        moves::shifts(&self.blocks, &mut self.moves);
        self.cands.clear();
        for &mv in &self.moves {
            let Move::Shift { m, from, to } = mv else {
                unreachable!()
            };
            if moves::shift_safe(model, s, m, from, to) {
                let est = moves::shift_estimate(model, s, m, from, to, &mut self.heads);
                self.cands.push((est, rng.random::<u32>(), mv));
            }
        }
        if model.flexible() {
            for &o in &self.path {
                for mode in 0..model.modes[o as usize].len() as u32 {
                    if mode == s.mode[o as usize] {
                        continue;
                    }
                    if let Some((at, est)) = moves::best_insertion(model, s, o, mode) {
                        let mv = Move::Reassign { op: o, mode, at };
                        self.cands.push((est, rng.random::<u32>(), mv));
                    }
                }
            }
        }
        if self.cands.is_empty() {
            return false;
        }
        // Best estimate first, random among ties.
        self.cands.sort_unstable_by_key(|&(e, t, _)| (e, t));
        let admissible: Vec<usize> = (0..self.cands.len())
            .filter(|&k| {
                let (e, _, mv) = self.cands[k];
                e < best || !self.tabu.is_tabu(model, s, mv, it)
            })
            .collect();
        let order: Vec<usize> = if admissible.is_empty() {
            // Every move tabu: a random one (the tabu list is too long for this path).
            vec![rng.random_range(0..self.cands.len())]
        } else {
            admissible
        };
        for k in order {
            let mv = self.cands[k].2;
            // Entries of a move rejected below stay: harmless, they expire.
            self.tabu.forbid_undo(model, s, mv, it, rng);
            let u = moves::apply(model, s, mv);
            let acyclic = match mv {
                Move::Shift { m, from, to } => s.update_shift(model, m, from, to),
                Move::Reassign { .. } => s.recompute(model),
            };
            if acyclic {
                return true;
            }
            // It closes a cycle (possible only with zero durations): back to the state the
            // estimates were made on.
            moves::undo(model, s, u);
            let ok = s.recompute(model);
            debug_assert!(ok, "undoing a move restores an acyclic graph");
        }
        true
    }
}
