//! What the solvers' unit tests share: a generated instance with secondary resources, rule
//! limits without progress lines, and the referee's verdict as an assertion. One copy, so the
//! tests of the rules, the blind rules and the search's background agree on what they build.

use super::rules::RuleLimits;
use crate::generate::{generate, GenConfig};
use crate::model::{parse_instance, Problem};
use crate::schedule::Schedule;
use std::time::Instant;

/// A generated two-plant instance with calendars, changeovers, operators, setters and
/// materials: the instances on which the rules and the search take their resource-aware paths
/// (and the first rule can be cut short). `machines` and `seed` are the generator's; the tests
/// pin both, so each keeps the instance its assertions were written for.
pub(crate) fn with_secondary(jobs: usize, machines: usize, seed: u64) -> Problem {
    let yaml = generate(&GenConfig {
        jobs,
        machines,
        plants: 2,
        seed,
        calendars: true,
        changeovers: true,
        operators: 2,
        materials: true,
        ..GenConfig::default()
    });
    parse_instance(&yaml, "generated.yaml").unwrap()
}

/// Limits without progress lines: `stop` (a counter for a clock), on `threads` threads.
pub(crate) fn limits(stop: &(dyn Fn() -> bool + Sync), threads: usize) -> RuleLimits<'_> {
    RuleLimits {
        should_stop: stop,
        threads,
        progress: false,
        started: Instant::now(),
    }
}

/// Fails the calling test, with the referee's first complaint, unless `schedule` is valid.
#[track_caller]
pub(crate) fn assert_valid(p: &Problem, schedule: &Schedule) {
    let v = crate::check::check(p, schedule);
    assert!(v.is_empty(), "{:?}", v.first().map(|v| &v.message));
}
