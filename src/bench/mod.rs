//! `takt bench`: runs a set of benchmark instances, puts every schedule through the referee, and
//! reports the gap to the best-known values, alone and side by side with a peer solver's results.
//!
//! The per-instance loop is [`run`], which takes the solver as a closure, so a test can inject
//! any solver (one that returns an invalid schedule, say) and see how the bench treats it:
//! every schedule is checked by [`crate::check::check`] and re-evaluated from its times by
//! [`crate::eval::evaluate_schedule`]; a schedule the referee rejects, an objective that does not
//! match the schedule, or a value below a proven lower bound is reported on the log (stderr) and
//! in the CSV (`status` column), is never averaged into a gap, and makes the command exit 1.

mod report;
pub mod set;

pub use report::{parse_peer_csv, read_peer_csv, PeerRow, Report, CSV_COLUMNS};
pub use set::{benchmarks_root, subset_of, Entry, Instance};

use crate::check::{check, Rule};
use crate::eval::evaluate_schedule;
use crate::formats::Bks;
use crate::model::{InputError, Problem};
use crate::solve::search::SearchConfig;
use crate::solve::{SolveResult, SolverChoice};
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// `takt bench SET`: run a benchmark set, report the gap to best-known values.
#[derive(clap::Args, Debug, Clone)]
pub struct BenchArgs {
    /// A directory of instances (with bks.csv beside them), a family (jssp, fjsp, smwt: the
    /// directories under the benchmarks root: $TAKT_BENCHMARKS, else the copy vendored in the
    /// source tree the binary was built from, instances/shared/benchmarks), a list file (one
    /// instance a line, `wt40.txt#17` allowed, or a run_suite.py manifest), or one instance file.
    pub set: String,
    /// Wall-clock limit per run, e.g. 30s, 2m, 500ms (default 30s unless --iterations is given).
    #[arg(long, value_parser = crate::options::parse_time_limit)]
    pub time_limit: Option<Duration>,
    /// Iteration limit per run over all threads (reproducible with a seed).
    #[arg(long)]
    pub iterations: Option<u64>,
    /// Search threads per run.
    #[arg(long, default_value_t = 2)]
    pub threads: usize,
    /// Runs per instance, with seeds --seed, --seed+1, ...; the tables show medians.
    #[arg(long, default_value_t = 1)]
    pub seeds: u64,
    /// The first seed.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    #[arg(long, value_enum, default_value = "heuristic")]
    pub solver: SolverChoice,
    /// Write one row per run (and a `median` row per instance when --seeds > 1) to this CSV;
    /// rewritten atomically after every instance. Its `path` column is relative to the
    /// benchmarks root for an instance under it (jssp/ta01.txt), else the path as given (a list
    /// file's line: where it was found).
    #[arg(long)]
    pub csv: Option<PathBuf>,
    /// A peer's results (the CSV format of ../shared/peers/cpsat_30s.csv): print takt and the
    /// peer side by side on the common instances.
    #[arg(long)]
    pub compare: Option<PathBuf>,
    /// Run only the first N instances of the set.
    #[arg(long)]
    pub limit: Option<usize>,
    /// No progress lines on stderr (failures are still reported).
    #[arg(short, long)]
    pub quiet: bool,
    /// Print the set as a run_suite.py manifest (FAMILY PATH [INDEX]) and exit: how
    /// scripts/run_peer.sh runs the peer on exactly the same instances.
    #[arg(long)]
    pub list: bool,
}

impl BenchArgs {
    /// The defaults of the command line, for SET.
    pub fn new(set: impl Into<String>) -> Self {
        BenchArgs {
            set: set.into(),
            time_limit: None,
            iterations: None,
            threads: 2,
            seeds: 1,
            seed: 0,
            solver: SolverChoice::Heuristic,
            csv: None,
            compare: None,
            limit: None,
            quiet: false,
            list: false,
        }
    }

    /// The time limit in force: as given, else 30 s unless an iteration limit is given.
    pub fn effective_time_limit(&self) -> Option<Duration> {
        match (self.time_limit, self.iterations) {
            (None, None) => Some(Duration::from_secs(30)),
            (t, _) => t,
        }
    }

    /// These arguments as a command line (for the report header).
    pub fn command_line(&self) -> String {
        let mut s = format!("takt bench {}", self.set);
        if let Some(t) = self.effective_time_limit() {
            s += &format!(" --time-limit {}", fmt_duration(t));
        }
        if let Some(i) = self.iterations {
            s += &format!(" --iterations {i}");
        }
        s += &format!(" --threads {} --seeds {}", self.threads, self.seeds);
        if self.seed != 0 {
            s += &format!(" --seed {}", self.seed);
        }
        if self.solver != SolverChoice::Heuristic {
            s += &format!(" --solver {}", self.solver.name());
        }
        if let Some(n) = self.limit {
            s += &format!(" --limit {n}");
        }
        if let Some(c) = &self.csv {
            s += &format!(" --csv {}", c.display());
        }
        if let Some(c) = &self.compare {
            s += &format!(" --compare {}", c.display());
        }
        s
    }
}

fn fmt_duration(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{}s", s as u64)
    } else {
        format!("{}ms", d.as_millis())
    }
}

/// What a solver hands to the bench: its result, and what only it knows.
#[derive(Debug, Clone)]
pub struct SolverRun {
    pub result: SolveResult,
    /// (seconds, objective) at each improvement, as in [`crate::solve::search::SearchOutcome`];
    /// empty when the solver keeps none (time to best is then the wall time).
    pub history: Vec<(f64, f64)>,
    /// A proven lower bound on the objective (the MIP's), if any.
    pub bound: Option<f64>,
}

impl From<SolveResult> for SolverRun {
    fn from(result: SolveResult) -> Self {
        SolverRun {
            result,
            history: Vec::new(),
            bound: None,
        }
    }
}

/// How a run ended; declared worst first (`min` over runs is the worst).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// The referee rejects the schedule, or its objective is not what the solver says.
    Invalid,
    /// Valid, but below the best known (proven) lower bound: the reader, the objective or the
    /// bks.csv is wrong.
    BelowLowerBound,
    /// The solver returned no schedule.
    NoSchedule,
    /// A valid schedule apart from hard deadlines it misses.
    DeadlineMissed,
    Ok,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Invalid => "INVALID",
            Status::BelowLowerBound => "BELOW_LB",
            Status::NoSchedule => "NO_SCHEDULE",
            Status::DeadlineMissed => "DEADLINE_MISSED",
        }
    }

    pub fn is_ok(self) -> bool {
        self == Status::Ok
    }
}

/// One run (one seed), or an instance's median over its runs (`seed` = `None`).
#[derive(Debug, Clone, PartialEq)]
pub struct RunRecord {
    pub seed: Option<u64>,
    /// The objective of the schedule, recomputed from its times (`None` if invalid or absent).
    pub objective: Option<f64>,
    /// The best certified lower bound: takt's own ([`crate::solve::bound`]) or the MIP's proven
    /// one, whichever is higher.
    pub bound: Option<f64>,
    /// The MIP's proven bound (solvers `mip` and `auto`).
    pub mip_bound: Option<f64>,
    /// `100 × (objective − bound) / objective`: how far from proven optimal.
    pub gap_bound: Option<f64>,
    /// `100 × (objective − best-known upper bound) / best-known upper bound`.
    pub gap_ub: Option<f64>,
    /// The same against the best-known lower bound.
    pub gap_lb: Option<f64>,
    /// Objective ≤ best-known upper bound.
    pub at_bks: Option<bool>,
    /// Seconds from the start of the run to the last improvement.
    pub time_to_best: Option<f64>,
    pub wall: f64,
    /// Process CPU seconds / (wall × threads): near 1 when the run had its cores to itself.
    pub cpu_share: Option<f64>,
    pub status: Status,
    pub message: String,
}

/// One instance's runs.
#[derive(Debug, Clone)]
pub struct InstanceResult {
    pub name: String,
    pub family: String,
    pub subset: String,
    pub path: String,
    pub bks: Option<Bks>,
    pub jobs: usize,
    pub ops: usize,
    pub machines: usize,
    pub runs: Vec<RunRecord>,
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

/// `100 × (value − reference) / reference`; 0 when both are 0, `None` when the reference is 0
/// and the value is not (no relative gap).
pub fn gap_pct(value: f64, reference: f64) -> Option<f64> {
    if reference > 0.0 {
        Some(100.0 * (value - reference) / reference)
    } else if value <= reference + 1e-9 {
        Some(0.0)
    } else {
        None
    }
}

impl RunRecord {
    /// A run's timing with nothing judged yet: no objective, bound, gap or time to best, status
    /// ok. [`judge`] fills it in; an instance whose runs failed keeps it empty in its summary.
    fn unjudged(seed: Option<u64>, wall: f64, cpu_share: Option<f64>) -> Self {
        RunRecord {
            seed,
            objective: None,
            bound: None,
            mip_bound: None,
            gap_bound: None,
            gap_ub: None,
            gap_lb: None,
            at_bks: None,
            time_to_best: None,
            wall,
            cpu_share,
            status: Status::Ok,
            message: String::new(),
        }
    }
}

impl InstanceResult {
    /// The instance's result: the median over its runs when every run is ok; otherwise the worst
    /// status, with no objective and no gap (a failure is never averaged away).
    pub fn summary(&self) -> RunRecord {
        if self.runs.len() == 1 {
            return self.runs[0].clone();
        }
        let worst = self
            .runs
            .iter()
            .map(|r| r.status)
            .min()
            .unwrap_or(Status::NoSchedule);
        let med = |f: &dyn Fn(&RunRecord) -> Option<f64>| {
            median(self.runs.iter().filter_map(f).collect())
        };
        let wall = med(&|r| Some(r.wall)).unwrap_or(0.0);
        let cpu_share = med(&|r| r.cpu_share);
        let time_to_best = med(&|r| r.time_to_best);
        if worst != Status::Ok {
            let bad: Vec<String> = self
                .runs
                .iter()
                .filter(|r| r.status != Status::Ok)
                .map(|r| format!("seed {}: {}", r.seed.unwrap_or(0), r.status.code()))
                .collect();
            return RunRecord {
                time_to_best,
                status: worst,
                message: format!(
                    "{} of {} runs failed ({})",
                    bad.len(),
                    self.runs.len(),
                    bad.join(", ")
                ),
                ..RunRecord::unjudged(None, wall, cpu_share)
            };
        }
        let objective = med(&|r| r.objective);
        let (gap_ub, gap_lb, at_bks) = gaps(objective, self.bks.as_ref());
        RunRecord {
            seed: None,
            objective,
            bound: med(&|r| r.bound),
            mip_bound: med(&|r| r.mip_bound),
            gap_bound: med(&|r| r.gap_bound),
            gap_ub,
            gap_lb,
            at_bks,
            time_to_best,
            wall,
            cpu_share,
            status: Status::Ok,
            message: String::new(),
        }
    }
}

fn gaps(objective: Option<f64>, bks: Option<&Bks>) -> (Option<f64>, Option<f64>, Option<bool>) {
    match (objective, bks) {
        (Some(v), Some(b)) => (
            gap_pct(v, b.upper_bound as f64),
            b.lower_bound.and_then(|lb| gap_pct(v, lb as f64)),
            Some(v <= b.upper_bound as f64 + 1e-9),
        ),
        _ => (None, None, None),
    }
}

/// The settings of a bench run, as reported.
#[derive(Debug, Clone)]
pub struct RunConfig {
    /// The seeds of each instance's runs.
    pub seeds: Vec<u64>,
    pub solver: String,
    pub threads: usize,
    /// Per run, counted from the start of that run's solve: every instance is read and
    /// validated once, before the first run (all input errors first, and several seeds share
    /// one load), so a run's limit and its `wall_s` leave the load out (`takt solve`'s limit
    /// counts from the command's start instead: there the load is part of what the user waits).
    pub time_limit: Option<Duration>,
    pub iterations: Option<u64>,
    /// No progress lines (failures are still reported).
    pub quiet: bool,
    /// Rewritten (atomically) after every instance, so an interrupted bench keeps what it did.
    pub csv: Option<PathBuf>,
    /// Set from outside (Ctrl-C): the run in progress ends with its best so far, then the bench
    /// stops.
    pub stop: Option<Arc<AtomicBool>>,
}

impl Default for RunConfig {
    fn default() -> Self {
        RunConfig {
            seeds: vec![0],
            solver: "heuristic".into(),
            threads: 1,
            time_limit: None,
            iterations: None,
            quiet: true,
            csv: None,
            stop: None,
        }
    }
}

/// CPU seconds this process has used (all threads), from /proc/self/stat; `None` elsewhere.
fn process_cpu_seconds() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = &s[s.rfind(')')? + 1..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    // After the command: state is field 3, utime field 14, stime field 15 (1-based).
    let utime: f64 = f.get(11)?.parse().ok()?;
    let stime: f64 = f.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0) // USER_HZ is 100 on Linux
}

fn load_average() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// Judges one solver answer: referee, objective recomputed from the times, bounds.
fn judge(
    inst: &Instance,
    seed: u64,
    out: Result<SolverRun, String>,
    wall: f64,
    cpu_share: Option<f64>,
) -> RunRecord {
    let mut rec = RunRecord::unjudged(Some(seed), wall, cpu_share);
    let run = match out {
        Ok(r) => r,
        Err(e) => {
            rec.status = Status::NoSchedule;
            rec.message = e;
            return rec;
        }
    };
    let p = &inst.problem;
    let violations = check(p, &run.result.schedule);
    if !violations.is_empty() {
        let only_deadlines = violations.iter().all(|v| v.rule == Rule::Deadline);
        let listed: Vec<String> = violations.iter().take(3).map(|v| v.to_string()).collect();
        let more = violations.len().saturating_sub(3);
        rec.message = format!(
            "the referee rejects the schedule: {} violation(s): {}{}",
            violations.len(),
            listed.join("; "),
            if more > 0 {
                format!("; and {more} more")
            } else {
                String::new()
            }
        );
        if only_deadlines && !run.result.evaluation.feasible() {
            rec.status = Status::DeadlineMissed;
            rec.objective = Some(evaluate_schedule(p, &run.result.schedule).value);
        } else {
            rec.status = Status::Invalid;
        }
        return rec;
    }
    let ev = evaluate_schedule(p, &run.result.schedule);
    let claimed = run.result.evaluation.value;
    if (ev.value - claimed).abs() > 1e-6 * ev.value.abs().max(1.0) {
        rec.status = Status::Invalid;
        rec.message = format!(
            "objective mismatch: the solver reports {claimed}, its schedule evaluates to {}",
            ev.value
        );
        return rec;
    }
    rec.objective = Some(ev.value);
    // takt's own certified bound, or the solver's proven one when higher.
    let own = crate::solve::bound::lower_bound(&inst.problem).value;
    let bound = run.bound.map_or(own, |b| b.max(own));
    rec.mip_bound = run.bound;
    rec.bound = Some(bound);
    rec.gap_bound = crate::solve::bound::gap_pct(ev.value, bound);
    (rec.gap_ub, rec.gap_lb, rec.at_bks) = gaps(rec.objective, inst.bks.as_ref());
    rec.time_to_best = Some(
        run.history
            .iter()
            .find(|(_, v)| *v <= ev.value + 1e-9)
            .map_or(wall, |(t, _)| *t)
            .min(wall),
    );
    if let Some(lb) = inst.bks.as_ref().and_then(|b| b.lower_bound) {
        if ev.value < lb as f64 - 1e-9 {
            rec.status = Status::BelowLowerBound;
            rec.message = format!(
                "objective {} is below the best known lower bound {lb}: the reader, the \
                 objective or bks.csv is wrong",
                ev.value
            );
        }
    }
    if let Some(b) = run.bound {
        if b > ev.value + 1e-6 {
            rec.status = Status::Invalid;
            rec.message = format!(
                "the solver's bound {b} is above its own schedule's objective {}",
                ev.value
            );
        }
    }
    if own > ev.value + 1e-6 && ev.feasible() {
        rec.status = Status::Invalid;
        rec.message = format!(
            "takt's lower bound {own} is above a valid schedule's objective {}: the bound is wrong",
            ev.value
        );
    }
    rec
}

fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v:.2}")
    }
}

fn fmt_secs(s: f64) -> String {
    if s >= 120.0 {
        format!("{}m{:02}s", (s / 60.0) as u64, (s % 60.0) as u64)
    } else {
        format!("{s:.1}s")
    }
}

/// Runs `solver` on every instance for every seed of `cfg`, one run at a time, and judges each
/// schedule (see the module docs). Progress and failures go to `log` (stderr in the CLI):
/// failures always, progress unless `cfg.quiet`. Errors only when the CSV cannot be written.
pub fn run<F>(
    instances: &[Instance],
    cfg: &RunConfig,
    solver: F,
    log: &mut dyn Write,
) -> Result<Report, InputError>
where
    F: Fn(&Problem, u64) -> Result<SolverRun, String>,
{
    let mut report = Report {
        solver: cfg.solver.clone(),
        threads: cfg.threads,
        time_limit: cfg.time_limit,
        iterations: cfg.iterations,
        seeds: cfg.seeds.clone(),
        instances: Vec::new(),
        interrupted: false,
        load_before: load_average(),
        load_after: None,
    };
    let total_runs = instances.len() * cfg.seeds.len();
    let started = Instant::now();
    let mut done = 0usize;
    let stopped = || cfg.stop.as_ref().is_some_and(|s| s.load(Ordering::Relaxed));
    'outer: for (i, inst) in instances.iter().enumerate() {
        let p = &inst.problem;
        let mut res = InstanceResult {
            name: inst.name.clone(),
            family: inst.family.clone(),
            subset: inst.subset.clone(),
            path: inst.entry.report_path(),
            bks: inst.bks.clone(),
            jobs: p.jobs.len(),
            ops: p.ops.len(),
            machines: p.machines.len(),
            runs: Vec::new(),
        };
        for &seed in &cfg.seeds {
            if stopped() {
                report.interrupted = true;
                break;
            }
            let cpu0 = process_cpu_seconds();
            let t0 = Instant::now();
            let out = solver(p, seed);
            let wall = t0.elapsed().as_secs_f64();
            let cpu_share = match (cpu0, process_cpu_seconds()) {
                (Some(a), Some(b)) if wall >= 0.5 => {
                    Some((b - a) / (wall * cfg.threads.max(1) as f64))
                }
                _ => None,
            };
            let mut rec = judge(inst, seed, out, wall, cpu_share);
            if stopped() {
                report.interrupted = true;
                rec.message = if rec.message.is_empty() {
                    "interrupted".into()
                } else {
                    format!("interrupted; {}", rec.message)
                };
            }
            done += 1;
            if !rec.status.is_ok() {
                writeln!(
                    log,
                    "!!! {} {} (seed {seed}): {}\n!!!   {}",
                    rec.status.code(),
                    inst.name,
                    inst.entry.path(),
                    rec.message
                )
                .map_err(log_failed)?;
            }
            if !cfg.quiet {
                let eta = {
                    let per_run = started.elapsed().as_secs_f64() / done as f64;
                    per_run * (total_runs - done) as f64
                };
                let bks = match &inst.bks {
                    Some(b) if b.lower_bound == Some(b.upper_bound) => format!("{}", b.upper_bound),
                    Some(b) => format!(
                        "{}-{}",
                        b.lower_bound.map_or("?".into(), |l| l.to_string()),
                        b.upper_bound
                    ),
                    None => "-".into(),
                };
                writeln!(
                    log,
                    "[{:>w$}/{}] {} ({}/{}, {} ops) seed {seed}: {} BKS {bks} gap {} best at {} wall {} {}  eta {}",
                    i + 1,
                    instances.len(),
                    inst.name,
                    inst.family,
                    inst.subset,
                    p.ops.len(),
                    rec.objective.map_or("-".into(), fmt_num),
                    rec.gap_ub.map_or("-".into(), |g| format!("{g:+.2}%")),
                    rec.time_to_best.map_or("-".into(), fmt_secs),
                    fmt_secs(rec.wall),
                    rec.status.code(),
                    fmt_secs(eta),
                    w = instances.len().to_string().len(),
                ).map_err(log_failed)?;
            }
            if rec.status.is_ok() {
                if let (Some(v), Some(b)) = (rec.objective, &inst.bks) {
                    if v < b.upper_bound as f64 - 1e-9 {
                        writeln!(
                            log,
                            "note: {} seed {seed}: objective {} beats the best known {}: keep \
                             this schedule",
                            inst.name,
                            fmt_num(v),
                            b.upper_bound
                        )
                        .map_err(log_failed)?;
                    }
                }
            }
            res.runs.push(rec);
            if report.interrupted {
                break;
            }
        }
        if !res.runs.is_empty() {
            report.instances.push(res);
        }
        if let Some(path) = &cfg.csv {
            report.write_csv(path)?;
        }
        if report.interrupted {
            writeln!(
                log,
                "interrupted: stopping after {} of {} instances",
                report.instances.len(),
                instances.len()
            )
            .map_err(log_failed)?;
            break 'outer;
        }
    }
    report.load_after = load_average();
    if let Some(path) = &cfg.csv {
        report.write_csv(path)?;
    }
    Ok(report)
}

/// Ctrl-C: the process-wide "interrupted" flag, and the stop flag of the run in progress (the
/// search also raises its own stop flag when its time is up, so each run gets a fresh one).
struct Interrupt {
    interrupted: Arc<AtomicBool>,
    current: Mutex<Option<Arc<AtomicBool>>>,
}

fn interrupt() -> &'static Interrupt {
    static I: OnceLock<Interrupt> = OnceLock::new();
    I.get_or_init(|| {
        let _ = ctrlc::set_handler(|| {
            let i = interrupt();
            i.interrupted.store(true, Ordering::Relaxed);
            if let Some(f) = i.current.lock().ok().and_then(|c| c.clone()) {
                f.store(true, Ordering::Relaxed);
            }
        });
        Interrupt {
            interrupted: Arc::new(AtomicBool::new(false)),
            current: Mutex::new(None),
        }
    })
}

/// A fresh stop flag for one run, raised by Ctrl-C.
fn run_stop_flag() -> Arc<AtomicBool> {
    let i = interrupt();
    let f = Arc::new(AtomicBool::new(i.interrupted.load(Ordering::Relaxed)));
    if let Ok(mut c) = i.current.lock() {
        *c = Some(f.clone());
    }
    f
}

/// `takt bench`: resolves and loads the set (any bad file: `Err`, before anything runs), runs it,
/// prints the per-instance table, the summary and the comparison on stdout, writes the CSV.
/// `Ok(false)` when any run failed (invalid schedule, no schedule, below a lower bound, missed
/// deadlines) or the bench was interrupted.
pub fn bench_command(args: &BenchArgs) -> Result<bool, InputError> {
    let mut entries = set::resolve(&args.set)?;
    if let Some(n) = args.limit {
        entries.truncate(n);
    }
    if args.list {
        print!("{}", manifest(&entries, &mut std::io::stderr())?);
        return Ok(true);
    }
    if let Some(c) = &args.csv {
        if c.extension().is_none_or(|e| !e.eq_ignore_ascii_case("csv")) {
            return Err(InputError::invalid(
                &c.display().to_string(),
                vec![crate::model::Diagnostic::at(
                    "",
                    "--csv must name a .csv file",
                )],
            ));
        }
    }
    let peer = match &args.compare {
        Some(p) => Some(read_peer_csv(p)?),
        None => None,
    };
    if args.seeds == 0 {
        return Err(InputError::invalid(
            "--seeds",
            vec![crate::model::Diagnostic::at("", "at least one seed")],
        ));
    }
    let instances = set::load(&entries)?;
    let stop = interrupt().interrupted.clone();
    stop.store(false, Ordering::Relaxed);
    // The dispatching rules run on one thread (cpu_share is measured against this).
    let threads = match args.solver {
        SolverChoice::Dispatch => 1,
        _ => args.threads.max(1),
    };
    let cfg = RunConfig {
        seeds: (0..args.seeds).map(|k| args.seed + k).collect(),
        solver: args.solver.name().to_string(),
        threads,
        time_limit: args.effective_time_limit(),
        iterations: args.iterations,
        quiet: args.quiet,
        csv: args.csv.clone(),
        stop: Some(stop.clone()),
    };
    if !args.quiet {
        eprintln!(
            "takt bench: {} instance(s) × {} seed(s), solver {}, {} thread(s), {}",
            instances.len(),
            args.seeds,
            cfg.solver,
            threads,
            match (cfg.time_limit, cfg.iterations) {
                (Some(t), Some(i)) => format!("{} or {i} iterations per run", fmt_duration(t)),
                (Some(t), None) => format!("{} per run", fmt_duration(t)),
                (None, Some(i)) => format!("{i} iterations per run"),
                (None, None) => "no limit".into(),
            }
        );
    }
    let solver = args.solver;
    let report = run(
        &instances,
        &cfg,
        |p, seed| {
            // The run's clock starts here, as its `wall_s` does (see `RunConfig::time_limit`).
            let search = SearchConfig::limited(cfg.time_limit, cfg.iterations, None)
                .threads(threads)
                .seed(seed)
                .stop(run_stop_flag())
                .started(Instant::now());
            crate::solve::run(p, solver, &search)
                .map(|s| SolverRun {
                    bound: s.proof.as_ref().and_then(|o| o.bound),
                    result: s.result,
                    history: s.history,
                })
                .map_err(|e| e.to_string())
        },
        &mut std::io::stderr(),
    )?;
    let mut out = report.render_header(&args.command_line());
    out += &report.instance_table();
    out += &report.summary_table();
    if let (Some(peer), Some(path)) = (&peer, &args.compare) {
        out += &report.compare(peer, &path.display().to_string());
    }
    out += &report.verdict();
    print!("{out}");
    let failed = report.failed_runs();
    if failed > 0 {
        eprintln!(
            "takt bench: {failed} run(s) FAILED (see the status column and the !!! lines above)"
        );
    }
    if let Some(c) = &args.csv {
        if !args.quiet {
            eprintln!("wrote {}", c.display());
        }
    }
    Ok(failed == 0 && !report.interrupted)
}

/// A progress or failure line that could not be written to the log (stderr): the bench stops
/// rather than run on unobserved.
fn log_failed(source: std::io::Error) -> InputError {
    InputError::write("the log (stderr)", source)
}

/// The entries as a run_suite.py manifest: `FAMILY ABSOLUTE_PATH [INDEX]`. Takt YAML instances
/// have no peer format and are left out (with a note on `log`).
pub fn manifest(entries: &[Entry], log: &mut dyn Write) -> Result<String, InputError> {
    let mut s = String::from("# family path [index]: written by takt bench --list\n");
    for e in entries {
        let Some(f) = e.format else {
            writeln!(
                log,
                "note: {} is a takt instance, which the peer cannot read: left out",
                e.file.display()
            )
            .map_err(log_failed)?;
            continue;
        };
        let abs = std::fs::canonicalize(&e.file).unwrap_or_else(|_| e.file.clone());
        s += &format!("{} {}", f.name(), abs.display());
        // The peer needs an index for every weighted tardiness file.
        if let Some(k) = e.index.or((f == crate::formats::Format::Smwt).then_some(1)) {
            s += &format!(" {k}");
        }
        s.push('\n');
    }
    Ok(s)
}
