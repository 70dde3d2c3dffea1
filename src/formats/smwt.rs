//! Single-machine total weighted tardiness, OR-Library layout (`wt40.txt`, `wt50.txt`,
//! `wt100.txt`): a stream of integers where each instance of `n` jobs is `n` processing times,
//! then `n` weights, then `n` due dates. Line breaks carry no meaning. Instance `k` (1-based) is
//! the `k`-th block of `3n` integers; it is addressed as `wt40.txt#17` and named `wt40_017`.
//!
//! The problem has one machine `M1`, jobs `J1..` with one operation `o1` each, due dates and
//! weights, and the objective `{weighted_tardiness: 1}`.

use super::text::{self, diag, diag_at, Diags, Tok};
use super::{pick_index, split_index, stem, Shop, ShopJob};
use crate::model::{InputError, ObjectiveWeights, Problem};

/// The number of jobs a file name such as `wt40.txt` (or `dir/wt100`) announces.
pub fn jobs_from_name(path: &str) -> Option<usize> {
    let s = stem(path);
    let digits: String = s
        .strip_prefix("wt")
        .or_else(|| s.strip_prefix("WT"))?
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.parse().ok().filter(|&n| n > 0)
}

/// Reads `path` (`wt40.txt#17`: instance 17). `n` is the number of jobs per instance; `None`
/// takes it from the file name (`wtNN`).
pub fn read(path: &str, n: Option<usize>) -> Result<Problem, InputError> {
    let (file, index) = split_index(path)?;
    let text = super::read_text(&file)?;
    let n = jobs_for(&file, n)?;
    parse(&text, &file, n, index, &stem(&file))
}

/// `n` if given, else from the file name.
pub(crate) fn jobs_for(file: &str, n: Option<usize>) -> Result<usize, InputError> {
    n.or_else(|| jobs_from_name(file)).ok_or_else(|| {
        InputError::invalid(
            file,
            vec![crate::model::Diagnostic::at(
                "",
                "cannot tell the number of jobs per instance from the file name: name it wtNN.txt \
                 (for example wt40.txt) or give the number of jobs",
            )],
        )
    })
}

/// Reads instance `index` (1-based; `None` only when the file holds one instance) of `n` jobs
/// from `text`. The problem is named `{prefix}_{index:03}`.
pub fn parse(
    text: &str,
    file: &str,
    n: usize,
    index: Option<usize>,
    prefix: &str,
) -> Result<Problem, InputError> {
    let toks = numbers(text, file, n)?;
    let block = 3 * n;
    let total = toks.len() / block;
    let k = pick_index(text, file, index, total)?;
    let data = &toks[(k - 1) * block..k * block];
    let mut diags = Diags::default();
    let mut jobs = Vec::with_capacity(n);
    for j in 0..n {
        let (p, w, d) = (data[j], data[n + j], data[2 * n + j]);
        let job = j + 1;
        let p = check(&mut diags, p, &format!("job {job}: processing time"));
        let w = check(&mut diags, w, &format!("job {job}: weight"));
        jobs.push(ShopJob {
            due: Some(d.1),
            weight: w as f64,
            ops: vec![vec![(0, p)]],
        });
    }
    if !diags.is_empty() {
        return Err(InputError::invalid(file, diags.finish()));
    }
    let shop = Shop {
        name: format!("{prefix}_{k:03}"),
        machines: vec!["M1".to_string()],
        jobs,
        objective: ObjectiveWeights {
            weighted_tardiness: 1.0,
            ..Default::default()
        },
    };
    shop.build(file)
}

/// How many instances of `n` jobs `text` holds; errors as for [`parse`].
pub fn count(text: &str, file: &str, n: usize) -> Result<usize, InputError> {
    Ok(numbers(text, file, n)?.len() / (3 * n))
}

fn check(diags: &mut Diags, (tok, v): (Tok, i64), what: &str) -> i64 {
    if v < 0 {
        diags.push(diag(&tok, format!("{what} {v} is negative")));
        0
    } else {
        v
    }
}

/// Every number of the file, checked to be integers filling whole instances of `n` jobs.
fn numbers<'a>(text: &'a str, file: &str, n: usize) -> Result<Vec<(Tok<'a>, i64)>, InputError> {
    if n == 0 || n > usize::MAX / 3 {
        return Err(InputError::invalid(
            file,
            vec![crate::model::Diagnostic::at(
                "",
                format!("{n} is not a usable number of jobs per instance"),
            )],
        ));
    }
    let mut diags = Diags::default();
    let mut out = Vec::new();
    for line in text::lines(text, false) {
        for t in line.toks {
            match text::int(&t, "value") {
                Ok(v) => out.push((t, v)),
                Err(d) => diags.push(d),
            }
        }
    }
    if !diags.is_empty() {
        return Err(InputError::invalid(file, diags.finish()));
    }
    let block = 3 * n;
    if out.is_empty() {
        return Err(InputError::invalid(
            file,
            vec![diag_at((1, 1), "empty file: no instance")],
        ));
    }
    let rest = out.len() % block;
    if rest != 0 {
        let first = out.len() - rest;
        return Err(InputError::invalid(
            file,
            vec![diag(
                &out[first].0,
                format!(
                    "the last instance is incomplete: it has {rest} of the {block} numbers an \
                     instance of {n} jobs needs ({n} processing times, {n} weights, {n} due dates); \
                     the file has {} numbers in all",
                    out.len()
                ),
            )],
        ));
    }
    Ok(out)
}
