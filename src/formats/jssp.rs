//! Classic job shop files, in either of two layouts (told apart by their content):
//!
//! * the OR-Library / "standard" layout: `n_jobs n_machines`, then one line per job with
//!   `n_machines` pairs `machine time` in processing order, machines numbered from 0
//!   (machine names `M0`, `M1`, ...);
//! * Taillard's own layout: an optional label line (`Nb of jobs, Nb of Machines, Time seed,
//!   Machine seed, Upper bound, Lower bound`), a header line whose first two numbers are the job
//!   and machine counts, a line `Times` followed by `n_jobs` rows of `n_machines` processing
//!   times, and a line `Machines` followed by `n_jobs` rows giving the machine of each step,
//!   numbered from 1 (machine names `M1`, `M2`, ...). Taillard's files hold several instances one
//!   after the other; `index` (1-based) picks one.
//!
//! Lines starting with `#` are comments in both layouts.

use super::text::{self, diag, diag_at, Line};
use super::{invalid, pick_index, Shop, ShopJob};
use crate::model::{Diagnostic, InputError, ObjectiveWeights, Problem};

/// The two layouts of a job shop file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    Standard,
    Taillard,
}

/// Tells the layout from the content: Taillard's files carry a `Times` line, and usually start
/// with the label line `Nb of jobs, ...`.
pub fn layout(text: &str) -> Layout {
    let lines = text::lines(text, true);
    let taillard = lines.first().is_some_and(|l| is_word(l, "nb"))
        || lines
            .iter()
            .any(|l| l.toks.len() == 1 && is_word(l, "times"));
    if taillard {
        Layout::Taillard
    } else {
        Layout::Standard
    }
}

/// Reads the job shop instance in `text`. `file` names the file in errors, `name` becomes the
/// problem's name (with a `_007` style suffix when a file holds several instances). `index` is
/// 1-based; `None` is allowed when the file holds one instance.
pub fn parse(
    text: &str,
    file: &str,
    name: &str,
    index: Option<usize>,
) -> Result<Problem, InputError> {
    let instances = parse_all(text).map_err(|d| InputError::invalid(file, d))?;
    let total = instances.len();
    let k = pick_index(text, file, index, total)?;
    let Some(mut shop) = instances.into_iter().nth(k - 1) else {
        return Err(invalid(file, diag_at(text::eof(text), "no such instance")));
    };
    shop.name = if total > 1 {
        format!("{name}_{k:03}")
    } else {
        name.to_string()
    };
    shop.build(file)
}

/// How many instances `text` holds (1 for the standard layout); errors as for [`parse`].
pub fn count(text: &str, file: &str) -> Result<usize, InputError> {
    parse_all(text)
        .map(|v| v.len())
        .map_err(|d| InputError::invalid(file, d))
}

fn parse_all(text: &str) -> Result<Vec<Shop>, Vec<Diagnostic>> {
    let lines = text::lines(text, true);
    if lines.is_empty() {
        return Err(vec![diag_at(
            (1, 1),
            "empty file: expected a header `n_jobs n_machines`",
        )]);
    }
    match layout(text) {
        Layout::Standard => standard(text, &lines).map(|s| vec![s]),
        Layout::Taillard => taillard(text, &lines),
    }
}

fn is_word(l: &Line, word: &str) -> bool {
    l.toks
        .first()
        .is_some_and(|t| t.s.trim_end_matches(':').eq_ignore_ascii_case(word))
}

/// Reads `n_jobs n_machines` from the first two words of `l`.
fn counts(l: &Line) -> Result<(usize, usize), Diagnostic> {
    let n = text::int_in(&l.toks[0], "number of jobs", 1, i64::MAX)?;
    if l.toks.len() < 2 {
        return Err(diag_at(
            l.end(),
            "header must give the number of jobs and the number of machines",
        ));
    }
    let m = text::int_in(&l.toks[1], "number of machines", 1, text::MAX_MACHINES)?;
    Ok((n as usize, m as usize))
}

fn standard(text: &str, lines: &[Line]) -> Result<Shop, Vec<Diagnostic>> {
    let header = &lines[0];
    let (n, m) = counts(header).map_err(|d| vec![d])?;
    if header.toks.len() > 2 {
        return Err(vec![diag(
            &header.toks[2],
            format!(
                "header has {} numbers, expected 2 (`n_jobs n_machines`)",
                header.toks.len()
            ),
        )]);
    }
    let jobs = text::job_lines(text, header, &lines[1..], n, |l, j| standard_job(l, j, m))?;
    Ok(Shop {
        name: String::new(),
        machines: (0..m).map(|i| format!("M{i}")).collect(),
        jobs,
        objective: makespan(),
    })
}

fn standard_job(l: &Line, j: usize, m: usize) -> Result<ShopJob, Diagnostic> {
    let want = 2 * m;
    if l.toks.len() < want {
        return Err(diag_at(
            l.end(),
            format!(
                "job {j} has {} numbers, expected {want} ({m} pairs `machine time`)",
                l.toks.len()
            ),
        ));
    }
    if l.toks.len() > want {
        return Err(diag(
            &l.toks[want],
            format!(
                "job {j} has {} numbers, expected {want} ({m} pairs `machine time`)",
                l.toks.len()
            ),
        ));
    }
    let mut ops = Vec::with_capacity(m);
    for (o, pair) in l.toks.chunks(2).enumerate() {
        let what = format!("job {j}, operation {}:", o + 1);
        let mach = text::int_in(&pair[0], &format!("{what} machine"), 0, m as i64 - 1)?;
        let t = text::time(&pair[1], &format!("{what} processing time"))?;
        ops.push(vec![(mach as u32, t)]);
    }
    Ok(ShopJob {
        due: None,
        weight: 1.0,
        ops,
    })
}

fn taillard(text: &str, lines: &[Line]) -> Result<Vec<Shop>, Vec<Diagnostic>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let (shop, next) = taillard_one(text, lines, i).map_err(|d| vec![d])?;
        out.push(shop);
        i = next;
    }
    Ok(out)
}

/// One Taillard instance starting at `lines[i]`; returns it and the index of the next line.
fn taillard_one(text: &str, lines: &[Line], mut i: usize) -> Result<(Shop, usize), Diagnostic> {
    let end = |what: &str| diag_at(text::eof(text), format!("file ends before {what}"));
    if lines[i].is_label() && !is_word(&lines[i], "times") && !is_word(&lines[i], "machines") {
        i += 1; // "Nb of jobs, Nb of Machines, ..."
    }
    let header = lines
        .get(i)
        .ok_or_else(|| end("the header line `n_jobs n_machines ...`"))?;
    let (n, m) = counts(header)?;
    for t in &header.toks[2..] {
        text::int(t, "header value (seed or bound)")?;
    }
    i += 1;
    let mut times = Vec::with_capacity(n.min(lines.len()));
    let mut machines = Vec::with_capacity(n.min(lines.len()));
    for (matrix, rows, label) in [
        (&mut times, "times", "Times"),
        (&mut machines, "machines", "Machines"),
    ] {
        let l = lines
            .get(i)
            .ok_or_else(|| end(&format!("the line `{label}`")))?;
        if !(l.toks.len() == 1 && is_word(l, rows)) {
            return Err(diag(
                &l.toks[0],
                format!("expected the line `{label}`, found `{}`", l.joined()),
            ));
        }
        i += 1;
        for j in 0..n {
            let l = lines.get(i).ok_or_else(|| {
                end(&format!(
                    "row {} of the {label} matrix ({n} rows expected)",
                    j + 1
                ))
            })?;
            if l.is_label() {
                return Err(diag(
                    &l.toks[0],
                    format!("the {label} matrix has {j} rows, expected {n} (one per job)"),
                ));
            }
            if l.toks.len() != m {
                let at = if l.toks.len() < m {
                    l.end()
                } else {
                    (l.toks[m].line, l.toks[m].col)
                };
                return Err(diag_at(
                    at,
                    format!(
                        "row {} of the {label} matrix has {} numbers, expected {m} (one per machine)",
                        j + 1,
                        l.toks.len()
                    ),
                ));
            }
            let mut row = Vec::with_capacity(m);
            for (o, t) in l.toks.iter().enumerate() {
                let what = format!("job {}, operation {}:", j + 1, o + 1);
                row.push(if rows == "times" {
                    text::time(t, &format!("{what} processing time"))?
                } else {
                    text::int_in(t, &format!("{what} machine"), 1, m as i64)?
                });
            }
            matrix.push(row);
            i += 1;
        }
    }
    let jobs = times
        .iter()
        .zip(&machines)
        .map(|(t, mach)| ShopJob {
            due: None,
            weight: 1.0,
            ops: t
                .iter()
                .zip(mach)
                .map(|(&t, &k)| vec![(k as u32 - 1, t)])
                .collect(),
        })
        .collect();
    let shop = Shop {
        name: String::new(),
        machines: (1..=m).map(|i| format!("M{i}")).collect(),
        jobs,
        objective: makespan(),
    };
    Ok((shop, i))
}

fn makespan() -> ObjectiveWeights {
    ObjectiveWeights {
        makespan: 1.0,
        ..Default::default()
    }
}
