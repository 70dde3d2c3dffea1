//! Files the tests read from the repository: the shipped examples, the vendored benchmark sets.

use std::path::{Path, PathBuf};

/// The repository root (where Cargo.toml is).
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The `.yaml` files directly in `dir` (relative to the repository root), sorted by name.
pub fn yaml_files(dir: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    v.sort();
    v
}

/// The shipped example instances (instances/examples/*.yaml), sorted.
pub fn examples() -> Vec<PathBuf> {
    yaml_files("instances/examples")
}

/// A file of the vendored benchmark sets (instances/shared/benchmarks), as the path string the
/// format readers take (a `#k` suffix may be appended).
pub fn shared_benchmark(rel: &str) -> String {
    root()
        .join("instances/shared/benchmarks")
        .join(rel)
        .display()
        .to_string()
}
