//! One entry point over every solver: [`SolverChoice`] names one, [`run`] runs it, including the
//! `auto` policy (local search for part of the time, then the MIP from its schedule), so that
//! `takt solve`, `takt bench` and `takt scenarios` choose a solver the same way and no command
//! carries its own copy of the policy.

use super::mip::{solve_mip, solve_mip_from, supports, MipError, MipModel, MipOptions, MipOutcome};
use super::search::{search, SearchConfig};
use super::{solve_dispatch, SolveError, SolveResult};
use crate::model::Problem;

/// Which solver runs.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum SolverChoice {
    /// Dispatching rules then local search (the default).
    Heuristic,
    /// Dispatching rules only: instant.
    Dispatch,
    /// The exact MIP (HiGHS): a proven bound and gap; optimal only with a proof.
    Mip,
    /// Local search, then the MIP from its schedule (falls back to the search's schedule).
    Auto,
}

impl SolverChoice {
    /// The name on the command line (`heuristic`, `dispatch`, `mip`, `auto`).
    pub fn name(self) -> &'static str {
        match self {
            SolverChoice::Heuristic => "heuristic",
            SolverChoice::Dispatch => "dispatch",
            SolverChoice::Mip => "mip",
            SolverChoice::Auto => "auto",
        }
    }
}

/// Shares of the time limit under `auto`: the local search first, then the MIP. With a time
/// limit both count on one clock, so the MIP gets what the search left (at least this share);
/// without one, the MIP gets this share of [`MIP_DEFAULT_SECONDS`].
const AUTO_SEARCH_SHARE: f64 = 0.3;
const AUTO_MIP_SHARE: f64 = 0.7;

/// The MIP's time limit when the search configuration has none (an iteration limit only).
const MIP_DEFAULT_SECONDS: f64 = 10.0;

/// What [`run`] returns: the schedule, and what only some solvers know.
#[derive(Debug, Clone)]
pub struct Solved {
    pub result: SolveResult,
    /// The MIP's answer (status, bound, gap) when the schedule is the MIP's.
    pub proof: Option<MipOutcome>,
    /// (seconds, objective) at each improvement of the local search, when it ran.
    pub history: Vec<(f64, f64)>,
    /// Why a solver the choice names was not used (e.g. `auto` on an instance the MIP cannot
    /// model): for the user, not an error.
    pub notes: Vec<String>,
}

/// Why [`run`] has no schedule.
#[derive(Debug, Clone, thiserror::Error)]
pub enum RunError {
    /// Proven by the MIP: no schedule keeps every hard deadline and pin.
    #[error("infeasible (proven by the MIP): {0}")]
    Infeasible(String),
    /// `mip` was asked for an instance it cannot model exactly (no fallback was asked for).
    #[error("the MIP cannot model this instance exactly: {0} (use --solver heuristic or auto)")]
    Unsupported(String),
    #[error(transparent)]
    NoSchedule(#[from] SolveError),
}

/// The MIP's options from the search configuration: `share` of its time limit on its clock
/// (without a time limit, `share` of 10 s from the MIP's own start), its threads and quietness.
pub fn mip_options(cfg: &SearchConfig, share: f64) -> MipOptions {
    let (limit, started) = match cfg.time_limit {
        Some(t) => (t.as_secs_f64(), cfg.started),
        None => (MIP_DEFAULT_SECONDS, None),
    };
    MipOptions {
        time_limit: Some(limit * share),
        started,
        rel_gap: 1e-6,
        threads: Some(cfg.threads.max(1) as u32),
        quiet: cfg.quiet,
        warm_start: true,
        max_binaries: 200_000,
        model: MipModel::Auto,
    }
}

/// Runs the chosen solver within the limits of `cfg`.
///
/// `auto`: when the MIP cannot model the instance, the search gets the whole limit; else the
/// search runs for 30 % of it and the MIP, warm-started from its schedule, for the rest. The
/// search's schedule stands when the MIP finds nothing better or fails (a note says why); a
/// proven infeasibility is reported as such.
pub fn run(
    problem: &Problem,
    choice: SolverChoice,
    cfg: &SearchConfig,
) -> Result<Solved, RunError> {
    let searched = |cfg: &SearchConfig| {
        search(problem, cfg).map(|o| {
            (
                o.optimal,
                Solved {
                    result: o.result,
                    proof: None,
                    history: o.history,
                    notes: Vec::new(),
                },
            )
        })
    };
    match choice {
        SolverChoice::Dispatch => Ok(plain(solve_dispatch(problem)?)),
        SolverChoice::Heuristic => Ok(searched(cfg)?.1),
        SolverChoice::Mip => match solve_mip(problem, &mip_options(cfg, 1.0)) {
            Ok(o) => Ok(proven(o)),
            Err(MipError::Infeasible(msg)) => Err(RunError::Infeasible(msg)),
            Err(MipError::Unsupported(msg)) => Err(RunError::Unsupported(msg)),
            Err(e) => Err(SolveError::NoSchedule(e.to_string()).into()),
        },
        SolverChoice::Auto => {
            if let Err(e) = supports(problem) {
                let (_, mut s) = searched(cfg)?;
                s.notes.push(format!(
                    "MIP not used ({e}); the local search runs for the whole limit"
                ));
                return Ok(s);
            }
            // One clock for the search and the MIP: the MIP ends at the caller's limit.
            let cfg = &cfg.clone().started(cfg.clock());
            let mut first = cfg.clone();
            first.time_limit = cfg.time_limit.map(|t| t.mul_f64(AUTO_SEARCH_SHARE));
            let (bound_met, mut s) = searched(&first)?;
            if bound_met {
                // The schedule meets the certified lower bound: nothing for the MIP to prove.
                s.notes
                    .push("MIP not run: the search's schedule meets the certified bound".into());
                return Ok(s);
            }
            let mip = match cfg.time_limit {
                Some(_) => mip_options(cfg, 1.0),
                None => mip_options(cfg, AUTO_MIP_SHARE),
            };
            match solve_mip_from(problem, &mip, Some(&s.result)) {
                Ok(o) => Ok(Solved {
                    history: s.history,
                    ..proven(o)
                }),
                Err(MipError::Infeasible(msg)) => Err(RunError::Infeasible(msg)),
                Err(e) => {
                    s.notes.push(format!(
                        "MIP not used ({e}); keeping the local search's schedule"
                    ));
                    Ok(s)
                }
            }
        }
    }
}

fn plain(result: SolveResult) -> Solved {
    Solved {
        result,
        proof: None,
        history: Vec::new(),
        notes: Vec::new(),
    }
}

fn proven(o: MipOutcome) -> Solved {
    Solved {
        result: o.result.clone(),
        proof: Some(o),
        history: Vec::new(),
        notes: Vec::new(),
    }
}

/// Fills a result's schedule header as every front end reports it: solver, status, objective,
/// terms, bound and gap, seconds. The bound is the certified one, or the MIP's proven bound when
/// higher; the status is the MIP's "optimal" (a proof), else "optimal (bound met)" when the
/// schedule keeps every deadline and meets the bound, else the MIP's status, "feasible" or
/// "deadlines-missed".
pub fn annotate(
    problem: &Problem,
    result: &mut SolveResult,
    proof: Option<&MipOutcome>,
    seconds: f64,
) {
    let ev = result.evaluation;
    let info = &mut result.schedule.info;
    info.solver = Some(result.method.clone());
    let cert = super::bound::certify(problem, &ev, proof.and_then(|o| o.bound));
    info.status = Some(match proof {
        Some(o) if o.status.as_str() == "optimal" => o.status.as_str().to_string(),
        _ if cert.optimal => super::bound::OPTIMAL_BOUND_MET.to_string(),
        Some(o) => o.status.as_str().to_string(),
        None if ev.feasible() => "feasible".to_string(),
        None => "deadlines-missed".to_string(),
    });
    info.bound = Some(cert.bound);
    info.gap = cert.gap_pct.map(|g| g / 100.0);
    if let Some(o) = proof {
        // The MIP's gap is relative to the incumbent as HiGHS reports it; keep it when tighter.
        if let (Some(g), Some(mine)) = (o.gap, info.gap) {
            info.gap = Some(g.min(mine));
        }
    }
    info.objective = Some(ev.value);
    info.terms = ev
        .named_terms()
        .iter()
        .zip(problem.objective.as_array())
        .filter(|(_, w)| *w != 0.0)
        .map(|((n, v), _)| (n.to_string(), *v))
        .collect();
    info.seconds = Some(seconds);
}
