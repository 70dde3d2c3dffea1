//! Anytime local search: a tabu search over critical-path neighbourhoods, evaluated by the one
//! decoder, with restarts from the best schedule after a perturbation when it stagnates.
//!
//! Threads run diverse searches (walks, their own seeds) and meet at fixed iteration epochs,
//! where the best schedule is shared: a walk that stagnates restarts from it. Because walks only
//! meet at epoch boundaries and the shared choice is deterministic (best key, then walk index), a
//! run with `iterations` and a seed is bit-for-bit reproducible whatever the thread timing.
//! From [`LANE_MIN_OPS`] operations all threads serve one walk instead ([`crew`]): the same
//! schedule as one thread, sooner.

use super::neighbourhood::{
    block_moves, critical_path, family_moves, positions, priority_moves, pull_moves,
    reassign_moves, revert_moves, sample_late_jobs, Move,
};
use super::rules::{default_threads, run_blind_rules, run_rules, Background, RuleLimits};
use super::{finish, SolveError, SolveResult};
use crate::eval::{Cause, Decoder, Evaluation, MoveEvaluator, Sequence};
use crate::model::{JobId, MachineId, Minute, OpId, Problem};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::time::{Duration, Instant};

mod crew;
pub use crew::LANE_MIN_OPS;
use crew::{try_move, Crew};

/// How long and how wide to search.
#[derive(Debug, Clone)]
pub struct SearchConfig {
    pub time_limit: Option<Duration>,
    /// Total iterations over all walks (each walk runs its share; see the module doc).
    pub iterations: Option<u64>,
    pub threads: usize,
    pub seed: u64,
    /// Progress every second on stderr unless quiet.
    pub quiet: bool,
    /// Set from outside (Ctrl-C) to stop and return the best so far.
    pub stop: Option<Arc<AtomicBool>>,
    /// Stop after this many iterations (over all threads) without improving the best schedule;
    /// checked at epoch boundaries, so reproducible like `iterations`.
    pub stall: Option<u64>,
    /// When the clock of `time_limit` started. A command sets its own start, so that reading
    /// and validating the instance count against the limit the user gave (at 10k operations
    /// loading takes a tenth of the limit of a 1 s run); `None`: when the solver is called.
    /// Progress lines and the improvement history count from it too.
    pub started: Option<Instant>,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig {
            time_limit: Some(Duration::from_secs(10)),
            iterations: None,
            threads: 1,
            seed: 0,
            quiet: true,
            stop: None,
            stall: None,
            started: None,
        }
    }
}

/// The builder every command uses, so that limits, their defaults and the thread count are set
/// in one place: `SearchConfig::limited(time, iterations, stall).or_default_limits(10 s,
/// 200 000).threads(n).seed(s).quiet(q).stop(flag)`.
impl SearchConfig {
    /// Exactly these limits (`None`: no such limit); one thread, seed 0, quiet, no stop flag.
    pub fn limited(
        time_limit: Option<Duration>,
        iterations: Option<u64>,
        stall: Option<u64>,
    ) -> Self {
        SearchConfig {
            time_limit,
            iterations,
            stall,
            ..SearchConfig::default()
        }
    }

    /// When neither a time nor an iteration limit is set: `time_limit`, and `stall` unless a
    /// stall limit is set (so that a run without limits ends, early when it stops improving).
    pub fn or_default_limits(mut self, time_limit: Duration, stall: u64) -> Self {
        if self.time_limit.is_none() && self.iterations.is_none() {
            self.time_limit = Some(time_limit);
            self.stall = self.stall.or(Some(stall));
        }
        self
    }

    /// Search threads (at least one).
    pub fn threads(mut self, threads: usize) -> Self {
        self.threads = threads.max(1);
        self
    }

    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// No progress lines on stderr.
    pub fn quiet(mut self, quiet: bool) -> Self {
        self.quiet = quiet;
        self
    }

    /// A flag set from outside (Ctrl-C) that stops the search with its best so far.
    pub fn stop(mut self, stop: Arc<AtomicBool>) -> Self {
        self.stop = Some(stop);
        self
    }

    /// The time limit counts from `started` (the command's start) rather than from the call.
    pub fn started(mut self, started: Instant) -> Self {
        self.started = Some(started);
        self
    }

    /// The instant the time limit counts from: [`SearchConfig::started`], else now.
    pub fn clock(&self) -> Instant {
        self.started.unwrap_or_else(Instant::now)
    }
}

/// The search's answer.
#[derive(Debug, Clone)]
pub struct SearchOutcome {
    pub result: SolveResult,
    /// (seconds, objective) at each improvement of the best schedule, for plotting.
    pub history: Vec<(f64, f64)>,
    pub iterations: u64,
    pub seconds: f64,
    /// The instance's certified lower bound ([`super::bound::lower_bound`]).
    pub bound: f64,
    /// The schedule keeps every hard deadline and meets the bound: proven optimal, the search
    /// stopped there.
    pub optimal: bool,
}

const EPOCH: u64 = 64;

/// Ordering key: minutes past hard deadlines first, then the objective.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
struct Key(i64, f64);

fn key(e: &Evaluation) -> Key {
    Key(e.terms.deadline_excess, e.value)
}

struct Shared {
    best: Option<(Key, usize, Sequence)>,
    /// The best as of the last epoch boundary, read by every thread.
    snapshot: Option<(Key, Sequence)>,
    finished: bool,
    history: Vec<(f64, f64)>,
    /// Epoch boundaries passed since the shared best last improved.
    stalled_epochs: u64,
    /// The snapshot is a schedule offered from outside the threads (an exact dispatching rule
    /// finished in the background) adopted at this meeting: every thread moves to it.
    jump: bool,
    /// The last adopted offer's key and method (what produced it), for the result's method.
    adopted: Option<(Key, String)>,
}

/// Runs the dispatching rules, then local search from the best of them. The time limit and
/// the stop flag cover the rules too: past them, the rules not yet finished are dropped (the
/// first always finishes, so there is a complete schedule) and the search returns at once.
///
/// With secondary resources or materials and a time limit, the search starts from the best
/// resource-blind rule instead and the exact rules compete in the background
/// ([`Background`]); a better exact schedule is adopted at the next epoch meeting. Where that
/// meeting falls depends on thread timing, so with an iteration limit and no time limit (the
/// reproducible runs) every exact rule runs before the search, as without the background.
pub fn search(problem: &Problem, cfg: &SearchConfig) -> Result<SearchOutcome, SolveError> {
    let started = cfg.clock();
    if let Some(m) = super::single_machine::qualifies(problem) {
        // One machine's sequence is all that matters: the dedicated search.
        return super::single_machine::search(problem, m, cfg, started);
    }
    let deadline = cfg.time_limit.map(|t| started + t);
    let should_stop = || {
        deadline.is_some_and(|d| Instant::now() >= d)
            || cfg.stop.as_ref().is_some_and(|s| s.load(Ordering::Relaxed))
    };
    let limits = RuleLimits {
        should_stop: &should_stop,
        threads: default_threads().max(cfg.threads),
        progress: !cfg.quiet,
        started,
    };
    if let Some(limit) = cfg.time_limit.filter(|_| problem.has_secondary()) {
        // The blind rules take at most half the limit: the rest is the search's.
        let blind_until = started + limit / 2;
        let blind_stop = || Instant::now() >= blind_until || should_stop();
        let blind = run_blind_rules(
            problem,
            &RuleLimits {
                should_stop: &blind_stop,
                ..limits
            },
        )?;
        // The search ends early enough for its last decode, the referee and the output
        // (about three decodes) to fit in the limit.
        let cfg = SearchConfig {
            time_limit: Some(limit.saturating_sub((blind.decode_time * 4).min(limit / 8))),
            ..cfg.clone()
        };
        let background = Background::new(blind.order.len());
        let search_over = AtomicBool::new(false);
        return std::thread::scope(|s| {
            s.spawn(|| {
                let cancel = || search_over.load(Ordering::Relaxed) || should_stop();
                background.run(problem, &blind.order, &cancel);
            });
            let r = search_with(problem, &cfg, blind.result, started, Some(&background));
            search_over.store(true, Ordering::Relaxed);
            r
        });
    }
    let initial = run_rules(problem, &limits)?;
    if super::job_shop::qualifies(problem) {
        // A pure (flexible) job shop with makespan only: the dedicated graph search.
        return super::job_shop::search(problem, cfg, initial, started);
    }
    search_from(problem, cfg, initial, started)
}

/// Local search from a given start (e.g. a repaired plan, `takt reschedule`) instead of the
/// dispatching rules; `started` is when the caller's clock (time limit) started.
pub fn search_from(
    problem: &Problem,
    cfg: &SearchConfig,
    initial: SolveResult,
    started: Instant,
) -> Result<SearchOutcome, SolveError> {
    search_with(problem, cfg, initial, started, None)
}

/// [`search_from`], adopting the schedules `background` offers (see [`search`]).
fn search_with(
    problem: &Problem,
    cfg: &SearchConfig,
    initial: SolveResult,
    started: Instant,
    background: Option<&Background>,
) -> Result<SearchOutcome, SolveError> {
    let bound = super::bound::lower_bound(problem).value;
    let proven = |e: &Evaluation| e.feasible() && super::bound::meets(e.value, bound);
    let out_of_time = cfg.time_limit.is_some_and(|t| started.elapsed() >= t);
    if problem.ops.is_empty() || proven(&initial.evaluation) || out_of_time {
        // Nothing to order (e.g. a repair after every order was cancelled), or nothing better.
        return Ok(SearchOutcome {
            history: vec![(started.elapsed().as_secs_f64(), initial.evaluation.value)],
            optimal: proven(&initial.evaluation),
            result: initial,
            iterations: 0,
            seconds: started.elapsed().as_secs_f64(),
            bound,
        });
    }
    let threads = cfg.threads.max(1);
    // One walk per thread, or at plant scale one walk on every thread ([`crew`]).
    let lanes = lanes_per_walk(problem, threads);
    let walks = threads / lanes;
    let deadline = cfg.time_limit.map(|t| started + t);
    let stop = cfg.stop.clone().unwrap_or_default();
    let total_iters = AtomicU64::new(0);
    // Moves evaluated (decoded, or scored by the head/tail estimate), for the progress lines.
    let total_evals = AtomicU64::new(0);
    let best_bits = AtomicU64::new(initial.evaluation.value.to_bits());
    let shared = Mutex::new(Shared {
        best: None,
        snapshot: None,
        finished: false,
        stalled_epochs: 0,
        history: vec![(started.elapsed().as_secs_f64(), initial.evaluation.value)],
        jump: false,
        adopted: None,
    });
    let barrier = Barrier::new(walks);
    let per_walk = cfg.iterations.map(|i| i.div_ceil(walks as u64));
    let workers_done = AtomicBool::new(false);

    std::thread::scope(|s| {
        let mut workers = Vec::new();
        for t in 0..walks {
            let crew = (lanes > 1).then(|| Crew::spawn(s, problem, lanes - 1));
            let (initial, shared, barrier, stop, total_iters, best_bits, total_evals) = (
                &initial,
                &shared,
                &barrier,
                &stop,
                &total_iters,
                &best_bits,
                &total_evals,
            );
            workers.push(s.spawn(move || {
                let mut w = Worker::new(problem, initial.sequence.clone(), cfg.seed, t);
                w.deadline = deadline;
                w.crew = crew;
                loop {
                    for _ in 0..EPOCH {
                        if per_walk.is_some_and(|l| w.iterations >= l)
                            || stop.load(Ordering::Relaxed)
                        {
                            break;
                        }
                        if deadline.is_some_and(|d| Instant::now() >= d) {
                            stop.store(true, Ordering::Relaxed);
                            break;
                        }
                        // An offer ends the epoch early: at plant scale an epoch can take a
                        // minute. (Only under a time limit: no background otherwise.)
                        if background.is_some_and(|b| b.has_offer()) {
                            break;
                        }
                        if w.step() {
                            let v = w.best_key.1;
                            if w.best_key.0 == 0
                                && v < f64::from_bits(best_bits.load(Ordering::Relaxed))
                            {
                                best_bits.store(v.to_bits(), Ordering::Relaxed);
                                shared
                                    .lock()
                                    .unwrap()
                                    .history
                                    .push((started.elapsed().as_secs_f64(), v));
                            }
                        }
                        total_iters.fetch_add(1, Ordering::Relaxed);
                        total_evals
                            .fetch_add(std::mem::take(&mut w.evaluations), Ordering::Relaxed);
                    }
                    {
                        let mut sh = shared.lock().unwrap();
                        let better = match &sh.best {
                            None => true,
                            Some((k, tt, _)) => {
                                (w.best_key, t) < (*k, *tt) && w.best_key != *k
                                    || (w.best_key == *k && t < *tt)
                            }
                        };
                        if better {
                            sh.best = Some((w.best_key, t, w.best.clone()));
                        }
                    }
                    if barrier.wait().is_leader() {
                        let reached = stop.load(Ordering::Relaxed)
                            || per_walk.is_some_and(|l| w.iterations >= l);
                        let mut sh = shared.lock().unwrap();
                        sh.jump = adopt_offer(&mut sh, background, started, best_bits);
                        meet(&mut sh, cfg, walks, bound, reached);
                    }
                    barrier.wait();
                    let (finished, snap, jump) = {
                        let sh = shared.lock().unwrap();
                        (sh.finished, sh.snapshot.clone(), sh.jump)
                    };
                    if finished {
                        break;
                    }
                    if let Some((k, seq)) = snap {
                        if jump {
                            w.adopt(k, seq);
                        } else {
                            w.share(k, seq);
                        }
                    }
                }
            }));
        }
        // Progress on stderr, once a second.
        if !cfg.quiet {
            s.spawn(|| {
                progress(
                    started,
                    &workers_done,
                    &total_iters,
                    &total_evals,
                    &best_bits,
                    background,
                )
            });
        }
        // Wait for the workers, then release the progress thread.
        for w in workers {
            if let Err(panic) = w.join() {
                workers_done.store(true, Ordering::Relaxed);
                std::panic::resume_unwind(panic);
            }
        }
        workers_done.store(true, Ordering::Relaxed);
    });

    let mut sh = shared.into_inner().unwrap();
    // An exact rule that finished after the last meeting still counts.
    adopt_offer(&mut sh, background, started, &best_bits);
    let (_, _, seq) = sh.best.expect("at least one epoch ran");
    let mut result = finish(problem, seq, "local search".into())?;
    let found = key(&result.evaluation);
    if !found.lt(&key(&initial.evaluation)) {
        result = initial.clone();
        result.method = format!("{} (local search found no improvement)", initial.method);
    } else if let Some((k, method)) = sh.adopted.take() {
        let origin = format!("{method} (exact, finished in the background)");
        result.method = if found < k {
            format!("local search from {origin}")
        } else {
            format!("{origin} (local search found no improvement)")
        };
    } else {
        result.method = format!("local search from {}", initial.method);
    }
    Ok(SearchOutcome {
        optimal: proven(&result.evaluation),
        result,
        history: sh.history,
        iterations: total_iters.load(Ordering::Relaxed),
        seconds: started.elapsed().as_secs_f64(),
        bound,
    })
}

/// Threads per walk: all of them from [`LANE_MIN_OPS`] operations (except on the plain makespan
/// path, whose moves are mostly estimated, not decoded), else one.
fn lanes_per_walk(problem: &Problem, threads: usize) -> usize {
    if threads > 1 && problem.ops.len() >= LANE_MIN_OPS && !plain_makespan(problem) {
        threads
    } else {
        1
    }
}

/// The thread index of a shared best that came from the background, not a search thread.
const OFFERED: usize = usize::MAX;

/// At an epoch meeting (or the end), before [`meet`]: the best schedule the background offered
/// since the last meeting becomes the shared best when it is better (strictly: a thread's own
/// equal schedule stands). Returns whether it did.
fn adopt_offer(
    sh: &mut Shared,
    background: Option<&Background>,
    started: Instant,
    best_bits: &AtomicU64,
) -> bool {
    let Some(r) = background.and_then(|b| b.take()) else {
        return false;
    };
    let k = key(&r.evaluation);
    if sh.best.as_ref().is_some_and(|(b, _, _)| k >= *b) {
        return false;
    }
    if k.0 == 0 && k.1 < f64::from_bits(best_bits.load(Ordering::Relaxed)) {
        best_bits.store(k.1.to_bits(), Ordering::Relaxed);
        sh.history.push((started.elapsed().as_secs_f64(), k.1));
    }
    sh.best = Some((k, OFFERED, r.sequence));
    sh.adopted = Some((k, r.method));
    true
}

/// The epoch meeting (run by one thread while the others wait): the best schedule offered
/// becomes the snapshot every thread adopts, and the search is finished when a limit was
/// reached, the bound is met with every deadline kept, or it stalled.
fn meet(sh: &mut Shared, cfg: &SearchConfig, walks: usize, bound: f64, reached: bool) {
    let (k, _, seq) = sh.best.clone().expect("offered");
    let improved = sh.snapshot.as_ref().is_none_or(|(old, _)| k < *old);
    sh.stalled_epochs = if improved { 0 } else { sh.stalled_epochs + 1 };
    let stalled = cfg
        .stall
        .is_some_and(|s| sh.stalled_epochs * EPOCH * walks as u64 >= s);
    sh.snapshot = Some((k, seq));
    // Nothing can beat the bound (0 at least: every term is ≥ 0) with every deadline kept.
    let optimal = k.0 == 0 && (k.1 <= 0.0 || super::bound::meets(k.1, bound));
    sh.finished = reached || optimal || stalled;
}

/// The search's progress line on stderr, once a second until the workers are done: the best
/// objective so far, iterations and evaluated moves per second over the last second.
fn progress(
    started: Instant,
    workers_done: &AtomicBool,
    total_iters: &AtomicU64,
    total_evals: &AtomicU64,
    best_bits: &AtomicU64,
    background: Option<&Background>,
) {
    let mut last = Instant::now();
    let mut last_iters = 0;
    let mut last_evals = 0;
    while !workers_done.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(50));
        if last.elapsed() >= Duration::from_secs(1) {
            let it = total_iters.load(Ordering::Relaxed);
            let ev = total_evals.load(Ordering::Relaxed);
            let secs = last.elapsed().as_secs_f64();
            let phase = match background {
                Some(b) if !b.is_over() => {
                    let (done, total) = b.progress();
                    format!("  (exact rules {done}/{total} in the background)")
                }
                _ => String::new(),
            };
            eprintln!(
                "[{:6.1}s] searching: best objective {:.2}  iterations {}  ({:.0}/s)  evaluated moves {:.0}/s{phase}",
                started.elapsed().as_secs_f64(),
                f64::from_bits(best_bits.load(Ordering::Relaxed)),
                it,
                (it - last_iters) as f64 / secs,
                ev.saturating_sub(last_evals) as f64 / secs
            );
            last = Instant::now();
            last_iters = it;
            last_evals = ev;
        }
    }
}

/// One thread's search state.
struct Worker<'a> {
    problem: &'a Problem,
    rng: StdRng,
    dec: Decoder,
    /// Evaluates moves without a full decode each (keeps `dec` holding `cur`'s schedule).
    moves_eval: MoveEvaluator,
    cur: Sequence,
    cur_key: Key,
    best: Sequence,
    best_key: Key,
    /// Arc (a, b) -> iteration until which `a` may not be put before `b` again; for
    /// reassignments, (op, machine) until which `op` may not return to that machine.
    tabu: std::collections::HashMap<(u32, u32), u64>,
    /// Ops the last evaluated move jumped over (scratch).
    jumped: Vec<OpId>,
    pos: Vec<usize>,
    path: Vec<OpId>,
    moves: Vec<Move>,
    iterations: u64,
    /// Moves evaluated since the thread last reported them (decoded or estimated).
    evaluations: u64,
    since_improvement: u64,
    patience: u64,
    /// Plain makespan instance (no calendars, changeovers, pins, deadlines; makespan only):
    /// adjacent swaps are scored by the classic head/tail estimate instead of a full decode.
    fast: bool,
    /// Longest path from each operation's end to the sink (valid in fast mode).
    tail: Vec<Minute>,
    exact: Vec<Move>,
    /// Scratch for [`Self::pull_descent`]: one late job's pull moves, the late jobs drawn.
    pulls: Vec<Move>,
    late: Vec<JobId>,
    /// The time limit: a step stops evaluating moves past it (one step's exact moves cost
    /// up to half a second at 10k operations with secondary resources).
    deadline: Option<Instant>,
    /// Lane threads that evaluate this walk's candidates with it ([`crew`]); `None`: alone.
    crew: Option<Crew>,
    /// The move last applied by [`Self::apply_move`], until kept or reverted.
    applied: Option<Move>,
    /// Scratch: the keys of a batch of candidates.
    keys: Vec<Option<Key>>,
}

/// Whether the head/tail estimate is valid for this instance.
pub(super) fn plain_makespan(p: &Problem) -> bool {
    let w = &p.objective;
    w.makespan > 0.0
        && w.weighted_tardiness == 0.0
        && w.late_jobs == 0.0
        && w.flow_time == 0.0
        && w.changeover_time == 0.0
        && w.earliness == 0.0
        && p.jobs.iter().all(|j| j.deadline.is_none())
        && p.machines
            .iter()
            .all(|m| m.availability.is_always() && m.changeovers.is_none())
        && p.ops
            .iter()
            .all(|o| o.pinned.is_none() && o.not_before.is_none())
        && p.stability.is_none()
        && !p.has_secondary()
}

impl<'a> Worker<'a> {
    fn new(problem: &'a Problem, mut start: Sequence, seed: u64, thread: usize) -> Self {
        let mut dec = Decoder::new(problem);
        dec.decode(problem, &start).expect("the start decodes");
        let n = problem.ops.len();
        if problem.has_secondary() && start.priority.len() != n {
            // Priorities the search can swap: the order the decoder placed the operations in,
            // which decodes to the same schedule.
            start.priority = vec![0; n];
            for (k, o) in dec.placed.iter().enumerate() {
                start.priority[o.idx()] = k as u32;
            }
        }
        let k = key(&dec.evaluate(problem));
        let mut w = Worker {
            problem,
            rng: StdRng::seed_from_u64(seed ^ (thread as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)),
            dec,
            moves_eval: MoveEvaluator::new(problem),
            cur: start.clone(),
            cur_key: k,
            best: start,
            best_key: k,
            tabu: std::collections::HashMap::new(),
            jumped: Vec::new(),
            pos: Vec::with_capacity(n),
            path: Vec::new(),
            moves: Vec::new(),
            iterations: 0,
            evaluations: 0,
            since_improvement: 0,
            patience: 1000 + 10 * n as u64,
            fast: plain_makespan(problem),
            tail: vec![0; n],
            exact: Vec::new(),
            pulls: Vec::new(),
            late: Vec::new(),
            deadline: None,
            crew: None,
            applied: None,
            keys: Vec::new(),
        };
        // Incremental moves start from a full decode of their own.
        w.evaluate();
        if thread > 0 {
            // Diversity: each helper thread starts from its own perturbation.
            w.perturb(3 + thread);
        }
        w
    }

    /// Decodes `cur` in full (leaving its times in the decoder) and returns its key.
    fn evaluate(&mut self) -> Option<Key> {
        if let Some(crew) = &mut self.crew {
            crew.jumped();
        }
        let e = self
            .moves_eval
            .sync(self.problem, &mut self.dec, &self.cur)
            .ok()?;
        Some(key(&e))
    }

    /// Applies `mv` to `cur` and evaluates it (without a full decode); when the result does
    /// not decode, `cur` is restored and `None` returned. After `Some`, either
    /// [`Self::keep_move`] or [`Self::revert_move`].
    fn apply_move(&mut self, mv: Move) -> Option<Key> {
        mv.apply(&mut self.cur);
        let result = self
            .moves_eval
            .apply(self.problem, &mut self.dec, &self.cur, &mv.change());
        match result {
            Ok(e) => {
                self.applied = Some(mv);
                Some(key(&e))
            }
            Err(_) => {
                self.revert_move(mv);
                None
            }
        }
    }

    /// Keeps the move last applied by [`Self::apply_move`].
    fn keep_move(&mut self) {
        self.moves_eval.keep(self.problem, &mut self.dec, &self.cur);
        if let (Some(crew), Some(mv)) = (&mut self.crew, self.applied.take()) {
            crew.kept(mv);
        }
    }

    /// Takes back the move last applied by [`Self::apply_move`].
    fn revert_move(&mut self, mv: Move) {
        self.applied = None;
        mv.undo(&mut self.cur);
        self.moves_eval.undo(self.problem, &mut self.dec, &self.cur);
    }

    /// Moves to a schedule offered from outside the threads (an exact dispatching rule) when it
    /// is better than where this thread stands: it left the blind start's region for a better
    /// one, which waiting for stagnation would not reach at plant scale.
    fn adopt(&mut self, k: Key, seq: Sequence) {
        if k < self.best_key {
            self.best = seq.clone();
            self.best_key = k;
        }
        if k < self.cur_key {
            // A new start: its full decode, and no tabu arcs from the old trajectory.
            self.cur = seq;
            self.cur_key = self.evaluate().unwrap_or(k);
            self.tabu.clear();
            self.since_improvement = 0;
        }
    }

    /// Adopts the shared best when stagnating.
    fn share(&mut self, k: Key, seq: Sequence) {
        if k < self.best_key {
            self.best = seq.clone();
            self.best_key = k;
        }
        if self.since_improvement > self.patience / 2 && k <= self.cur_key {
            self.cur = seq;
            self.cur_key = k;
            self.perturb(2);
        }
    }

    /// The end operations whose completion the objective cares about most.
    fn targets(&mut self) -> Vec<OpId> {
        let p = self.problem;
        let w = &p.objective;
        let d = &self.dec;
        let mut t = Vec::new();
        let mut late: Vec<(f64, OpId)> = Vec::new();
        for (j, job) in p.jobs.iter().enumerate() {
            let c = d.completion[j];
            if let Some(dl) = job.deadline {
                if c > dl {
                    late.push((1e12 + (c - dl) as f64, job.last_op()));
                    continue;
                }
            }
            if let Some(due) = job.due {
                if c > due && (w.weighted_tardiness > 0.0 || w.late_jobs > 0.0) {
                    late.push((
                        job.weight * ((c - due) as f64 * w.weighted_tardiness + w.late_jobs),
                        job.last_op(),
                    ));
                }
            }
        }
        late.sort_by(|a, b| b.0.total_cmp(&a.0));
        // The worst few, and a random other one for diversity.
        t.extend(late.iter().take(2).map(|x| x.1));
        if late.len() > 2 {
            t.push(late[self.rng.random_range(2..late.len())].1);
        }
        if w.makespan > 0.0 || t.is_empty() {
            if let Some(o) = (0..p.ops.len()).max_by_key(|&o| (d.end[o], std::cmp::Reverse(o))) {
                t.push(OpId(o as u32));
            }
        }
        if w.flow_time > 0.0 || w.earliness > 0.0 {
            let j = self.rng.random_range(0..p.jobs.len());
            t.push(p.jobs[j].last_op());
        }
        t.sort_unstable();
        t.dedup();
        t
    }

    /// This iteration's candidate moves into `self.moves`, sorted and deduplicated: block moves
    /// and reassignments on the targets' critical paths, priority swaps for operations a
    /// resource or material held up, reverts towards the baseline, family groupings.
    fn collect_moves(&mut self) {
        // The decoder holds `cur`'s times here (kept so after every accepted move).
        positions(&self.cur, &mut self.pos);
        self.moves.clear();
        let targets = self.targets();
        let mut path = std::mem::take(&mut self.path);
        let secondary = !self.cur.priority.is_empty();
        let mut waiting: Vec<OpId> = Vec::new();
        for &o in &targets {
            critical_path(self.problem, &self.cur, &self.dec, &self.pos, o, &mut path);
            if secondary {
                // The chain starts where a resource or material held it up, if one did.
                waiting.extend(path.iter().copied().filter(|&x| {
                    matches!(
                        self.dec.cause[x.idx()],
                        Cause::Resource(_) | Cause::Material(_)
                    )
                }));
            }
            block_moves(&self.cur, &self.pos, &path, &mut self.moves);
            reassign_moves(
                self.problem,
                &self.cur,
                &self.dec,
                &self.pos,
                &path,
                &mut self.moves,
            );
        }
        self.path = path;
        if secondary {
            // And a few other held-up operations, for diversity.
            let n = self.problem.ops.len();
            for _ in 0..4 {
                let x = self.rng.random_range(0..n);
                if matches!(self.dec.cause[x], Cause::Resource(_) | Cause::Material(_)) {
                    waiting.push(OpId(x as u32));
                }
            }
            waiting.sort_unstable();
            waiting.dedup();
            let mut moves = std::mem::take(&mut self.moves);
            priority_moves(
                self.problem,
                &self.cur,
                &self.dec,
                &self.pos,
                &waiting,
                3,
                &mut moves,
            );
            self.moves = moves;
        }
        if self.problem.stability.is_some() {
            let mut moves = std::mem::take(&mut self.moves);
            revert_moves(
                self.problem,
                &self.cur,
                &self.dec,
                &self.pos,
                &mut self.rng,
                8,
                &mut moves,
            );
            self.moves = moves;
        }
        if self.problem.objective.changeover_time > 0.0 || self.rng.random_bool(0.2) {
            let mut moves = std::mem::take(&mut self.moves);
            family_moves(self.problem, &self.cur, &mut self.rng, 4, &mut moves);
            self.moves = moves;
        }
        self.moves.sort_unstable();
        self.moves.dedup();
    }

    /// Descent on late jobs before the tabu step: for a few late jobs drawn by what they cost,
    /// the best improving pull move of each ([`pull_moves`]) is kept at once. One tabu step
    /// keeps one move among 48 candidates; at plant scale, with hundreds of late jobs, that
    /// walks too slowly, while pulls that improve are plentiful. Returns whether the best
    /// improved; leaves `pos` and the decoder holding `cur`.
    fn pull_descent(&mut self, it: u64) -> (bool, usize) {
        if self.fast || self.problem.ops.len() < PULL_MIN_OPS {
            return (false, 0);
        }
        let mut evaluated = 0;
        let mut late = std::mem::take(&mut self.late);
        sample_late_jobs(self.problem, &self.dec, &mut self.rng, PULL_JOBS, &mut late);
        let mut pulls = std::mem::take(&mut self.pulls);
        let mut improved = false;
        let mut keys = std::mem::take(&mut self.keys);
        for &j in &late {
            positions(&self.cur, &mut self.pos);
            pulls.clear();
            pull_moves(self.problem, &self.cur, &self.dec, &self.pos, j, &mut pulls);
            pulls.sort_unstable();
            pulls.dedup();
            sample(&mut self.rng, &mut pulls, PULLS_PER_JOB);
            evaluated += pulls.len();
            self.evaluate_moves(&pulls, &mut keys);
            let mut chosen: Option<(Key, Move)> = None;
            for (&mv, &k) in pulls.iter().zip(&keys) {
                let Some(k) = k else { continue };
                if k < self.cur_key && chosen.as_ref().is_none_or(|(ck, _)| k < *ck) {
                    chosen = Some((k, mv));
                }
            }
            if let Some((_, mv)) = chosen {
                improved |= self.accept(mv, it).unwrap_or(false);
            }
        }
        self.keys = keys;
        self.late = late;
        self.pulls = pulls;
        self.evaluations += evaluated as u64;
        (improved, evaluated)
    }

    /// One tabu-search iteration. Returns whether the best improved.
    fn step(&mut self) -> bool {
        self.iterations += 1;
        let it = self.iterations;
        let (pulled, pull_evaluations) = self.pull_descent(it);
        self.collect_moves();
        if self.fast {
            self.compute_tails();
        }
        let mut chosen: Option<(Key, Move)> = None;
        let moves = std::mem::take(&mut self.moves);
        let mut exact = std::mem::take(&mut self.exact);
        exact.clear();
        for &mv in &moves {
            if self.problem.op(mv.moved_op(&self.cur)).pinned.is_some() {
                continue;
            }
            let k = match mv {
                Move::Shift { m, from, to } if self.fast && to == from + 1 => {
                    Key(0, self.swap_estimate(m, from) as f64)
                }
                _ => {
                    exact.push(mv);
                    continue;
                }
            };
            self.evaluations += 1;
            self.consider(mv, k, it, &mut chosen);
        }
        // Exactly evaluated moves cost a full decode each: sample them when there are many.
        let cap = if self.fast { 6 } else { 48 - pull_evaluations };
        sample(&mut self.rng, &mut exact, cap);
        self.evaluations += exact.len() as u64;
        let mut keys = std::mem::take(&mut self.keys);
        self.evaluate_moves(&exact, &mut keys);
        for (&mv, &k) in exact.iter().zip(&keys) {
            if let Some(k) = k {
                self.consider(mv, k, it, &mut chosen);
            }
        }
        self.keys = keys;
        self.exact = exact;
        if chosen.is_none() && !moves.is_empty() {
            // Every move is tabu: take a random one rather than give up on this trajectory.
            let mv = moves[self.rng.random_range(0..moves.len())];
            if self.problem.op(mv.moved_op(&self.cur)).pinned.is_none() {
                chosen = Some((Key(i64::MAX, f64::INFINITY), mv));
            }
        }
        self.moves = moves;
        let mut improved = pulled;
        if let Some((_, mv)) = chosen {
            match self.accept(mv, it) {
                Some(better) => improved |= better,
                None => chosen = None,
            }
        }
        if improved {
            self.since_improvement = 0;
        } else {
            self.since_improvement += 1;
            if chosen.is_none() || self.since_improvement > self.patience {
                self.cur = self.best.clone();
                let strength = 2 + self
                    .rng
                    .random_range(0..(2 + self.problem.machines.len() / 2));
                self.perturb(strength);
                self.since_improvement = 0;
            }
        }
        // The decoder now holds `cur`'s times (from the accepted move or the perturbation).
        improved
    }

    /// Makes `mv` the walk's move at iteration `it`: tabu against undoing it for a random
    /// tenure, applied and kept. Returns whether the best schedule improved; `None` when the
    /// move does not decode (nothing changed then).
    fn accept(&mut self, mv: Move, it: u64) -> Option<bool> {
        mv.apply(&mut self.cur);
        let n = self.problem.ops.len() as u64;
        let tenure = it + 2 + self.rng.random_range(0..(6 + n / 25));
        self.make_tabu(&mv, tenure);
        mv.undo(&mut self.cur);
        let k = self.apply_move(mv)?;
        self.keep_move();
        self.cur_key = k;
        if k < self.best_key {
            self.best = self.cur.clone();
            self.best_key = k;
            return Some(true);
        }
        Some(false)
    }

    /// The keys of `moves` from `cur` into `out` (one per move; `None`: does not decode, or
    /// not evaluated because the time limit passed), by this thread and its lanes if any.
    fn evaluate_moves(&mut self, moves: &[Move], out: &mut Vec<Option<Key>>) {
        let p = self.problem;
        if let Some(crew) = &mut self.crew {
            let (dec, eval, cur) = (&mut self.dec, &mut self.moves_eval, &mut self.cur);
            crew.evaluate(p, dec, eval, cur, moves, self.deadline, out);
            return;
        }
        out.clear();
        for &mv in moves {
            if self.deadline.is_some_and(|d| Instant::now() >= d) {
                break;
            }
            out.push(try_move(
                p,
                &mut self.dec,
                &mut self.moves_eval,
                &mut self.cur,
                mv,
            ));
        }
        out.resize(moves.len(), None);
    }

    /// Keeps the best admissible move: not tabu, unless it beats the best schedule (aspiration).
    fn consider(&mut self, mv: Move, k: Key, it: u64, chosen: &mut Option<(Key, Move)>) {
        if self.is_tabu(&mv, it) && k.partial_cmp(&self.best_key) != Some(std::cmp::Ordering::Less)
        {
            return;
        }
        if chosen.as_ref().is_none_or(|(ck, _)| k < *ck) {
            *chosen = Some((k, mv));
        }
    }

    /// Tails of the decoded `cur`: longest path from each operation's end to the sink.
    fn compute_tails(&mut self) {
        let p = self.problem;
        let d = &self.dec;
        for &o in d.placed.iter().rev() {
            let mut q = 0;
            let m = self.cur.machine_of[o.idx()];
            let op = p.op(o);
            if o != p.job(op.job).last_op() {
                let s = OpId(o.0 + 1);
                let lag = p.transfer_time(m, self.cur.machine_of[s.idx()]);
                q = q.max(lag + d.end[s.idx()] - d.start[s.idx()] + self.tail[s.idx()]);
            }
            let order = &self.cur.order[m.idx()];
            if let Some(&s) = order.get(self.pos[o.idx()] + 1) {
                q = q.max(d.end[s.idx()] - d.start[s.idx()] + self.tail[s.idx()]);
            }
            self.tail[o.idx()] = q;
        }
    }

    /// Estimated makespan after swapping the operations at `i` and `i + 1` on `m` (Taillard's
    /// head/tail estimate: exact on the paths through the pair).
    fn swap_estimate(&self, m: MachineId, i: usize) -> Minute {
        let p = self.problem;
        let d = &self.dec;
        let order = &self.cur.order[m.idx()];
        let (u, v) = (order[i], order[i + 1]);
        let dur = |x: OpId| d.end[x.idx()] - d.start[x.idx()];
        let head_job = |x: OpId| {
            let rel = p.op_release(x).max(0);
            match p.pred(x) {
                Some(q) => {
                    rel.max(d.end[q.idx()] + p.transfer_time(self.cur.machine_of[q.idx()], m))
                }
                None => rel,
            }
        };
        let tail_job = |x: OpId| {
            let op = p.op(x);
            if x == p.job(op.job).last_op() {
                0
            } else {
                let s = OpId(x.0 + 1);
                p.transfer_time(m, self.cur.machine_of[s.idx()]) + dur(s) + self.tail[s.idx()]
            }
        };
        let before = if i > 0 { d.end[order[i - 1].idx()] } else { 0 };
        let after = order.get(i + 2).map_or(0, |&s| dur(s) + self.tail[s.idx()]);
        let rv = head_job(v).max(before);
        let ru = head_job(u).max(rv + dur(v));
        let qu = tail_job(u).max(after);
        let qv = tail_job(v).max(dur(u) + qu);
        (rv + dur(v) + qv).max(ru + dur(u) + qu)
    }

    /// The arcs a move would create, as (before, after) pairs, in `self.jumped` terms: the moved
    /// op and the ops it jumps over.
    fn jumped_over(&mut self, mv: &Move) -> (OpId, bool) {
        self.jumped.clear();
        match *mv {
            Move::Shift { m, from, to } => {
                let order = &self.cur.order[m.idx()];
                let x = order[from];
                if to > from {
                    self.jumped.extend_from_slice(&order[from + 1..=to]);
                    (x, true)
                } else {
                    self.jumped.extend_from_slice(&order[to..from]);
                    (x, false)
                }
            }
            Move::Reassign { op, .. } | Move::Priority { a: op, .. } => (op, false),
        }
    }

    /// A move is tabu if it restores an order it recently reversed, or returns an operation to a
    /// machine it recently left.
    fn is_tabu(&mut self, mv: &Move, it: u64) -> bool {
        if let Move::Reassign { op, to, .. } = *mv {
            return self
                .tabu
                .get(&(op.0, u32::MAX - to.0))
                .is_some_and(|&u| u > it);
        }
        if let Move::Priority { a, b } = *mv {
            return self.tabu.get(&priority_arc(a, b)).is_some_and(|&u| u > it);
        }
        let (x, forward) = self.jumped_over(mv);
        self.jumped.iter().any(|&y| {
            // Moving x forward puts each y before x; backward puts x before each y.
            let arc = if forward { (y.0, x.0) } else { (x.0, y.0) };
            self.tabu.get(&arc).is_some_and(|&u| u > it)
        })
    }

    /// Forbids undoing `mv` until iteration `until`.
    fn make_tabu(&mut self, mv: &Move, until: u64) {
        // `mv` has been applied; describe it on the sequence before it.
        mv.undo(&mut self.cur);
        if let Move::Reassign { op, from, .. } = *mv {
            self.tabu.insert((op.0, u32::MAX - from.0), until);
        } else if let Move::Priority { a, b } = *mv {
            self.tabu.insert(priority_arc(a, b), until);
        } else {
            let (x, forward) = self.jumped_over(mv);
            for i in 0..self.jumped.len() {
                let y = self.jumped[i];
                // The reverse of the new arc is forbidden.
                let arc = if forward { (x.0, y.0) } else { (y.0, x.0) };
                self.tabu.insert(arc, until);
            }
        }
        mv.apply(&mut self.cur);
        if self.tabu.len() > 4096 {
            let it = self.iterations;
            self.tabu.retain(|_, &mut u| u > it);
        }
    }

    /// `k` random moves that keep the sequence decodable: adjacent swaps and reassignments.
    fn perturb(&mut self, k: usize) {
        let p = self.problem;
        // `cur` may have been replaced: incremental moves start from its full decode.
        self.evaluate();
        for _ in 0..k * 3 {
            let n = p.ops.len();
            let mv = if !self.cur.priority.is_empty() && self.rng.random_bool(0.3) {
                Move::Priority {
                    a: OpId(self.rng.random_range(0..n) as u32),
                    b: OpId(self.rng.random_range(0..n) as u32),
                }
            } else if self.rng.random_bool(0.7) {
                let m = self.rng.random_range(0..p.machines.len());
                let len = self.cur.order[m].len();
                if len < 2 {
                    continue;
                }
                let i = self.rng.random_range(0..len - 1);
                Move::Shift {
                    m: MachineId(m as u32),
                    from: i,
                    to: i + 1,
                }
            } else {
                let o = OpId(self.rng.random_range(0..p.ops.len()) as u32);
                let op = p.op(o);
                if op.modes.len() < 2 || op.pinned.is_some() {
                    continue;
                }
                let from = self.cur.machine_of[o.idx()];
                let to = op.modes[self.rng.random_range(0..op.modes.len())].machine;
                if to == from {
                    continue;
                }
                let from_pos = self.cur.order[from.idx()]
                    .iter()
                    .position(|&x| x == o)
                    .unwrap();
                let to_pos = self.rng.random_range(0..=self.cur.order[to.idx()].len());
                Move::Reassign {
                    op: o,
                    from,
                    from_pos,
                    to,
                    to_pos,
                }
            };
            if p.op(mv.moved_op(&self.cur)).pinned.is_some() {
                continue;
            }
            if self.apply_move(mv).is_some() {
                self.keep_move();
            }
        }
        // The decoder holds `cur` (or failed to decode it: then no move was applied).
        self.cur_key = if self.moves_eval.is_synced() {
            key(&self.moves_eval.evaluation())
        } else {
            Key(i64::MAX, f64::INFINITY)
        };
    }
}

/// Instances from this many operations get the pull descent: below, the tabu step alone walks
/// fast enough, and its trajectories (and the small-instance results) stay as they were.
const PULL_MIN_OPS: usize = 1000;
/// Late jobs whose operations get pull moves each iteration.
const PULL_JOBS: usize = 4;
/// Pull moves evaluated per late job (sampled when there are more). The tabu step evaluates
/// 48 moves less those, so an iteration costs what it did before the pulls.
const PULLS_PER_JOB: usize = 4;

/// Keeps `cap` of `v`, drawn at random (all when there are no more).
fn sample(rng: &mut StdRng, v: &mut Vec<Move>, cap: usize) {
    if v.len() > cap {
        for i in 0..cap {
            let j = rng.random_range(i..v.len());
            v.swap(i, j);
        }
        v.truncate(cap);
    }
}

/// The tabu key of a priority swap (either direction); the high bit keeps it apart from the
/// arcs and machine keys.
fn priority_arc(a: OpId, b: OpId) -> (u32, u32) {
    (a.0.min(b.0) | 1 << 31, a.0.max(b.0) | 1 << 31)
}

#[cfg(test)]
mod background_tests;
