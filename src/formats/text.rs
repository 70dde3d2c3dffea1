//! Whitespace-separated numbers with their places: the common ground of the benchmark readers.
//! Lines and columns are 1-based; columns count characters.

use crate::model::Diagnostic;

/// Most problems reported for one file; past that, one more diagnostic says how many were left out.
const MAX_DIAGNOSTICS: usize = 50;

/// One whitespace-separated word of the file and where it starts.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tok<'a> {
    pub s: &'a str,
    pub line: usize,
    pub col: usize,
}

/// A line that holds at least one word.
#[derive(Debug, Clone)]
pub(crate) struct Line<'a> {
    pub number: usize,
    pub toks: Vec<Tok<'a>>,
    /// Column just after the last character that is not whitespace (where "more" was expected).
    pub end_col: usize,
}

impl Line<'_> {
    /// The line's text without surrounding whitespace.
    pub fn joined(&self) -> String {
        self.toks.iter().map(|t| t.s).collect::<Vec<_>>().join(" ")
    }

    /// True when the line starts with a letter: a label such as `Times` rather than data.
    pub fn is_label(&self) -> bool {
        self.toks
            .first()
            .and_then(|t| t.s.chars().next())
            .is_some_and(|c| c.is_alphabetic())
    }

    /// The position just after the line's last word.
    pub fn end(&self) -> (usize, usize) {
        (self.number, self.end_col)
    }
}

/// Splits `text` into its non-blank lines. With `comments`, lines whose first word starts with
/// `#` are skipped too (some mirrors put a comment header on top of the data).
pub(crate) fn lines(text: &str, comments: bool) -> Vec<Line<'_>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        let mut toks = Vec::new();
        let mut start: Option<(usize, usize)> = None; // (byte, col)
        let mut col = 0;
        let mut end_col = 1;
        for (b, c) in raw.char_indices() {
            col += 1;
            if c.is_whitespace() {
                if let Some((sb, sc)) = start.take() {
                    toks.push(Tok {
                        s: &raw[sb..b],
                        line: i + 1,
                        col: sc,
                    });
                }
            } else {
                end_col = col + 1;
                if start.is_none() {
                    start = Some((b, col));
                }
            }
        }
        if let Some((sb, sc)) = start {
            toks.push(Tok {
                s: &raw[sb..],
                line: i + 1,
                col: sc,
            });
        }
        if toks.is_empty() || (comments && toks[0].s.starts_with('#')) {
            continue;
        }
        out.push(Line {
            number: i + 1,
            toks,
            end_col,
        });
    }
    out
}

/// The position of the end of the file (just after its last character).
pub(crate) fn eof(text: &str) -> (usize, usize) {
    let line = 1 + text.matches('\n').count();
    let last = text.rsplit('\n').next().unwrap_or("");
    (line, last.chars().count() + 1)
}

pub(crate) fn diag_at((line, col): (usize, usize), message: impl Into<String>) -> Diagnostic {
    Diagnostic {
        path: String::new(),
        location: Some((line, col)),
        message: message.into(),
    }
}

pub(crate) fn diag(tok: &Tok, message: impl Into<String>) -> Diagnostic {
    diag_at((tok.line, tok.col), message)
}

/// `tok` as an integer; `what` names it in the error.
pub(crate) fn int(tok: &Tok, what: &str) -> Result<i64, Diagnostic> {
    tok.s.parse::<i64>().map_err(|e| {
        let looks_numeric = tok
            .s
            .trim_start_matches(['-', '+'])
            .chars()
            .all(|c| c.is_ascii_digit())
            && tok.s.chars().any(|c| c.is_ascii_digit());
        if looks_numeric {
            diag(tok, format!("{what} `{}` is too large ({e})", tok.s))
        } else {
            diag(tok, format!("{what} must be an integer, found `{}`", tok.s))
        }
    })
}

/// `tok` as an integer in `lo..=hi`.
pub(crate) fn int_in(tok: &Tok, what: &str, lo: i64, hi: i64) -> Result<i64, Diagnostic> {
    let v = int(tok, what)?;
    if v < lo || v > hi {
        let range = if hi == i64::MAX {
            format!("at least {lo}")
        } else {
            format!("in {lo}..={hi}")
        };
        return Err(diag(
            tok,
            format!("{what} {v} is out of range (must be {range})"),
        ));
    }
    Ok(v)
}

/// `tok` as a processing time: an integer of 0 or more.
pub(crate) fn time(tok: &Tok, what: &str) -> Result<i64, Diagnostic> {
    int_in(tok, what, 0, i64::MAX)
}

/// Collects diagnostics up to a limit.
#[derive(Default)]
pub(crate) struct Diags {
    pub list: Vec<Diagnostic>,
    dropped: usize,
}

impl Diags {
    pub fn push(&mut self, d: Diagnostic) {
        if self.list.len() < MAX_DIAGNOSTICS {
            self.list.push(d);
        } else {
            self.dropped += 1;
        }
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub fn finish(mut self) -> Vec<Diagnostic> {
        if self.dropped > 0 {
            self.list.push(Diagnostic::at(
                "",
                format!("... and {} more problems", self.dropped),
            ));
        }
        self.list
    }
}

/// Largest machine count a header may declare (guards against absurd allocations).
pub(crate) const MAX_MACHINES: i64 = 1_000_000;

/// The job lines after a header that announced `n` jobs: one job per line, parsed by `job`
/// (line, 1-based job number). Reports a short or long file and every bad line, not only the first.
pub(crate) fn job_lines<J>(
    text: &str,
    header: &Line,
    body: &[Line],
    n: usize,
    job: impl Fn(&Line, usize) -> Result<J, Diagnostic>,
) -> Result<Vec<J>, Vec<Diagnostic>> {
    let mut diags = Diags::default();
    if body.len() < n {
        diags.push(diag_at(
            eof(text),
            format!(
                "file ends after {} job lines; the header (line {}) says {n} jobs",
                body.len(),
                header.number
            ),
        ));
    }
    if body.len() > n {
        diags.push(diag(
            &body[n].toks[0],
            format!(
                "unexpected data after the last job: the header (line {}) says {n} jobs",
                header.number
            ),
        ));
    }
    let mut jobs = Vec::with_capacity(n.min(body.len()));
    for (j, l) in body.iter().take(n).enumerate() {
        match job(l, j + 1) {
            Ok(x) => jobs.push(x),
            Err(d) => diags.push(d),
        }
    }
    if !diags.is_empty() {
        return Err(diags.finish());
    }
    Ok(jobs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_carry_line_and_column() {
        let l = lines("# note\n\n  12 x\t7\r\n", true);
        assert_eq!(l.len(), 1);
        assert_eq!(l[0].number, 3);
        let at: Vec<(&str, usize, usize)> =
            l[0].toks.iter().map(|t| (t.s, t.line, t.col)).collect();
        assert_eq!(at, vec![("12", 3, 3), ("x", 3, 6), ("7", 3, 8)]);
        assert_eq!(l[0].end(), (3, 9));
        assert_eq!(eof("1 2\n3\n"), (3, 1));
        assert_eq!(eof("1 2\n34"), (2, 3));
    }

    #[test]
    fn integers_and_their_errors() {
        let l = lines("5 -1 2.5 99999999999999999999", false);
        let t = &l[0].toks;
        assert_eq!(int(&t[0], "n"), Ok(5));
        assert!(time(&t[1], "time")
            .unwrap_err()
            .message
            .contains("out of range"));
        assert!(int(&t[2], "time")
            .unwrap_err()
            .message
            .contains("must be an integer"));
        assert!(int(&t[3], "time")
            .unwrap_err()
            .message
            .contains("too large"));
        assert_eq!(int(&t[2], "time").unwrap_err().location, Some((1, 6)));
    }
}
