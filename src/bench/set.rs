//! What `takt bench SET` runs: SET is a directory of instance files (with `bks.csv` beside them),
//! a family name (`jssp`, `fjsp`, `smwt`: the directories under the benchmarks root), a list file,
//! or a single instance file.
//!
//! The benchmarks root is `$TAKT_BENCHMARKS` when set, else `instances/shared/benchmarks` (a
//! copy of ../shared/benchmarks) relative to the crate root (the source tree the binary was built
//! from). Reports show an instance under the root by its path relative to it
//! ([`Entry::report_path`]), which does not depend on where the tree is.
//!
//! A list file holds one instance a line; blank lines and lines starting with `#` are ignored. A
//! line is either a path (`jssp/ta01.txt`, `smwt/wt40.txt#17`, `my.yaml`) or a line of a
//! `run_suite.py` manifest (`FAMILY PATH [INDEX [FIRST]]`, the format of
//! `../shared/peers/manifest_shared.txt`), so the peer's own manifest can be benchmarked as is.
//! Relative paths are taken relative to the list file's directory, and failing that relative to the
//! benchmarks root.

use crate::formats::{self, Bks, Format};
use crate::model::{Diagnostic, InputError, Problem};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// One instance to run, before loading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The file holding the instance.
    pub file: PathBuf,
    /// 1-based index inside a file holding several instances (`wt40.txt#17`).
    pub index: Option<usize>,
    /// `None` for a takt YAML instance.
    pub format: Option<Format>,
}

impl Entry {
    /// The path as the readers take it: `file` or `file#k`.
    pub fn path(&self) -> String {
        match self.index {
            Some(k) => format!("{}#{k}", self.file.display()),
            None => self.file.display().to_string(),
        }
    }

    /// The path as reports show it (the CSV's `path` column): relative to the benchmarks root
    /// when the file lies under it (`jssp/ta01.txt`, `smwt/wt40.txt#17`), so that the CSVs of
    /// two checkouts or machines agree; else [`Self::path`]: the path as given (a list file's
    /// line: where it was found).
    pub fn report_path(&self) -> String {
        self.path_under(&benchmarks_root())
    }

    /// [`Self::report_path`] against `root`: both sides canonical, so a link or `..` on the
    /// way to the root does not hide that the file lies under it; `/` between the parts.
    pub fn path_under(&self, root: &Path) -> String {
        let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        let file = canonical(self.file.as_path());
        let Ok(rel) = file.strip_prefix(canonical(root)) else {
            return self.path();
        };
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let rel = parts.join("/");
        match self.index {
            Some(k) => format!("{rel}#{k}"),
            None => rel,
        }
    }

    /// `jssp`, `fjsp`, `smwt`, or `takt` for a YAML instance.
    pub fn family(&self) -> &'static str {
        self.format.map_or("takt", |f| f.name())
    }

    /// Reads and validates the instance.
    pub fn load(&self) -> Result<Problem, InputError> {
        match self.format {
            Some(f) => formats::read(&self.path(), Some(f)),
            None => crate::model::load_instance(&self.file),
        }
    }
}

/// An instance ready to run: the problem, its family and subset, its best-known values.
#[derive(Debug, Clone)]
pub struct Instance {
    pub entry: Entry,
    pub problem: Problem,
    /// The problem's name (`ta01`, `wt40_017`, `la01_edata`): the key of `bks.csv`.
    pub name: String,
    pub family: String,
    pub subset: String,
    pub bks: Option<Bks>,
}

/// The benchmarks root: `$TAKT_BENCHMARKS`, else the vendored copy `<crate root>/instances/shared/benchmarks`
/// (identical to `../shared/benchmarks`; see its README).
pub fn benchmarks_root() -> PathBuf {
    match std::env::var_os("TAKT_BENCHMARKS") {
        Some(v) if !v.is_empty() => PathBuf::from(v),
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join("instances/shared/benchmarks"),
    }
}

fn err(file: &str, message: impl Into<String>) -> InputError {
    InputError::invalid(file, vec![Diagnostic::at("", message)])
}

fn err_at(file: &str, line: usize, message: impl Into<String>) -> InputError {
    InputError::invalid(
        file,
        vec![Diagnostic {
            path: String::new(),
            location: Some((line, 1)),
            message: message.into(),
        }],
    )
}

/// The instances SET names, in run order (directories sorted by file name; list files in their
/// order), files holding several instances expanded to `file#1..#n`.
pub fn resolve(set: &str) -> Result<Vec<Entry>, InputError> {
    let p = Path::new(set);
    if p.is_dir() {
        return from_dir(p);
    }
    if let Ok(f) = set.parse::<Format>() {
        if !p.exists() {
            let dir = benchmarks_root().join(f.name());
            if !dir.is_dir() {
                return Err(err(
                    set,
                    format!(
                        "`{set}` names a benchmark family, but {} is not a directory \
                         (set TAKT_BENCHMARKS to the directory holding jssp/, fjsp/ and smwt/)",
                        dir.display()
                    ),
                ));
            }
            return from_dir(&dir);
        }
    }
    // A single instance file (`ft06.txt`, `mk01.fjs`, `wt40.txt#3`, `x.yaml`)?
    if let Some(v) = single_instance(set)? {
        return Ok(v);
    }
    if p.is_file() {
        return from_list(p);
    }
    Err(err(
        set,
        "no such directory, list file or instance (a SET is a directory, jssp, fjsp, smwt, \
         a list file, or an instance file)",
    ))
}

/// `Some` when `path` is an instance file rather than a list file (all its instances when it
/// holds several and no `#k` picks one).
fn single_instance(path: &str) -> Result<Option<Vec<Entry>>, InputError> {
    let (file, index) = match Path::new(path).exists() {
        true => (PathBuf::from(path), None),
        false => match path.rsplit_once('#') {
            Some((f, k)) if Path::new(f).is_file() => match k.trim().parse::<usize>() {
                Ok(k) if k >= 1 => (PathBuf::from(f), Some(k)),
                _ => return Err(err(f, format!("`#{k}`: pick an instance as `file#17`"))),
            },
            _ => return Ok(None),
        },
    };
    if !file.is_file() {
        return Ok(None);
    }
    if is_yaml(&file) {
        return Ok(Some(vec![Entry {
            file,
            index,
            format: None,
        }]));
    }
    let name = file.display().to_string();
    let Some(format) = formats::guess_format(&name) else {
        return Ok(None);
    };
    if index.is_none() && format != Format::Fjsp && !starts_with_number(&file) {
        return Ok(None); // a list file
    }
    match index {
        None => expand(file, format).map(Some),
        Some(_) => Ok(Some(vec![Entry {
            file,
            index,
            format: Some(format),
        }])),
    }
}

fn is_yaml(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

/// Whether the file's first token is a number (an instance), not a path (a list file).
fn starts_with_number(p: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(p) else {
        return false;
    };
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .and_then(|l| l.split_whitespace().next())
        .is_some_and(|t| t.parse::<f64>().is_ok())
}

fn from_dir(dir: &Path) -> Result<Vec<Entry>, InputError> {
    let dname = dir.display().to_string();
    let rd = std::fs::read_dir(dir).map_err(|source| InputError::Io {
        file: dname.clone(),
        source,
    })?;
    let mut files: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            !name.starts_with('.')
        })
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        if is_yaml(&f) {
            out.push(Entry {
                file: f,
                index: None,
                format: None,
            });
            continue;
        }
        let name = f.display().to_string();
        let format = match f.extension().and_then(|e| e.to_str()) {
            Some("txt") | Some("fjs") => formats::guess_format(&name),
            _ => None,
        };
        let Some(format) = format else { continue };
        if format != Format::Fjsp && !starts_with_number(&f) {
            continue; // a list or a note, not an instance
        }
        out.extend(expand(f, format)?);
    }
    if out.is_empty() {
        return Err(err(
            &dname,
            "no instance files here (.txt job shop, .fjs, wtNN.txt, .yaml)",
        ));
    }
    Ok(out)
}

/// One entry per instance of the file.
fn expand(file: PathBuf, format: Format) -> Result<Vec<Entry>, InputError> {
    let n = formats::count_instances(&file.display().to_string(), Some(format))?;
    Ok(if n == 1 {
        vec![Entry {
            file,
            index: None,
            format: Some(format),
        }]
    } else {
        (1..=n)
            .map(|k| Entry {
                file: file.clone(),
                index: Some(k),
                format: Some(format),
            })
            .collect()
    })
}

fn from_list(list: &Path) -> Result<Vec<Entry>, InputError> {
    let lname = list.display().to_string();
    let text = std::fs::read_to_string(list).map_err(|source| InputError::Io {
        file: lname.clone(),
        source,
    })?;
    let base = list.parent().unwrap_or(Path::new("."));
    let root = benchmarks_root();
    let locate = |p: &str| -> Option<PathBuf> {
        let p = Path::new(p);
        if p.is_absolute() {
            return p.is_file().then(|| p.to_path_buf());
        }
        [base.join(p), root.join(p)]
            .into_iter()
            .find(|c| c.is_file())
            .map(|c| std::fs::canonicalize(&c).unwrap_or(c))
    };
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        let ln = i + 1;
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let tokens: Vec<&str> = line.split_whitespace().collect();
        let manifest_family = tokens
            .first()
            .and_then(|t| t.parse::<Format>().ok())
            .filter(|_| tokens.len() >= 2);
        let (path, index, format) = if let Some(f) = manifest_family {
            // run_suite.py manifest: FAMILY PATH [INDEX [FIRST]]
            let index = match tokens.get(2) {
                None => None,
                Some(t) => Some(t.parse::<usize>().ok().filter(|&k| k >= 1).ok_or_else(|| {
                    err_at(
                        &lname,
                        ln,
                        format!("`{t}` is not an instance number (1-based)"),
                    )
                })?),
            };
            if let Some(first) = tokens.get(3) {
                if *first != "1" {
                    return Err(err_at(
                        &lname,
                        ln,
                        format!(
                            "FIRST = {first}: only files numbered from 1 are supported (the \
                             instance name and its bks.csv row follow the position in the file)"
                        ),
                    ));
                }
            }
            if tokens.len() > 4 {
                return Err(err_at(
                    &lname,
                    ln,
                    "expected `FAMILY PATH [INDEX [FIRST]]` or a path",
                ));
            }
            (tokens[1].to_string(), index, Some(f))
        } else {
            // A path, possibly with `#k`.
            match locate(line) {
                Some(_) => (line.to_string(), None, None),
                None => match line.rsplit_once('#') {
                    Some((f, k)) if locate(f).is_some() => {
                        let k = k.trim().parse::<usize>().ok().filter(|&k| k >= 1);
                        let k = k.ok_or_else(|| {
                            err_at(&lname, ln, "pick an instance as `file#17` (1-based)")
                        })?;
                        (f.to_string(), Some(k), None)
                    }
                    _ => (line.to_string(), None, None),
                },
            }
        };
        let Some(file) = locate(&path) else {
            return Err(err_at(
                &lname,
                ln,
                format!(
                    "`{path}`: no such file (relative paths are taken relative to {} or to \
                     the benchmarks root {})",
                    base.display(),
                    root.display()
                ),
            ));
        };
        let format = if is_yaml(&file) {
            None
        } else {
            match format.or_else(|| formats::guess_format(&file.display().to_string())) {
                Some(f) => Some(f),
                None => {
                    return Err(err_at(
                        &lname,
                        ln,
                        format!(
                            "`{path}`: cannot tell the format (.txt job shop, .fjs, wtNN.txt, \
                             .yaml)"
                        ),
                    ))
                }
            }
        };
        match (format, index) {
            (Some(f), None) => out.extend(expand(file, f)?),
            (format, index) => out.push(Entry {
                file,
                index,
                format,
            }),
        }
    }
    if out.is_empty() {
        return Err(err(&lname, "the list names no instance"));
    }
    Ok(out)
}

/// The subset an instance belongs to, from its name: the Hurink set for `la01_edata`, `wt40` for
/// `wt40_017`, else the leading letters (`ta`, `la`, `mk`, `dpp`, `abz`, `orb`, `swv`, `yn`, `ft`).
pub fn subset_of(name: &str) -> String {
    for s in ["edata", "rdata", "vdata", "sdata"] {
        if name.ends_with(&format!("_{s}")) {
            return s.to_string();
        }
    }
    if let Some((head, tail)) = name.split_once('_') {
        if head.starts_with("wt") && tail.chars().all(|c| c.is_ascii_digit()) {
            return head.to_string();
        }
    }
    let letters: String = name
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect();
    if letters.is_empty() {
        name.to_string()
    } else {
        letters.to_ascii_lowercase()
    }
}

/// Loads every entry (all before any run: a bad file stops the bench before it spends time) and
/// finds each one's best-known values in the `bks.csv` beside its file.
pub fn load(entries: &[Entry]) -> Result<Vec<Instance>, InputError> {
    let mut bks_by_dir: HashMap<PathBuf, HashMap<String, Bks>> = HashMap::new();
    let mut out = Vec::with_capacity(entries.len());
    for e in entries {
        let problem = e.load()?;
        let dir = e
            .file
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        if !bks_by_dir.contains_key(&dir) {
            let f = dir.join("bks.csv");
            let map = if f.is_file() {
                formats::read_bks(&f)?
                    .into_iter()
                    .map(|b| (b.instance.clone(), b))
                    .collect()
            } else {
                HashMap::new()
            };
            bks_by_dir.insert(dir.clone(), map);
        }
        let name = problem.name.clone();
        let bks = bks_by_dir[&dir].get(&name).cloned();
        out.push(Instance {
            entry: e.clone(),
            family: e.family().to_string(),
            subset: subset_of(&name),
            name,
            bks,
            problem,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subsets() {
        assert_eq!(subset_of("ta01"), "ta");
        assert_eq!(subset_of("la01_edata"), "edata");
        assert_eq!(subset_of("car3_vdata"), "vdata");
        assert_eq!(subset_of("wt100_017"), "wt100");
        assert_eq!(subset_of("dpp01a"), "dpp");
        assert_eq!(subset_of("mk01"), "mk");
        assert_eq!(subset_of("abz5"), "abz");
        assert_eq!(subset_of("gen-j20-m6-p2-s1"), "gen");
    }
}
