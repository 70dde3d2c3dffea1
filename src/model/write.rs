//! Writing an input document (instance, events, scenario) back as text from its typed form
//! (`model::raw` and friends): the one place that knows how YAML and JSON are produced, the
//! mirror of `load`.

use serde::Serialize;

/// `doc` as YAML, each line of `header` as a leading `# ` comment.
pub fn yaml_text<T: Serialize>(doc: &T, header: &str) -> String {
    let mut out = String::new();
    for line in header.lines() {
        out.push_str("# ");
        out.push_str(line);
        out.push('\n');
    }
    // The documents have string keys only, so serialisation cannot fail.
    out.push_str(&serde_yaml::to_string(doc).expect("input documents serialise to YAML"));
    out
}

/// `doc` as pretty-printed JSON (JSON has no comments: no header), ending in a newline.
pub fn json_text<T: Serialize>(doc: &T) -> String {
    let mut out = serde_json::to_string_pretty(doc).expect("input documents serialise to JSON");
    out.push('\n');
    out
}
