//! Flexible job shop files in the Brandimarte `.fjs` layout:
//!
//! ```text
//! n_jobs n_machines [mean machines per operation]
//! n_ops  k m t m t ...  k m t ...     <- one line per job
//! ```
//!
//! Each operation gives `k`, the number of machines that can run it, then `k` pairs
//! `machine time`. Machines are numbered from 1 and named `M1`, `M2`, ... The third header
//! number is ignored (it only has to be a number). Lines starting with `#` are comments.

use super::text::{self, diag, diag_at, Line};
use super::{Shop, ShopJob};
use crate::model::{Diagnostic, InputError, ObjectiveWeights, Problem};

/// Reads the `.fjs` instance in `text`; `file` names it in errors, `name` becomes the problem's name.
pub fn parse(text: &str, file: &str, name: &str) -> Result<Problem, InputError> {
    let mut shop = parse_shop(text).map_err(|d| InputError::invalid(file, d))?;
    shop.name = name.to_string();
    shop.build(file)
}

fn parse_shop(text: &str) -> Result<Shop, Vec<Diagnostic>> {
    let lines = text::lines(text, true);
    let Some(header) = lines.first() else {
        return Err(vec![diag_at(
            (1, 1),
            "empty file: expected a header `n_jobs n_machines [mean machines per operation]`",
        )]);
    };
    let (n, m) = header_counts(header).map_err(|d| vec![d])?;
    let jobs = text::job_lines(text, header, &lines[1..], n, |l, j| job(l, j, m))?;
    Ok(Shop {
        name: String::new(),
        machines: (1..=m).map(|i| format!("M{i}")).collect(),
        jobs,
        objective: ObjectiveWeights {
            makespan: 1.0,
            ..Default::default()
        },
    })
}

fn header_counts(l: &Line) -> Result<(usize, usize), Diagnostic> {
    let n = text::int_in(&l.toks[0], "number of jobs", 1, i64::MAX)?;
    if l.toks.len() < 2 {
        return Err(diag_at(
            l.end(),
            "header must give the number of jobs and the number of machines",
        ));
    }
    if l.toks.len() > 3 {
        return Err(diag(
            &l.toks[3],
            format!(
                "header has {} numbers, expected 2 or 3 (`n_jobs n_machines [mean]`)",
                l.toks.len()
            ),
        ));
    }
    let m = text::int_in(&l.toks[1], "number of machines", 1, text::MAX_MACHINES)?;
    if let Some(t) = l.toks.get(2) {
        if !t.s.parse::<f64>().is_ok_and(f64::is_finite) {
            return Err(diag(
                t,
                format!(
                    "mean machines per operation must be a number, found `{}`",
                    t.s
                ),
            ));
        }
    }
    Ok((n as usize, m as usize))
}

fn job(l: &Line, j: usize, m: usize) -> Result<ShopJob, Diagnostic> {
    let mut toks = l.toks.iter();
    let ran_out = |what: String| {
        diag_at(
            l.end(),
            format!("line ends too early: job {j} still needs {what}"),
        )
    };
    let first = toks
        .next()
        .ok_or_else(|| ran_out("its number of operations".into()))?;
    let n_ops = text::int_in(
        first,
        &format!("job {j}: number of operations"),
        1,
        i64::MAX,
    )?;
    let mut ops = Vec::new();
    for o in 1..=n_ops {
        let t = toks
            .next()
            .ok_or_else(|| ran_out(format!("operation {o} of {n_ops}")))?;
        let k = text::int_in(
            t,
            &format!("job {j}, operation {o}: number of machines"),
            1,
            m as i64,
        )?;
        let mut modes: Vec<(u32, i64)> = Vec::new();
        for e in 1..=k {
            let what = format!("job {j}, operation {o}:");
            let mt = toks
                .next()
                .ok_or_else(|| ran_out(format!("machine {e} of {k} of operation {o}")))?;
            let mach = text::int_in(mt, &format!("{what} machine"), 1, m as i64)? as u32 - 1;
            let tt = toks.next().ok_or_else(|| {
                ran_out(format!(
                    "the processing time on machine {} of operation {o}",
                    mach + 1
                ))
            })?;
            let dur = text::time(tt, &format!("{what} processing time"))?;
            if modes.iter().any(|&(x, _)| x == mach) {
                return Err(diag(
                    mt,
                    format!("{what} machine {} is listed twice", mach + 1),
                ));
            }
            modes.push((mach, dur));
        }
        ops.push(modes);
    }
    if let Some(t) = toks.next() {
        return Err(diag(
            t,
            format!(
                "job {j} has numbers left after its {n_ops} operations (`{}` ...)",
                t.s
            ),
        ));
    }
    Ok(ShopJob {
        due: None,
        weight: 1.0,
        ops,
    })
}
