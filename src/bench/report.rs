//! What `takt bench` prints and writes: the per-instance table, the summary per family and
//! subset, the comparison with a peer's CSV, and the CSV of every run. Tables are Markdown, so
//! they can go into BENCHMARKS.md as printed.

use super::{fmt_num, gap_pct, median, InstanceResult, RunRecord};
use crate::model::{Diagnostic, InputError};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::time::Duration;

/// A bench run's results.
#[derive(Debug, Clone)]
pub struct Report {
    pub solver: String,
    pub threads: usize,
    pub time_limit: Option<Duration>,
    pub iterations: Option<u64>,
    pub seeds: Vec<u64>,
    pub instances: Vec<InstanceResult>,
    /// Stopped by Ctrl-C before the end of the set.
    pub interrupted: bool,
    /// The 1-minute load average before and after (Linux).
    pub load_before: Option<f64>,
    pub load_after: Option<f64>,
}

/// The CSV columns, in order.
pub const CSV_COLUMNS: [&str; 27] = [
    "family",
    "subset",
    "instance",
    "path",
    "jobs",
    "operations",
    "machines",
    "seed",
    "solver",
    "threads",
    "time_limit_s",
    "iterations",
    "objective",
    "bound",
    "mip_bound",
    "gap_bound_pct",
    "bks_lb",
    "bks_ub",
    "bks_optimal",
    "gap_ub_pct",
    "gap_lb_pct",
    "at_bks",
    "time_to_best_s",
    "wall_s",
    "cpu_share",
    "status",
    "message",
];

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map_or(String::new(), |v| v.to_string())
}

fn f2(v: Option<f64>) -> String {
    v.map_or(String::new(), |v| format!("{v:.2}"))
}

fn f3(v: Option<f64>) -> String {
    v.map_or(String::new(), |v| format!("{v:.3}"))
}

fn dash(s: String) -> String {
    if s.is_empty() {
        "-".into()
    } else {
        s
    }
}

fn mean(v: &[f64]) -> Option<f64> {
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

impl Report {
    /// Runs that did not end `ok`.
    pub fn failed_runs(&self) -> usize {
        self.instances
            .iter()
            .flat_map(|i| &i.runs)
            .filter(|r| !r.status.is_ok())
            .count()
    }

    fn multi_seed(&self) -> bool {
        self.seeds.len() > 1
    }

    /// Every run as a CSV row; with several seeds, also a row per instance whose `seed` is
    /// `median` (the instance's result, see [`InstanceResult::summary`]).
    pub fn to_csv(&self) -> std::io::Result<String> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(CSV_COLUMNS)?;
        let tl = self.time_limit.map(|t| format!("{}", t.as_secs_f64()));
        for i in &self.instances {
            let mut rows: Vec<(String, RunRecord)> =
                i.runs.iter().map(|r| (opt(r.seed), r.clone())).collect();
            if self.multi_seed() {
                rows.push(("median".into(), i.summary()));
            }
            for (seed, r) in rows {
                let b = i.bks.as_ref();
                w.write_record([
                    i.family.clone(),
                    i.subset.clone(),
                    i.name.clone(),
                    i.path.clone(),
                    i.jobs.to_string(),
                    i.ops.to_string(),
                    i.machines.to_string(),
                    seed,
                    self.solver.clone(),
                    self.threads.to_string(),
                    opt(tl.clone()),
                    opt(self.iterations),
                    r.objective.map_or(String::new(), fmt_num),
                    r.bound.map_or(String::new(), fmt_num),
                    r.mip_bound.map_or(String::new(), fmt_num),
                    f3(r.gap_bound),
                    opt(b.and_then(|b| b.lower_bound)),
                    opt(b.map(|b| b.upper_bound)),
                    opt(b.map(|b| b.optimal)),
                    f3(r.gap_ub),
                    f3(r.gap_lb),
                    opt(r.at_bks),
                    f3(r.time_to_best),
                    f3(Some(r.wall)),
                    f2(r.cpu_share),
                    r.status.code().to_string(),
                    r.message.clone(),
                ])?;
            }
        }
        let bytes = w.into_inner().map_err(|e| e.into_error())?;
        String::from_utf8(bytes).map_err(std::io::Error::other)
    }

    /// [`Report::to_csv`] to `path`, atomically.
    pub fn write_csv(&self, path: &Path) -> Result<(), InputError> {
        self.to_csv()
            .and_then(|text| crate::schedule::write_atomic(path, &text))
            .map_err(|source| InputError::write(path.display(), source))
    }

    /// Command, machine, date, version.
    pub fn render_header(&self, command: &str) -> String {
        let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
        let now = jiff::Timestamp::now().strftime("%Y-%m-%d %H:%M UTC");
        let load = match (self.load_before, self.load_after) {
            (Some(a), Some(b)) => format!("; load average {a:.2} before, {b:.2} after"),
            _ => String::new(),
        };
        format!(
            "# takt bench\n\n`{command}`  \n{cores} cores{load}; {now}; takt {}\n",
            env!("CARGO_PKG_VERSION")
        )
    }

    /// One line per instance (the median over seeds).
    pub fn instance_table(&self) -> String {
        let mut s = String::from("\n## Per instance");
        if self.multi_seed() {
            s += &format!(" (median over {} seeds)", self.seeds.len());
        }
        s += "\n\n| instance | set | size | BKS | objective | gap % | gap to LB % | bound | gap to bound % | time to best s | wall s | status |";
        if self.multi_seed() {
            s += " runs |";
        }
        s += "\n|---|---|---|---|---|---|---|---|---|---|---|---|";
        if self.multi_seed() {
            s += "---|";
        }
        s.push('\n');
        for i in &self.instances {
            let r = i.summary();
            let size = if i.family == "smwt" {
                format!("{} jobs", i.jobs)
            } else {
                format!("{}×{}", i.jobs, i.machines)
            };
            let bks = match &i.bks {
                None => "-".to_string(),
                Some(b) => match b.lower_bound {
                    Some(lb) if lb == b.upper_bound => format!("{lb}"),
                    Some(lb) => format!("{lb}–{}", b.upper_bound),
                    None => format!("≤{}", b.upper_bound),
                },
            };
            s.push_str(&format!(
                "| {} | {}/{} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                i.name,
                i.family,
                i.subset,
                size,
                bks,
                dash(r.objective.map_or(String::new(), fmt_num)),
                dash(f2(r.gap_ub)),
                dash(f2(r.gap_lb)),
                dash(r.bound.map_or(String::new(), fmt_num)),
                dash(f2(r.gap_bound)),
                dash(f2(r.time_to_best)),
                format_args!("{:.2}", r.wall),
                r.status.code()
            ));
            if self.multi_seed() {
                let runs: Vec<String> = i
                    .runs
                    .iter()
                    .map(|r| match r.objective {
                        Some(v) if r.status.is_ok() => fmt_num(v),
                        _ => r.status.code().to_string(),
                    })
                    .collect();
                s.push_str(&format!(" {} |", runs.join(" / ")));
            }
            s.push('\n');
        }
        s
    }

    /// Per family and subset: instances, failures, at BKS, mean / median / max gap, median times.
    pub fn summary_table(&self) -> String {
        let mut groups: BTreeMap<(String, String), Vec<&InstanceResult>> = BTreeMap::new();
        for i in &self.instances {
            groups
                .entry((i.family.clone(), i.subset.clone()))
                .or_default()
                .push(i);
            groups
                .entry((i.family.clone(), "\u{10FFFF}".into()))
                .or_default()
                .push(i);
            groups
                .entry(("\u{10FFFF}".into(), String::new()))
                .or_default()
                .push(i);
        }
        let families: std::collections::BTreeSet<&str> =
            self.instances.iter().map(|i| i.family.as_str()).collect();
        let mut s = String::from(
            "\n## Summary\n\n| family/subset | instances | failed | with BKS | at BKS | mean gap % | median gap % | max gap % | mean gap to LB % | mean gap to own bound % | proven optimal | median time to best s | median wall s |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|\n",
        );
        let mut no_rel_gap = 0;
        for ((fam, sub), list) in &groups {
            let label = if fam == "\u{10FFFF}" {
                if families.len() < 2 {
                    continue;
                }
                "**all**".to_string()
            } else if sub == "\u{10FFFF}" {
                let subsets = list
                    .iter()
                    .map(|i| i.subset.as_str())
                    .collect::<std::collections::BTreeSet<_>>();
                if subsets.len() < 2 {
                    continue;
                }
                format!("**{fam}**")
            } else {
                format!("{fam}/{sub}")
            };
            let rs: Vec<RunRecord> = list.iter().map(|i| i.summary()).collect();
            let failed = rs.iter().filter(|r| !r.status.is_ok()).count();
            let ok: Vec<(&&InstanceResult, &RunRecord)> = list
                .iter()
                .zip(&rs)
                .filter(|(_, r)| r.status.is_ok())
                .collect();
            let with_bks = ok.iter().filter(|(i, _)| i.bks.is_some()).count();
            let at_bks = ok.iter().filter(|(_, r)| r.at_bks == Some(true)).count();
            let gaps: Vec<f64> = ok.iter().filter_map(|(_, r)| r.gap_ub).collect();
            if fam != "\u{10FFFF}" && sub != "\u{10FFFF}" {
                no_rel_gap += ok
                    .iter()
                    .filter(|(i, r)| i.bks.is_some() && r.gap_ub.is_none())
                    .count();
            }
            let lb_gaps: Vec<f64> = ok.iter().filter_map(|(_, r)| r.gap_lb).collect();
            let bound_gaps: Vec<f64> = ok.iter().filter_map(|(_, r)| r.gap_bound).collect();
            let proven = ok
                .iter()
                .filter(|(_, r)| r.gap_bound.is_some_and(|g| g < 1e-9))
                .count();
            let ttb = median(ok.iter().filter_map(|(_, r)| r.time_to_best).collect());
            let wall = median(rs.iter().map(|r| r.wall).collect());
            let max = gaps
                .iter()
                .copied()
                .fold(None, |m: Option<f64>, g| Some(m.map_or(g, |m| m.max(g))));
            s.push_str(&format!(
                "| {label} | {} | {} | {with_bks} | {at_bks} | {} | {} | {} | {} | {} | {proven} | {} | {} |\n",
                list.len(),
                if failed > 0 {
                    format!("**{failed}**")
                } else {
                    "0".into()
                },
                dash(f2(mean(&gaps))),
                dash(f2(median(gaps.clone()))),
                dash(f2(max)),
                dash(f2(mean(&lb_gaps))),
                dash(f2(mean(&bound_gaps))),
                dash(f2(ttb)),
                dash(f2(wall)),
            ));
        }
        s += "\nGaps are over the instances that ran ok and have a best-known value (`gap = 100 × \
              (objective − BKS) / BKS`); failed instances are counted, never averaged in. The gap \
              to own bound is `100 × (objective − bound) / objective` against takt's certified \
              lower bound (or the MIP's proven one when higher): no best-known value needed; \
              proven optimal counts the instances whose objective meets it.\n";
        if no_rel_gap > 0 {
            s.push_str(&format!(
                "{no_rel_gap} instance(s) with BKS 0 and a positive objective have no relative gap \
                 and are left out of the means.\n"
            ));
        }
        s
    }

    /// takt and a peer side by side on the instances both ran.
    pub fn compare(&self, peer: &[PeerRow], peer_name: &str) -> String {
        let by_name: HashMap<&str, &PeerRow> =
            peer.iter().map(|p| (p.instance.as_str(), p)).collect();
        let mut solvers: Vec<&str> = peer.iter().filter_map(|p| p.solver.as_deref()).collect();
        solvers.sort();
        solvers.dedup();
        let label = if solvers.is_empty() {
            "peer".to_string()
        } else {
            solvers.join(", ")
        };
        let common: Vec<(&InstanceResult, &PeerRow)> = self
            .instances
            .iter()
            .filter_map(|i| by_name.get(i.name.as_str()).map(|p| (i, *p)))
            .collect();
        let mut s = format!(
            "\n## takt vs {label} ({peer_name})\n\n{} common instance(s); {} of takt's have no peer row.\n\n",
            common.len(),
            self.instances.len() - common.len()
        );
        if common.is_empty() {
            return s;
        }
        s += "| instance | BKS | takt | takt gap % | peer | peer gap % | peer bound | peer status | takt wall s | peer wall s |\n|---|---|---|---|---|---|---|---|---|---|\n";
        struct Row<'a> {
            family: &'a str,
            subset: &'a str,
            takt: RunRecord,
            peer_obj: Option<f64>,
            peer_gap: Option<f64>,
        }
        let mut rows = Vec::new();
        for (i, p) in &common {
            let t = i.summary();
            let peer_gap = match (p.objective, &i.bks) {
                (Some(v), Some(b)) => gap_pct(v, b.upper_bound as f64),
                _ => None,
            };
            s.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} | {} | {} | {:.2} | {} |\n",
                i.name,
                i.bks
                    .as_ref()
                    .map_or("-".into(), |b| b.upper_bound.to_string()),
                if t.status.is_ok() {
                    dash(t.objective.map_or(String::new(), fmt_num))
                } else {
                    t.status.code().to_string()
                },
                dash(f2(t.gap_ub)),
                dash(p.objective.map_or(String::new(), fmt_num)),
                dash(f2(peer_gap)),
                dash(p.bound.map_or(String::new(), fmt_num)),
                dash(p.status.clone()),
                t.wall,
                dash(f2(p.wall)),
            ));
            rows.push(Row {
                family: &i.family,
                subset: &i.subset,
                takt: t,
                peer_obj: p.objective,
                peer_gap,
            });
        }
        s += "\n| family/subset | common | both with a gap | takt mean gap % | peer mean gap % | ratio takt/peer | geo-mean objective ratio | takt better | equal | peer better | takt failed |\n|---|---|---|---|---|---|---|---|---|---|---|\n";
        let mut keys: Vec<(String, String)> = rows
            .iter()
            .map(|r| (r.family.to_string(), r.subset.to_string()))
            .collect();
        keys.sort();
        keys.dedup();
        let mut groups: Vec<(String, Vec<&Row>)> = Vec::new();
        let families: std::collections::BTreeSet<&str> =
            keys.iter().map(|(f, _)| f.as_str()).collect();
        for fam in &families {
            let subs: Vec<&String> = keys
                .iter()
                .filter(|(f, _)| f == fam)
                .map(|(_, s)| s)
                .collect();
            for sub in &subs {
                groups.push((
                    format!("{fam}/{sub}"),
                    rows.iter()
                        .filter(|r| r.family == *fam && r.subset == sub.as_str())
                        .collect(),
                ));
            }
            if subs.len() > 1 {
                groups.push((
                    format!("**{fam}**"),
                    rows.iter().filter(|r| r.family == *fam).collect(),
                ));
            }
        }
        if families.len() > 1 {
            groups.push(("**all**".into(), rows.iter().collect()));
        }
        for (label, g) in groups {
            let both: Vec<(f64, f64)> = g
                .iter()
                .filter(|r| r.takt.status.is_ok())
                .filter_map(|r| Some((r.takt.gap_ub?, r.peer_gap?)))
                .collect();
            let tm = mean(&both.iter().map(|b| b.0).collect::<Vec<_>>());
            let pm = mean(&both.iter().map(|b| b.1).collect::<Vec<_>>());
            let ratio = match (tm, pm) {
                (Some(t), Some(p)) if p > 0.0 => format!("{:.2}", t / p),
                (Some(t), Some(_)) if t <= 0.0 => "1 (both 0)".into(),
                _ => "-".into(),
            };
            let objs: Vec<(f64, f64)> = g
                .iter()
                .filter(|r| r.takt.status.is_ok())
                .filter_map(|r| Some((r.takt.objective?, r.peer_obj?)))
                .collect();
            let logs: Vec<f64> = objs
                .iter()
                .filter(|(t, p)| *t > 0.0 && *p > 0.0)
                .map(|(t, p)| (t / p).ln())
                .collect();
            let geo = mean(&logs).map(f64::exp);
            let better = objs.iter().filter(|(t, p)| t < p).count()
                + g.iter()
                    .filter(|r| r.takt.status.is_ok() && r.peer_obj.is_none())
                    .count();
            let equal = objs.iter().filter(|(t, p)| t == p).count();
            let worse = objs.iter().filter(|(t, p)| t > p).count();
            let failed = g.iter().filter(|r| !r.takt.status.is_ok()).count();
            s.push_str(&format!(
                "| {label} | {} | {} | {} | {} | {ratio} | {} | {better} | {equal} | {worse} | {} |\n",
                g.len(),
                both.len(),
                dash(f2(tm)),
                dash(f2(pm)),
                dash(f3(geo)),
                if failed > 0 {
                    format!("**{failed}**")
                } else {
                    "0".into()
                },
            ));
        }
        s +=
            "\nratio takt/peer = takt's mean gap / the peer's, over the instances where both have \
              a gap (below 1: takt is closer to the best known); geo-mean objective ratio = \
              geometric mean of takt objective / peer objective (below 1: takt better). A peer \
              row without an objective counts as takt better.\n";
        s
    }

    /// The closing lines: all runs valid, or the failures listed again; contention; interruption.
    pub fn verdict(&self) -> String {
        let runs: usize = self.instances.iter().map(|i| i.runs.len()).sum();
        let failed: Vec<String> = self
            .instances
            .iter()
            .flat_map(|i| {
                i.runs.iter().filter(|r| !r.status.is_ok()).map(move |r| {
                    format!(
                        "- {} seed {}: **{}** {}",
                        i.name,
                        opt(r.seed),
                        r.status.code(),
                        r.message
                    )
                })
            })
            .collect();
        let mut s = String::from("\n");
        if failed.is_empty() {
            s.push_str(&format!(
                "All {runs} run(s) passed the referee (takt check) with the objective recomputed \
                 from the schedule.\n"
            ));
        } else {
            s.push_str(&format!("**FAILED: {} of {runs} run(s)**:\n", failed.len()));
            for f in failed {
                s.push_str(&format!("{f}\n"));
            }
        }
        let contended = self
            .instances
            .iter()
            .flat_map(|i| &i.runs)
            .filter(|r| r.wall >= 10.0 && r.cpu_share.is_some_and(|c| c < 0.8))
            .count();
        if contended > 0 {
            s.push_str(&format!(
                "{contended} run(s) of 10 s or more got under 80 % of their {} core(s) \
                 (cpu_share column): the machine was busy, their times are not comparable.\n",
                self.threads
            ));
        }
        if self.interrupted {
            s.push_str("Interrupted: the set was not run to the end.\n");
        }
        s
    }
}

/// One row of a peer's result CSV (`family,instance,solver,version,workers,time_limit_s,
/// objective,best_bound,status,wall_s`; only `instance` and `objective` are required).
#[derive(Debug, Clone, PartialEq)]
pub struct PeerRow {
    pub family: Option<String>,
    pub instance: String,
    pub solver: Option<String>,
    pub objective: Option<f64>,
    pub bound: Option<f64>,
    pub status: String,
    pub wall: Option<f64>,
}

/// Reads a peer's CSV. When an instance appears more than once, the last row counts.
pub fn read_peer_csv(path: &Path) -> Result<Vec<PeerRow>, InputError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| InputError::Io {
        file: file.clone(),
        source,
    })?;
    parse_peer_csv(&text, &file)
}

/// [`read_peer_csv`] on text; `file` names it in errors.
pub fn parse_peer_csv(text: &str, file: &str) -> Result<Vec<PeerRow>, InputError> {
    let bad = |line: usize, msg: String| {
        InputError::invalid(
            file,
            vec![Diagnostic {
                path: String::new(),
                location: Some((line, 1)),
                message: msg,
            }],
        )
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers = rdr.headers().map_err(|e| bad(1, e.to_string()))?.clone();
    let col = |n: &str| headers.iter().position(|h| h.trim() == n);
    let need = |n: &str| {
        col(n).ok_or_else(|| {
            bad(
                1,
                format!(
                    "no column `{n}` (expected the peer format family,instance,solver,version,\
                     workers,time_limit_s,objective,best_bound,status,wall_s)"
                ),
            )
        })
    };
    let (c_inst, c_obj) = (need("instance")?, need("objective")?);
    let (c_fam, c_solver, c_bound, c_status, c_wall) = (
        col("family"),
        col("solver"),
        col("best_bound"),
        col("status"),
        col("wall_s"),
    );
    let mut out: Vec<PeerRow> = Vec::new();
    for rec in rdr.records() {
        let rec =
            rec.map_err(|e| bad(e.position().map_or(1, |p| p.line() as usize), e.to_string()))?;
        let line = rec.position().map_or(0, |p| p.line() as usize);
        let get = |c: Option<usize>| {
            c.and_then(|c| rec.get(c))
                .map(str::trim)
                .filter(|s| !s.is_empty())
        };
        let num = |c: Option<usize>, what: &str| -> Result<Option<f64>, InputError> {
            match get(c) {
                None => Ok(None),
                Some(v) => v
                    .parse::<f64>()
                    .map(Some)
                    .map_err(|_| bad(line, format!("{what} `{v}` is not a number"))),
            }
        };
        let Some(instance) = get(Some(c_inst)) else {
            return Err(bad(line, "empty instance name".into()));
        };
        let row = PeerRow {
            family: get(c_fam).map(String::from),
            instance: instance.to_string(),
            solver: get(c_solver).map(String::from),
            objective: num(Some(c_obj), "objective")?,
            bound: num(c_bound, "best_bound")?,
            status: get(c_status).unwrap_or("").to_string(),
            wall: num(c_wall, "wall_s")?,
        };
        out.retain(|r| r.instance != row.instance);
        out.push(row);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peer_rows() {
        let rows = parse_peer_csv(
            "family,instance,solver,version,workers,time_limit_s,objective,best_bound,status,wall_s\n\
             jssp,ft06,ortools-cpsat,9.15,2,30,55,55,OPTIMAL,0.30\n\
             jssp,ta01,ortools-cpsat,9.15,2,30,,,ERROR,31.0\n\
             jssp,ft06,ortools-cpsat,9.15,2,30,56,50,FEASIBLE,30.1\n",
            "p.csv",
        )
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].instance, "ta01");
        assert_eq!(rows[0].objective, None);
        assert_eq!(rows[1].objective, Some(56.0));
        assert_eq!(rows[1].bound, Some(50.0));
        let e = parse_peer_csv("instance,objective\nx,abc\n", "p.csv").unwrap_err();
        assert_eq!(e.diagnostics()[0].location, Some((2, 1)));
        assert!(parse_peer_csv("name,objective\n", "p.csv").is_err());
    }
}
