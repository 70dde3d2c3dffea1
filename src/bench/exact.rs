//! The MIP in the bench (`--solver mip` and `--solver auto`), with its proven bound beside the
//! objective, as `takt solve` runs them.

use super::{RunConfig, SolverRun};
use crate::model::Problem;
use crate::solve::mip::{solve_mip_from, supports, MipModel, MipOptions};
use crate::solve::search::{search, SearchConfig};
use std::time::Duration;

/// The MIP's options for `share` of the run's time limit (10 s when none is given).
fn mip_options(cfg: &RunConfig, threads: usize, share: f64) -> MipOptions {
    let limit = cfg.time_limit.map_or(10.0, |t| t.as_secs_f64());
    MipOptions {
        time_limit: Some(limit * share),
        rel_gap: 1e-6,
        threads: Some(threads.max(1) as u32),
        quiet: true,
        warm_start: true,
        max_binaries: 200_000,
        model: MipModel::Auto,
    }
}

/// One run: the MIP alone, or (`auto`) the local search for 30 % of the time and the MIP from
/// its schedule for the rest; the search's schedule stands when the MIP cannot model the
/// instance or finds nothing better.
pub(super) fn run_exact(
    p: &Problem,
    cfg: &RunConfig,
    threads: usize,
    seed: u64,
    auto: bool,
) -> Result<SolverRun, String> {
    if !auto {
        let o =
            solve_mip_from(p, &mip_options(cfg, threads, 1.0), None).map_err(|e| e.to_string())?;
        return Ok(SolverRun {
            result: o.result,
            history: Vec::new(),
            bound: o.bound,
        });
    }
    let share = if supports(p).is_ok() { 0.3 } else { 1.0 };
    let sc = SearchConfig {
        time_limit: Some(
            cfg.time_limit
                .unwrap_or(Duration::from_secs(10))
                .mul_f64(share),
        ),
        iterations: cfg.iterations,
        threads,
        seed,
        quiet: true,
        stop: Some(super::run_stop_flag()),
        stall: None,
    };
    let h = search(p, &sc).map_err(|e| e.to_string())?;
    if share == 1.0 || h.optimal {
        return Ok(SolverRun {
            result: h.result,
            history: h.history,
            bound: None,
        });
    }
    match solve_mip_from(p, &mip_options(cfg, threads, 0.7), Some(&h.result)) {
        Ok(o) => {
            let mut history = h.history;
            if o.result.evaluation.value < h.result.evaluation.value - 1e-9 {
                history.push((h.seconds + o.seconds, o.result.evaluation.value));
            }
            Ok(SolverRun {
                result: o.result,
                history,
                bound: o.bound,
            })
        }
        Err(_) => Ok(SolverRun {
            result: h.result,
            history: h.history,
            bound: None,
        }),
    }
}
