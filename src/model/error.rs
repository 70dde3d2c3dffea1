//! Errors of reading an instance: every problem found, each with its place.

use std::fmt;

/// One problem in an input file: where it is and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// YAML path such as `jobs[3].operations[1].machines` (empty for the whole document).
    pub path: String,
    /// 1-based line and column, when the parser knows them.
    pub location: Option<(usize, usize)>,
    pub message: String,
}

impl Diagnostic {
    pub fn at(path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.into(),
            location: None,
            message: message.into(),
        }
    }
}

/// Why an input file could not be used. `Display` prints one line per problem, each starting
/// with the file name, so the CLI can print it as is.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{file}: cannot read: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    /// An output (a schedule, a report, a CSV, a log line) could not be written.
    #[error("{file}: cannot write: {source}")]
    Write {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{}", render(file, diagnostics))]
    Invalid {
        file: String,
        diagnostics: Vec<Diagnostic>,
    },
}

impl InputError {
    pub fn invalid(file: &str, diagnostics: Vec<Diagnostic>) -> Self {
        InputError::Invalid {
            file: file.to_string(),
            diagnostics,
        }
    }

    /// A failed write of `file` (a path, or a stream such as `stderr`).
    pub fn write(file: impl std::fmt::Display, source: std::io::Error) -> Self {
        InputError::Write {
            file: file.to_string(),
            source,
        }
    }

    /// The diagnostics (empty for I/O errors).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            InputError::Invalid { diagnostics, .. } => diagnostics,
            InputError::Io { .. } | InputError::Write { .. } => &[],
        }
    }
}

fn render(file: &str, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for (i, d) in diagnostics.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&d.render(file));
    }
    out
}

impl Diagnostic {
    /// `file:line:col: path: message`, leaving out what is unknown.
    pub fn render(&self, file: &str) -> String {
        let mut s = file.to_string();
        if let Some((l, c)) = self.location {
            s.push_str(&format!(":{l}:{c}"));
        }
        s.push_str(": ");
        if !self.path.is_empty() {
            s.push_str(&self.path);
            s.push_str(": ");
        }
        s.push_str(&self.message);
        s
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render("<input>"))
    }
}
