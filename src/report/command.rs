//! `takt report` and `takt explain`: their arguments (clap derive structs for `main.rs`) and the
//! library entry points. Each returns the exit status like the other commands: `Ok(true)` success,
//! `Ok(false)` done but a schedule breaks a rule (exit 1), `Err` bad input (exit 2).

use super::compare::{kpi_csv, kpi_details, kpi_object, kpi_rows, kpi_table, materials_text};
use super::dispatch_list::{parse_instant, period, write_dispatch_lists};
use super::explain::{analyse, explain_job, lateness_by_machine, render_lateness, MachineLateness};
pub use super::gantt::ColorBy;
use super::gantt::{gantt_svg, GanttOptions};
use super::html::{report_page, PageSchedule};
use super::json::Json;
use super::{file_safe, fmt_minutes, fmt_when};
use crate::check::check;
use crate::eval::{compute_kpis, Kpis};
use crate::formats::load_any;
use crate::model::{Diagnostic, InputError, Problem};
use crate::schedule::{read_schedule, write_atomic, Schedule};
use std::path::{Path, PathBuf};

/// Arguments of `takt report`.
#[derive(clap::Args, Debug, Clone)]
pub struct ReportArgs {
    /// The instance (takt YAML or a benchmark file).
    pub instance: PathBuf,
    /// One or more schedules (.yaml, .yml or .csv), shown side by side.
    #[arg(required = true, num_args = 1..)]
    pub schedules: Vec<PathBuf>,
    /// A name for each schedule, in order (default: the file name).
    #[arg(long = "label", value_name = "L")]
    pub labels: Vec<String>,
    /// Print the KPIs as JSON instead of the table.
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// Print the KPIs as CSV (one row per KPI, one column per schedule) instead of the table.
    #[arg(long)]
    pub csv: bool,
    /// Write the Gantt chart as SVG (with several schedules: FILE-LABEL.svg for each).
    #[arg(long, value_name = "out.svg")]
    pub gantt: Option<PathBuf>,
    /// Write a self-contained HTML report (KPIs, utilisation, Gantt, comparison).
    #[arg(long, value_name = "out.html")]
    pub html: Option<PathBuf>,
    /// Colour operations by job or by product family.
    #[arg(long, value_enum, default_value_t = ColorBy::Job)]
    pub color_by: ColorBy,
    /// Write per-machine dispatch lists (CSV, Markdown, printable HTML) into this directory
    /// (with several schedules: a subdirectory per label).
    #[arg(long, value_name = "DIR")]
    pub dispatch: Option<PathBuf>,
    /// Start of the dispatch period: ISO datetime or minutes (default: the first shift's start).
    #[arg(
        long,
        value_name = "T",
        requires = "dispatch",
        allow_hyphen_values = true
    )]
    pub from: Option<String>,
    /// End of the dispatch period: ISO datetime or minutes (default: the end of that shift).
    #[arg(
        long,
        value_name = "T",
        requires = "dispatch",
        allow_hyphen_values = true
    )]
    pub to: Option<String>,
}

/// Arguments of `takt explain`.
#[derive(clap::Args, Debug, Clone)]
pub struct ExplainArgs {
    /// The instance (takt YAML or a benchmark file).
    pub instance: PathBuf,
    /// The schedule (.yaml, .yml or .csv).
    pub schedule: PathBuf,
    /// The job's id, as in the instance.
    pub job: String,
}

fn usage_error(what: &str, message: String) -> InputError {
    InputError::invalid(what, vec![Diagnostic::at("", message)])
}

fn io_error(path: &Path, source: std::io::Error) -> InputError {
    InputError::Io {
        file: path.display().to_string(),
        source,
    }
}

/// One schedule of a report, read and evaluated.
pub struct Loaded {
    pub label: String,
    pub path: PathBuf,
    pub schedule: Schedule,
    pub kpis: Kpis,
    pub violations: usize,
    pub lateness: Vec<MachineLateness>,
}

/// Labels: as given, else file names; made unique.
fn labels(args: &ReportArgs) -> Result<Vec<String>, InputError> {
    if !args.labels.is_empty() && args.labels.len() != args.schedules.len() {
        return Err(usage_error(
            "--label",
            format!(
                "{} label(s) for {} schedule(s): give one --label per schedule, or none",
                args.labels.len(),
                args.schedules.len()
            ),
        ));
    }
    let mut out: Vec<String> = if args.labels.is_empty() {
        args.schedules
            .iter()
            .map(|p| {
                p.file_name()
                    .map(|f| f.to_string_lossy().into_owned())
                    .unwrap_or_else(|| p.display().to_string())
            })
            .collect()
    } else {
        args.labels.clone()
    };
    for i in 0..out.len() {
        let mut n = 2;
        let base = out[i].clone();
        while out[..i].contains(&out[i]) {
            out[i] = format!("{base} ({n})");
            n += 1;
        }
    }
    Ok(out)
}

/// Reads and evaluates every schedule of `args` against `problem`.
pub fn load_schedules(problem: &Problem, args: &ReportArgs) -> Result<Vec<Loaded>, InputError> {
    let labels = labels(args)?;
    args.schedules
        .iter()
        .zip(labels)
        .map(|(path, label)| {
            let schedule = read_schedule(problem, path)?;
            let kpis = compute_kpis(problem, &schedule);
            let violations = check(problem, &schedule).len();
            let analysis = analyse(problem, &schedule);
            let lateness = lateness_by_machine(problem, &schedule, &analysis);
            Ok(Loaded {
                label,
                path: path.clone(),
                schedule,
                kpis,
                violations,
                lateness,
            })
        })
        .collect()
}

/// The report's JSON: instance facts, then per schedule its label, file, validity, the flat KPI
/// object (the same keys as the CSV), the structured KPIs and where late jobs waited.
pub fn report_json(problem: &Problem, loaded: &[Loaded]) -> String {
    let kpis: Vec<&Kpis> = loaded.iter().map(|l| &l.kpis).collect();
    let rows = kpi_rows(problem, &kpis);
    Json::obj([
        ("instance", Json::str(&problem.name)),
        ("horizon_start", Json::str(problem.datetime(0))),
        (
            "horizon_end",
            problem
                .horizon_end
                .map_or(Json::Null, |e| Json::str(problem.datetime(e))),
        ),
        (
            "schedules",
            Json::Arr(
                loaded
                    .iter()
                    .enumerate()
                    .map(|(c, l)| {
                        Json::obj([
                            ("label", Json::str(&l.label)),
                            ("file", Json::str(l.path.display().to_string())),
                            ("valid", Json::Bool(l.violations == 0)),
                            ("violations", Json::Int(l.violations as i64)),
                            ("kpis", kpi_object(&rows, c)),
                            ("details", kpi_details(problem, &l.kpis)),
                            ("lateness_by_machine", lateness_json(problem, &l.lateness)),
                        ])
                    })
                    .collect(),
            ),
        ),
    ])
    .pretty()
}

fn lateness_json(problem: &Problem, rows: &[MachineLateness]) -> Json {
    Json::Arr(
        rows.iter()
            .filter_map(|r| {
                let m = r.machine?;
                let mut v: Vec<(String, Json)> = vec![
                    ("machine".into(), Json::str(&problem.machine(m).id)),
                    ("total".into(), Json::Int(r.total())),
                    ("busy_with_other_jobs".into(), Json::Int(r.busy)),
                    ("changeover".into(), Json::Int(r.changeover)),
                    (
                        "closed".into(),
                        Json::obj(r.closed.iter().map(|(k, v)| (k.name(), Json::Int(*v)))),
                    ),
                    ("idle".into(), Json::Int(r.idle)),
                ];
                // Only for instances that have them: the same JSON as before otherwise.
                if !problem.resources.is_empty() {
                    v.push((
                        "waiting_for_resources".into(),
                        Json::obj(
                            r.resources.iter().map(|(k, x)| {
                                (problem.resources[k.idx()].id.clone(), Json::Int(*x))
                            }),
                        ),
                    ));
                }
                if !problem.items.is_empty() {
                    v.push((
                        "waiting_for_materials".into(),
                        Json::obj(
                            r.materials
                                .iter()
                                .map(|(k, x)| (problem.items[k.idx()].id.clone(), Json::Int(*x))),
                        ),
                    ));
                }
                v.push(("late_jobs".into(), Json::Int(r.late_jobs as i64)));
                v.push((
                    "blockers".into(),
                    Json::Arr(
                        r.blockers
                            .iter()
                            .take(10)
                            .map(|(j, m)| {
                                Json::obj([
                                    ("job", Json::str(&problem.job(*j).id)),
                                    ("minutes", Json::Int(*m)),
                                ])
                            })
                            .collect(),
                    ),
                ));
                Some(Json::Obj(v))
            })
            .collect(),
    )
}

/// The Gantt options for one schedule: the instance and label as title, a few KPIs below.
pub fn gantt_options(problem: &Problem, l: &Loaded, color_by: ColorBy) -> GanttOptions {
    let k = &l.kpis;
    GanttOptions {
        color_by,
        title: format!("{}: {}", problem.name, l.label),
        subtitle: format!(
            "{} operations on {} machines; objective {}; makespan {} ({}); {} late job(s) of {} with a due date; {} changeover(s), {}",
            l.schedule.ops.len(),
            problem.machines.len(),
            super::compare::num(k.evaluation.value),
            fmt_minutes(k.makespan),
            fmt_when(problem, k.makespan),
            k.late_jobs,
            k.jobs_with_due,
            k.changeover_count,
            fmt_minutes(k.changeover_minutes)
        ),
    }
}

/// `path` for schedule `i` of `n`: `path` itself for one schedule, `stem-label.ext` otherwise.
fn per_schedule_path(path: &Path, label: &str, n: usize) -> PathBuf {
    if n == 1 {
        return path.to_path_buf();
    }
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "gantt".into());
    let ext = path
        .extension()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "svg".into());
    path.with_file_name(format!("{stem}-{}.{ext}", file_safe(label)))
}

/// `takt report`: the KPI table (or JSON/CSV) on stdout, where late jobs waited, and the files
/// asked for. `Ok(false)` when a schedule breaks a rule (the report is still made).
pub fn report_command(args: &ReportArgs) -> Result<bool, InputError> {
    let problem = load_any(&args.instance)?;
    let loaded = load_schedules(&problem, args)?;
    // Check the dispatch period before writing anything.
    let dispatch_period = match &args.dispatch {
        Some(_) => {
            let parse = |flag: &str, v: &Option<String>| -> Result<_, InputError> {
                v.as_deref()
                    .map(|s| parse_instant(&problem, s))
                    .transpose()
                    .map_err(|e| usage_error(flag, e))
            };
            let from = parse("--from", &args.from)?;
            let to = parse("--to", &args.to)?;
            Some(period(&problem, from, to).map_err(|e| usage_error("--from/--to", e))?)
        }
        None => None,
    };
    let columns: Vec<(&str, &Kpis)> = loaded.iter().map(|l| (l.label.as_str(), &l.kpis)).collect();
    if args.json {
        print!("{}", report_json(&problem, &loaded));
    } else if args.csv {
        print!("{}", kpi_csv(&problem, &columns));
    } else {
        println!("{}", problem.summary());
        print!("{}", kpi_table(&problem, &columns));
        // How far each schedule can be from optimal: takt's certified lower bound, once.
        let bound = crate::solve::bound::lower_bound(&problem).value;
        for l in &loaded {
            let v = l.kpis.evaluation.value;
            println!(
                "objective {} ({}): {}",
                super::compare::num(v),
                l.label,
                crate::solve::bound::describe(v, bound)
            );
        }
        print!("{}", materials_text(&problem, &columns));
        for l in &loaded {
            println!(
                "\nWhere late jobs waited, by machine ({}, {} late job(s)):",
                l.label, l.kpis.late_jobs
            );
            print!("{}", render_lateness(&problem, &l.lateness, 5));
        }
    }
    for l in &loaded {
        if l.violations > 0 {
            eprintln!(
                "{}: the referee finds {} broken rule(s) (see `takt check`); the report uses the times as written",
                l.path.display(),
                l.violations
            );
        }
        if l.kpis.beyond_horizon {
            eprintln!(
                "{}: the schedule ends after the horizon end",
                l.path.display()
            );
        }
    }
    let svgs: Vec<String> = if args.gantt.is_some() || args.html.is_some() {
        loaded
            .iter()
            .map(|l| {
                gantt_svg(
                    &problem,
                    &l.schedule,
                    &gantt_options(&problem, l, args.color_by),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    if let Some(path) = &args.gantt {
        for (l, svg) in loaded.iter().zip(&svgs) {
            let p = per_schedule_path(path, &l.label, loaded.len());
            let text = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{svg}\n");
            write_atomic(&p, &text).map_err(|e| io_error(&p, e))?;
            eprintln!("wrote {}", p.display());
        }
    }
    if let Some(path) = &args.html {
        let files: Vec<String> = loaded
            .iter()
            .map(|l| l.path.display().to_string())
            .collect();
        let pages: Vec<PageSchedule> = loaded
            .iter()
            .zip(&svgs)
            .zip(&files)
            .map(|((l, svg), file)| PageSchedule {
                label: &l.label,
                file,
                schedule: &l.schedule,
                kpis: &l.kpis,
                lateness: &l.lateness,
                violations: l.violations,
                gantt_svg: svg,
            })
            .collect();
        let page = report_page(&problem, &args.instance.display().to_string(), &pages);
        write_atomic(path, &page).map_err(|e| io_error(path, e))?;
        eprintln!("wrote {}", path.display());
    }
    if let (Some(dir), Some((from, to))) = (&args.dispatch, dispatch_period) {
        for l in &loaded {
            let d = if loaded.len() == 1 {
                dir.clone()
            } else {
                dir.join(file_safe(&l.label))
            };
            let files = write_dispatch_lists(&problem, &l.schedule, &l.label, &d, from, to)
                .map_err(|e| io_error(&d, e))?;
            eprintln!(
                "wrote {} dispatch files to {} (period {} to {})",
                files.len(),
                d.display(),
                problem.datetime(from),
                problem.datetime(to)
            );
        }
    }
    Ok(loaded.iter().all(|l| l.violations == 0))
}

/// `takt explain`: why a job completes when it does, walking back from its last operation.
pub fn explain_command(args: &ExplainArgs) -> Result<bool, InputError> {
    let problem = load_any(&args.instance)?;
    let schedule = read_schedule(&problem, &args.schedule)?;
    let Some(job) = problem.job_by_id(&args.job) else {
        return Err(usage_error(
            &args.instance.display().to_string(),
            format!("no job `{}` in the instance", args.job),
        ));
    };
    print!("{}", explain_job(&problem, &schedule, job));
    let violations = check(&problem, &schedule).len();
    if violations > 0 {
        eprintln!(
            "{}: the referee finds {} broken rule(s) (see `takt check`); the explanation uses the times as written",
            args.schedule.display(),
            violations
        );
    }
    Ok(violations == 0)
}
