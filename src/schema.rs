//! JSON Schemas of the input documents, generated from the Rust types they are parsed into
//! (schemars), so that the schema cannot drift from the parser: editors autocomplete and
//! check instances with it (`# yaml-language-server: $schema=...`). The shipped copies in
//! `schema/` are kept in step by a test that regenerates them.

use crate::model::raw::RawInstance;
use crate::model::InputError;
use crate::reschedule::events::RawEvents;
use crate::reschedule::scenarios::RawScenario;
use crate::schedule::write_atomic;
use schemars::JsonSchema;
use std::path::PathBuf;

/// Which document a schema describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SchemaKind {
    /// A takt instance (`schema/instance.schema.json`).
    Instance,
    /// A `takt reschedule` events file (`schema/events.schema.json`).
    Events,
    /// A `takt scenarios` scenario file (`schema/scenario.schema.json`).
    Scenario,
}

impl SchemaKind {
    pub const ALL: [SchemaKind; 3] = [
        SchemaKind::Instance,
        SchemaKind::Events,
        SchemaKind::Scenario,
    ];

    /// The shipped file's name, under `schema/`.
    pub fn file_name(self) -> &'static str {
        match self {
            SchemaKind::Instance => "instance.schema.json",
            SchemaKind::Events => "events.schema.json",
            SchemaKind::Scenario => "scenario.schema.json",
        }
    }
}

/// The schema as pretty-printed JSON text, ending in a newline.
pub fn schema_text(kind: SchemaKind) -> String {
    let value = match kind {
        SchemaKind::Instance => schema_of::<RawInstance>("takt instance"),
        SchemaKind::Events => schema_of::<RawEvents>("takt reschedule events"),
        SchemaKind::Scenario => schema_of::<RawScenario>("takt scenario"),
    };
    crate::model::write::json_text(&value)
}

fn schema_of<T: JsonSchema>(title: &str) -> serde_json::Value {
    let mut value = schemars::schema_for!(T).to_value();
    if let Some(obj) = value.as_object_mut() {
        obj.insert("title".into(), title.into());
    }
    value
}

/// Arguments of `takt schema`.
#[derive(clap::Args, Debug, Clone)]
pub struct SchemaArgs {
    /// Which document's schema.
    #[arg(value_enum, default_value = "instance")]
    pub kind: SchemaKind,
    /// Write it to this file (atomically) instead of stdout.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

/// `takt schema`: prints or writes the JSON Schema of an input document.
pub fn schema_command(args: &SchemaArgs) -> Result<bool, InputError> {
    let text = schema_text(args.kind);
    match &args.output {
        Some(o) => write_atomic(o, &text).map_err(|source| InputError::Io {
            file: o.display().to_string(),
            source,
        })?,
        None => print!("{text}"),
    }
    Ok(true)
}
