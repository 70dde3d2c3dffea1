//! The first schedule fast, the exact rules in the background: on an instance with secondary
//! resources and materials an exact rule costs seconds at plant scale (7.5 s each at 10k
//! operations with saturated operators), so waiting for all eight before searching left a 30 s
//! limit no time to search. Instead every rule places by machines and jobs alone (a few hundred
//! milliseconds), each sequence is decoded (the decoder books resources and stock), and the best
//! is the first schedule; the search starts from it at once while one background thread runs
//! the exact rules, the one whose blind version did best first, and offers each schedule it
//! finishes to the search (adopted at the next epoch meeting when better than the shared best).

use super::{in_parallel, run_rule, RuleLimits};
use crate::model::Problem;
use crate::solve::dispatch::{self, Rule};
use crate::solve::{finish, SolveError, SolveResult};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The best resource-blind schedule, and the rules ordered for the background.
pub struct BlindStart {
    pub result: SolveResult,
    /// Indices into [`Rule::ALL`]: the finished blind rules, best first (ties in rule order),
    /// then those a limit cut short, in rule order.
    pub order: Vec<usize>,
    /// The quickest decode (and evaluation) of a complete sequence seen: what the search
    /// reserves its ending by (its last decode, the referee, writing the schedule).
    pub decode_time: Duration,
}

/// Every rule placing resource-blind, decoded, in parallel threads: the best schedule (hard
/// deadlines first, then the objective; ties in rule order). The first rule started (the
/// deadline-first rule when there are hard deadlines) always finishes, so a limit still leaves
/// a complete schedule; the others give up when `should_stop` says so.
pub fn run_blind_rules(problem: &Problem, limits: &RuleLimits) -> Result<BlindStart, SolveError> {
    let rules = Rule::ALL;
    let order = blind_order(problem);
    let decode_nanos = AtomicU64::new(u64::MAX);
    let never = || false;
    let results = in_parallel(rules.len(), limits, "resource-blind rules", &|k, stop| {
        let rule = rules[order[k]];
        // The first always yields a sequence, so there is a schedule however short the limit.
        let cancel: &dyn Fn() -> bool = if k == 0 { &never } else { stop };
        let seq = dispatch::construct_blind_until(problem, rule, cancel)?;
        let t = Instant::now();
        let r = finish(
            problem,
            seq,
            format!("dispatch {} (resource-blind, decoded)", rule.name()),
        );
        decode_nanos.fetch_min(t.elapsed().as_nanos() as u64, Ordering::Relaxed);
        Some(r)
    });
    // Back in rule order, so that ties go to the earlier rule whatever the thread timing.
    let mut by_rule: Vec<Option<Result<SolveResult, SolveError>>> =
        (0..rules.len()).map(|_| None).collect();
    for (k, r) in results.into_iter().enumerate() {
        by_rule[order[k]] = r;
    }
    let mut finished: Vec<(usize, SolveResult)> = Vec::new();
    let mut last_err = None;
    for (i, r) in by_rule.into_iter().enumerate() {
        match r {
            Some(Ok(r)) => finished.push((i, r)),
            Some(Err(e)) => last_err = Some(e),
            None => {}
        }
    }
    // A stable sort by the key: ties keep rule order.
    finished.sort_by(|(_, a), (_, b)| {
        let ka = (a.evaluation.terms.deadline_excess, a.evaluation.value);
        let kb = (b.evaluation.terms.deadline_excess, b.evaluation.value);
        ka.partial_cmp(&kb).unwrap_or(std::cmp::Ordering::Equal)
    });
    let mut ranked: Vec<usize> = finished.iter().map(|(i, _)| *i).collect();
    let cut: Vec<usize> = (0..rules.len()).filter(|i| !ranked.contains(i)).collect();
    ranked.extend(cut);
    let result = finished
        .into_iter()
        .next()
        .map(|(_, r)| r)
        .ok_or_else(|| last_err.unwrap_or(SolveError::NoSchedule("no rule ran".into())))?;
    Ok(BlindStart {
        result,
        order: ranked,
        decode_time: Duration::from_nanos(decode_nanos.into_inner()),
    })
}

/// The order the blind rules start in: as the exact rules (deadline-first first when there
/// are hard deadlines), but against tardiness the tardiness rules first (ATCS, ATC, due
/// dates), since under a short limit only the first few finish: at 10k operations with
/// operators and materials the blind ATCS(k1=1,k2=1) is 160 M, MWKR 288 M.
fn blind_order(problem: &Problem) -> Vec<usize> {
    let mut order = super::start_order(problem);
    let w = &problem.objective;
    if w.weighted_tardiness > 0.0 || w.late_jobs > 0.0 {
        let deadline_first = problem.jobs.iter().any(|j| j.deadline.is_some());
        let from = usize::from(deadline_first);
        order[from..].reverse();
    }
    order
}

/// The exact rules running in the background, as the search sees them: how many are done, and
/// the best schedule finished since the search last looked.
pub struct Background {
    offer: Mutex<Option<SolveResult>>,
    /// An offer waits (a look without the lock, every search iteration).
    pending: AtomicBool,
    done: AtomicUsize,
    total: usize,
    over: AtomicBool,
}

impl Background {
    /// `total` rules to run.
    pub fn new(total: usize) -> Self {
        Background {
            offer: Mutex::new(None),
            pending: AtomicBool::new(false),
            done: AtomicUsize::new(0),
            total,
            over: AtomicBool::new(false),
        }
    }

    /// Runs the exact rules `order` (indices into [`Rule::ALL`]) one after another, offering
    /// each finished schedule; a rule gives up when `cancel` says so (at most
    /// [`dispatch::CANCEL_EVERY`] construction steps later) and no further rule starts.
    pub fn run(&self, problem: &Problem, order: &[usize], cancel: &dyn Fn() -> bool) {
        for &i in order {
            if cancel() {
                break;
            }
            match run_rule(problem, Rule::ALL[i], cancel) {
                None => break,
                Some(Ok(r)) => self.offer(r),
                // A rule without a schedule (e.g. a pin it cannot keep): the others may have one.
                Some(Err(_)) => {}
            }
            self.done.fetch_add(1, Ordering::Relaxed);
        }
        self.over.store(true, Ordering::Relaxed);
    }

    /// Offers `r` to the search: it replaces an offer not yet taken only when better.
    pub fn offer(&self, r: SolveResult) {
        let mut slot = self.offer.lock().unwrap();
        if slot
            .as_ref()
            .is_none_or(|o| r.evaluation.better_than(&o.evaluation))
        {
            *slot = Some(r);
            self.pending.store(true, Ordering::Relaxed);
        }
    }

    /// Whether an offer waits to be taken.
    pub fn has_offer(&self) -> bool {
        self.pending.load(Ordering::Relaxed)
    }

    /// The best schedule offered since the last call, if any.
    pub fn take(&self) -> Option<SolveResult> {
        let mut slot = self.offer.lock().unwrap();
        self.pending.store(false, Ordering::Relaxed);
        slot.take()
    }

    /// Rules finished so far, and in all.
    pub fn progress(&self) -> (usize, usize) {
        (self.done.load(Ordering::Relaxed), self.total)
    }

    /// Whether the background is done (every rule ran, or it was cancelled).
    pub fn is_over(&self) -> bool {
        self.over.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solve::test_support::{assert_valid, limits, with_secondary};
    use std::sync::atomic::AtomicU64;

    /// Each rule placing blind, decoded, independently of [`run_blind_rules`]: the referee
    /// accepts every one (counting the stock keeps consumers behind their producers), and
    /// the first schedule is the best of them, the rules ranked by their objective.
    #[test]
    fn the_first_schedule_is_the_best_blind_rule_and_every_blind_rule_decodes() {
        for seed in [1, 2] {
            let p = with_secondary(200, 10, seed);
            let mut each = Vec::new();
            for (i, &rule) in Rule::ALL.iter().enumerate() {
                let seq = dispatch::construct_blind(&p, rule);
                let r = finish(&p, seq, rule.name())
                    .unwrap_or_else(|e| panic!("seed {seed}: blind {} fails: {e}", rule.name()));
                assert_valid(&p, &r.schedule);
                each.push((r.evaluation.terms.deadline_excess, r.evaluation.value, i));
            }
            let best = run_blind_rules(&p, &limits(&|| false, 2)).unwrap();
            let min = each
                .iter()
                .copied()
                .min_by(|a, b| a.partial_cmp(b).unwrap())
                .unwrap();
            assert_eq!(best.result.evaluation.value, min.1, "seed {seed}");
            assert_eq!(best.order[0], min.2, "seed {seed}");
            let mut sorted = each.clone();
            sorted.sort_by(|a, b| a.partial_cmp(b).unwrap());
            let ranked: Vec<usize> = sorted.iter().map(|x| x.2).collect();
            assert_eq!(best.order, ranked, "seed {seed}");
        }
    }

    /// A stop (a counter for a clock) cuts every blind rule but the first within one
    /// cancellation interval, and the answer is still complete and valid.
    #[test]
    fn a_stop_cuts_the_blind_rules_but_the_first() {
        let p = with_secondary(300, 10, 1);
        assert!(p.ops.len() > 10 * dispatch::CANCEL_EVERY as usize);
        for threshold in [0u64, 2, 10] {
            let asked = AtomicU64::new(0);
            let after = AtomicU64::new(0);
            let stop = || {
                let stop = asked.fetch_add(1, Ordering::Relaxed) >= threshold;
                if stop {
                    after.fetch_add(1, Ordering::Relaxed);
                }
                stop
            };
            let r = run_blind_rules(&p, &limits(&stop, 2)).unwrap();
            assert_eq!(r.result.schedule.ops.len(), p.ops.len());
            assert_valid(&p, &r.result.schedule);
            assert_eq!(r.order.len(), Rule::ALL.len());
            // Per thread: the look that cancels its rule, and the one that declines the next.
            assert!(
                after.load(Ordering::Relaxed) <= 2 * 2,
                "threshold {threshold}"
            );
            if threshold == 0 {
                let first = blind_order(&p)[0];
                assert_eq!(
                    r.result.method,
                    format!(
                        "dispatch {} (resource-blind, decoded)",
                        Rule::ALL[first].name()
                    )
                );
            }
        }
    }

    /// The background stops within one cancellation interval of being told (the look that
    /// cancels a rule, and at most the one before the next rule), and what it finished before
    /// is offered: the best of the exact rules it ran.
    #[test]
    fn the_background_stops_when_told_and_offers_its_best() {
        let p = with_secondary(300, 10, 1);
        let order: Vec<usize> = (0..Rule::ALL.len()).collect();
        let unlimited = Background::new(order.len());
        unlimited.run(&p, &order[..2], &|| false);
        assert_eq!(unlimited.progress(), (2, 8));
        assert!(unlimited.is_over());
        let offered = unlimited.take().expect("two exact rules finished");
        let exact: Vec<f64> = order[..2]
            .iter()
            .map(|&i| {
                run_rule(&p, Rule::ALL[i], &|| false)
                    .unwrap()
                    .unwrap()
                    .evaluation
                    .value
            })
            .collect();
        assert_eq!(offered.evaluation.value, exact[0].min(exact[1]));
        assert!(unlimited.take().is_none(), "taken once");
        for threshold in [0u64, 1, 20] {
            let asked = AtomicU64::new(0);
            let after = AtomicU64::new(0);
            let cancel = || {
                let stop = asked.fetch_add(1, Ordering::Relaxed) >= threshold;
                if stop {
                    after.fetch_add(1, Ordering::Relaxed);
                }
                stop
            };
            let b = Background::new(order.len());
            b.run(&p, &order, &cancel);
            assert!(b.is_over());
            assert!(b.progress().0 < order.len(), "threshold {threshold}");
            assert!(after.load(Ordering::Relaxed) <= 2, "threshold {threshold}");
            if let Some(r) = b.take() {
                assert_valid(&p, &r.schedule);
            }
        }
    }
}
