//! A dedicated search for one machine (the OR-Library weighted tardiness instances and any
//! instance where a single machine's sequence is all that matters): iterated dynasearch with
//! insertion moves (see [`local`]), random kicks, and threads with their own seeds that share
//! the best sequence at fixed epochs, so that a run with `iterations` and a seed is reproducible.
//!
//! It optimises exactly the instance's objective (any mix of makespan, weighted tardiness, late
//! jobs, flow time and earliness) over semi-active schedules of a permutation, which is what the
//! decoder builds from the sequence; the result goes through the decoder and evaluator like every
//! solver's. One iteration here is one kick and the descent after it.
//!
//! The lower bound (up to 0.3 s of CPU on wt100 for the time-indexed Lagrangian bound) runs on
//! its own thread beside the search, so that the search starts at once; the search stops at
//! "optimal (bound met)" at the first meeting of the threads after the bound has arrived. With
//! an iteration limit the first meeting waits for it, so that when the run stops does not
//! depend on when the bound arrives (see [`Run::decide`]).

mod bound_slot;
mod local;

use super::bound::meets;
use super::search::{SearchConfig, SearchOutcome};
use super::{finish, solve_dispatch, SolveError};
use crate::eval::Sequence;
use crate::model::{MachineId, OpId, Problem};
use bound_slot::BoundSlot;
use local::{Model, State};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Barrier, Mutex};
use std::time::{Duration, Instant};

/// Kicks per thread between two meetings of the threads.
const EPOCH: u64 = 16;

/// The machine every operation runs on, when the instance is a plain one-machine sequencing
/// problem: one operation per job, all on the same machine and only there, no calendar or
/// downtime, no changeovers, pins, hard deadlines, secondary resources or baseline plan.
pub fn qualifies(problem: &Problem) -> Option<MachineId> {
    if problem.ops.is_empty() || problem.has_secondary() || problem.stability.is_some() {
        return None;
    }
    let mut machine = None;
    for job in &problem.jobs {
        if job.op_count != 1 || job.deadline.is_some() {
            return None;
        }
        let op = problem.op(OpId(job.first_op));
        if op.modes.len() != 1 || op.pinned.is_some() {
            return None;
        }
        let m = op.modes[0].machine;
        if machine.is_some_and(|x| x != m) {
            return None;
        }
        machine = Some(m);
    }
    let m = machine?;
    let mach = problem.machine(m);
    let families = problem.ops.iter().any(|o| o.family.is_some());
    (mach.availability.is_always() && (mach.changeovers.is_none() || !families)).then_some(m)
}

fn model(problem: &Problem) -> Model {
    let w = problem.objective;
    let jobs = &problem.jobs;
    let per_job = |x: f64| jobs.iter().map(|j| j.weight * x).collect::<Vec<f64>>();
    let r: Vec<i64> = jobs
        .iter()
        .map(|j| problem.op_release(OpId(j.first_op)).max(0))
        .collect();
    Model {
        p: jobs
            .iter()
            .map(|j| problem.op(OpId(j.first_op)).modes[0].duration)
            .collect(),
        no_idle: r.iter().all(|&x| x == 0),
        r,
        due: jobs.iter().map(|j| j.due).collect(),
        wt: per_job(w.weighted_tardiness),
        wl: per_job(w.late_jobs),
        wf: per_job(w.flow_time),
        we: per_job(w.earliness),
        flow_from: jobs.iter().map(|j| j.release).collect(),
        w_makespan: w.makespan,
        regular: w.earliness == 0.0 || jobs.iter().all(|j| j.weight == 0.0 || j.due.is_none()),
    }
}

/// The sequence of a job permutation on machine `m`.
fn sequence(problem: &Problem, m: MachineId, perm: &[u32]) -> Sequence {
    let mut order = vec![Vec::new(); problem.machines.len()];
    order[m.idx()] = perm
        .iter()
        .map(|&j| OpId(problem.jobs[j as usize].first_op))
        .collect();
    Sequence::new(vec![m; problem.ops.len()], order)
}

/// A few random swaps, mostly between nearby positions.
fn kick(perm: &mut [u32], rng: &mut StdRng) {
    let n = perm.len();
    if n < 2 {
        return;
    }
    for _ in 0..rng.random_range(2..=4usize) {
        let i = rng.random_range(0..n);
        let j = if rng.random_bool(0.8) {
            let span = rng.random_range(1..=10.min(n - 1));
            if i + span < n {
                i + span
            } else {
                i.saturating_sub(span)
            }
        } else {
            rng.random_range(0..n)
        };
        perm.swap(i, j);
    }
}

/// Shared between the threads.
struct Shared {
    /// Best offered at the last epoch: (cost, thread, permutation).
    best: Option<(f64, usize, Vec<u32>)>,
    /// The best as the leader saw it at the last meeting: what the threads adopt. Reading
    /// `best` instead would race: a fast thread may offer its next epoch's best before a slow
    /// one has read this meeting's, and a run with `iterations` would depend on timing.
    snapshot: Option<(f64, Vec<u32>)>,
    history: Vec<(f64, f64)>,
    finished: bool,
    stalled_epochs: u64,
    last_best: f64,
    /// The lower bound as the leader saw it at the last meeting (`None`: not arrived yet): what
    /// the stop decision reads, so that it changes only at meetings.
    bound: Option<f64>,
}

/// One run of the dedicated search: what its threads share (read-only settings, counters and
/// the best sequence offered at the last meeting).
struct Run<'a> {
    model: Model,
    /// The dispatching rule's job permutation: every thread starts from it.
    start: Vec<u32>,
    cfg: &'a SearchConfig,
    started: Instant,
    /// Filled by the bound's thread.
    bound: BoundSlot,
    threads: usize,
    deadline: Option<Instant>,
    per_thread: Option<u64>,
    /// In kicks (see [`search`]).
    stall: Option<u64>,
    total_iters: AtomicU64,
    /// The best cost any thread has recorded (bits of an `f64`).
    best_bits: AtomicU64,
    shared: Mutex<Shared>,
    barrier: Barrier,
}

/// One thread's walk: its random stream, current and best states, and counters.
struct Walk {
    rng: StdRng,
    cur: State,
    best: State,
    iterations: u64,
    /// Kicks since the last improvement of the current state (or return to the best).
    since: u64,
    last_print: Instant,
}

/// Runs the dedicated search on a problem that [`qualifies`] on machine `m`.
pub fn search(
    problem: &Problem,
    m: MachineId,
    cfg: &SearchConfig,
    started: Instant,
) -> Result<SearchOutcome, SolveError> {
    let initial = solve_dispatch(problem)?;
    let threads = cfg.threads.max(1);
    let run = Run {
        model: model(problem),
        start: initial.sequence.order[m.idx()]
            .iter()
            .map(|&o| problem.op(o).job.0)
            .collect(),
        cfg,
        started,
        bound: BoundSlot::new(),
        threads,
        deadline: cfg.time_limit.map(|t| started + t),
        per_thread: cfg.iterations.map(|i| i.div_ceil(threads as u64)),
        // `stall` counts the general search's iterations; a kick here is worth about a hundred.
        stall: cfg.stall.map(|s| (s / 100).max(50)),
        total_iters: AtomicU64::new(0),
        best_bits: AtomicU64::new(initial.evaluation.value.to_bits()),
        shared: Mutex::new(Shared {
            best: None,
            snapshot: None,
            history: vec![(started.elapsed().as_secs_f64(), initial.evaluation.value)],
            finished: false,
            stalled_epochs: 0,
            last_best: f64::INFINITY,
            bound: None,
        }),
        barrier: Barrier::new(threads),
    };
    std::thread::scope(|s| {
        let slot = &run.bound;
        s.spawn(move || slot.compute(problem));
        for t in 0..threads {
            let run = &run;
            s.spawn(move || run.thread(t));
        }
    });
    let iterations = run.total_iters.load(Ordering::Relaxed);
    let bound = run
        .bound
        .get()
        .expect("the bound's thread has ended with the scope");
    let sh = run.shared.into_inner().unwrap();
    let (_, _, perm) = sh.best.expect("at least one epoch ran");
    let mut result = finish(problem, sequence(problem, m, &perm), String::new())?;
    if result.evaluation.value < initial.evaluation.value - 1e-9 {
        result.method = format!("iterated dynasearch (one machine) from {}", initial.method);
    } else {
        result = initial.clone();
        result.method = format!(
            "{} (iterated dynasearch found no improvement)",
            initial.method
        );
    }
    let optimal = result.evaluation.feasible() && meets(result.evaluation.value, bound);
    Ok(SearchOutcome {
        result,
        history: sh.history,
        iterations,
        seconds: started.elapsed().as_secs_f64(),
        bound,
        optimal,
    })
}

impl Run<'_> {
    fn stopped(&self) -> bool {
        self.cfg
            .stop
            .as_ref()
            .is_some_and(|s| s.load(Ordering::Relaxed))
            || self.deadline.is_some_and(|d| Instant::now() >= d)
    }

    /// A thread's new best: into the history when it beats every thread's. (Whether it meets
    /// the bound is decided at the next meeting.)
    fn record(&self, v: f64) {
        if v < f64::from_bits(self.best_bits.load(Ordering::Relaxed)) {
            self.best_bits.store(v.to_bits(), Ordering::Relaxed);
            self.shared
                .lock()
                .unwrap()
                .history
                .push((self.started.elapsed().as_secs_f64(), v));
        }
    }

    /// Thread `t`: epochs of kicks, each followed by a meeting, until the meeting says stop.
    fn thread(&self, t: usize) {
        let model = &self.model;
        let mut rng = StdRng::seed_from_u64(
            self.cfg.seed ^ (t as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15),
        );
        let mut cur = State::new(model, self.start.clone());
        if t > 0 {
            // Diverse starts: the other threads begin from a kicked copy.
            kick(&mut cur.perm, &mut rng);
            cur.refresh(model);
        }
        cur.descend(model);
        self.record(cur.cost);
        let mut w = Walk {
            rng,
            best: cur.clone(),
            cur,
            iterations: 0,
            since: 0,
            last_print: Instant::now(),
        };
        loop {
            self.epoch(&mut w);
            if self.meet(t, &mut w) {
                break;
            }
        }
    }

    /// Up to [`EPOCH`] kicks, each followed by a descent; a worse result is kept (a walk), but
    /// a walk stuck too long returns to the thread's best.
    fn epoch(&self, w: &mut Walk) {
        let model = &self.model;
        for _ in 0..EPOCH {
            if self.per_thread.is_some_and(|l| w.iterations >= l) || self.stopped() {
                break;
            }
            let mut cand = w.cur.clone();
            kick(&mut cand.perm, &mut w.rng);
            cand.refresh(model);
            cand.descend(model);
            w.iterations += 1;
            self.total_iters.fetch_add(1, Ordering::Relaxed);
            w.since += 1;
            if cand.cost <= w.cur.cost + 1e-9 {
                w.cur = cand;
            } else if w.since > 50 + model.p.len() as u64 {
                // Stuck: back to the best.
                w.cur = w.best.clone();
                w.since = 0;
            }
            if w.cur.cost < w.best.cost - 1e-9 {
                w.best = w.cur.clone();
                w.since = 0;
                self.record(w.best.cost);
            }
        }
    }

    /// The threads' meeting after an epoch: each offers its best, one (the barrier's leader)
    /// decides whether to stop, then each adopts the shared best when it beats its own. Fixed
    /// meetings keep a run with `iterations` and a seed reproducible. `true`: stop.
    fn meet(&self, t: usize, w: &mut Walk) -> bool {
        {
            let mut sh = self.shared.lock().unwrap();
            if sh
                .best
                .as_ref()
                .is_none_or(|(c, tt, _)| (w.best.cost, t) < (*c, *tt))
            {
                sh.best = Some((w.best.cost, t, w.best.perm.clone()));
            }
        }
        if self.barrier.wait().is_leader() {
            self.decide(w);
        }
        self.barrier.wait();
        let sh = self.shared.lock().unwrap();
        if sh.finished {
            return true;
        }
        // Adopt the shared best when it beats this thread's own.
        if let Some((c, perm)) = &sh.snapshot {
            if *c < w.best.cost - 1e-9 {
                w.best = State::new(&self.model, perm.clone());
                w.cur = w.best.clone();
                w.since = 0;
            }
        }
        false
    }

    /// The leader's part of a meeting: counts stalled epochs, decides whether the run is over
    /// (stop, limits, bound met, stall) and prints progress at most once a second.
    ///
    /// The bound is read here only: once it has arrived it stays. With an iteration limit the
    /// first meeting waits for it, so every meeting of a reproducible run sees it, whenever the
    /// bound's thread finished; without one, a meeting before its arrival goes on searching.
    fn decide(&self, w: &mut Walk) {
        let mut sh = self.shared.lock().unwrap();
        if sh.bound.is_none() {
            sh.bound = if self.per_thread.is_some() {
                Some(self.bound.wait())
            } else {
                self.bound.get()
            };
        }
        let c = sh.best.as_ref().expect("offered").0;
        sh.snapshot = sh.best.as_ref().map(|(c, _, perm)| (*c, perm.clone()));
        sh.stalled_epochs = if c < sh.last_best - 1e-9 {
            0
        } else {
            sh.stalled_epochs + 1
        };
        sh.last_best = c;
        let stalled = self
            .stall
            .is_some_and(|s| sh.stalled_epochs * EPOCH * self.threads as u64 >= s);
        sh.finished = self.stopped()
            || self.per_thread.is_some_and(|l| w.iterations >= l)
            || sh.bound.is_some_and(|b| meets(c, b))
            || c <= 0.0
            || stalled;
        if !self.cfg.quiet && w.last_print.elapsed() >= Duration::from_secs(1) {
            eprintln!(
                "[{:6.1}s] best objective {:.2}  iterations {} (one machine)",
                self.started.elapsed().as_secs_f64(),
                c,
                self.total_iters.load(Ordering::Relaxed)
            );
            w.last_print = Instant::now();
        }
    }
}

/// The dedicated search's own cost of the sequence it returns, for tests: it must equal the
/// evaluator's value of that schedule.
pub fn own_cost(problem: &Problem, sequence: &Sequence) -> Option<f64> {
    let m = qualifies(problem)?;
    let perm: Vec<u32> = sequence.order[m.idx()]
        .iter()
        .map(|&o| problem.op(o).job.0)
        .collect();
    Some(model(problem).evaluate(&perm, &mut Vec::new()))
}
