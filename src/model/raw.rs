//! The instance exactly as written in YAML. Unknown fields are errors (a typo must not be
//! ignored); every cross-reference is still a string here and is resolved by `validate`.

use super::time::{RawClock, RawDate, RawDateTime, RawDuration, RawInstant};
use schemars::JsonSchema;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// A takt instance: plants, machines and their calendars, jobs with their routings, and the
/// objective. Schema: `takt schema`; every rule beyond types is checked by validation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Instance")]
pub struct RawInstance {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub horizon: RawHorizon,
    /// Term name -> weight; names are checked in validation so that all bad terms are reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "objective_schema")]
    pub objective: Option<BTreeMap<String, f64>>,
    pub plants: Vec<RawPlant>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transfers: Vec<RawTransfer>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub calendars: Vec<RawCalendar>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub families: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changeovers: Vec<RawChangeoverMatrix>,
    pub machines: Vec<RawMachine>,
    pub jobs: Vec<RawJob>,
    /// Secondary renewable resources: operator crews, setters, tools, molds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<RawResource>,
    /// Materials: stock, receipts, consumed by operations, produced by jobs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<RawItem>,
    /// What happens to an operation a breakdown interrupts when a plan is repaired
    /// (`takt reschedule`): it resumes after the repair (default) or restarts from scratch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interrupted_operations: Option<RawInterruption>,
}

/// See [`RawInstance::interrupted_operations`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[schemars(rename = "Interruption")]
pub enum RawInterruption {
    Resume,
    Restart,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Horizon")]
pub struct RawHorizon {
    pub start: RawDateTime,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<RawInstant>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Plant")]
pub struct RawPlant {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Transfer")]
pub struct RawTransfer {
    pub from: String,
    pub to: String,
    pub time: RawDuration,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Calendar")]
pub struct RawCalendar {
    pub id: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub weekly: Vec<RawShift>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holidays: Vec<RawDateRange>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overtime: Vec<RawInterval>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Shift")]
pub struct RawShift {
    pub days: Vec<String>,
    pub from: RawClock,
    pub to: RawClock,
}

/// Inclusive range of whole days.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "DateRange")]
pub struct RawDateRange {
    pub from: RawDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<RawDate>,
}

/// Half-open interval [from, to).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Interval")]
pub struct RawInterval {
    pub from: RawInstant,
    pub to: RawInstant,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "ChangeoverMatrix")]
pub struct RawChangeoverMatrix {
    pub id: String,
    /// from family -> to family -> minutes
    pub matrix: BTreeMap<String, BTreeMap<String, RawDuration>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Machine")]
pub struct RawMachine {
    pub id: String,
    pub plant: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changeovers: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_family: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub downtime: Vec<RawInterval>,
    /// Resources every changeover on this machine needs, for its whole duration.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changeover_require: Vec<RawRequirement>,
}

/// A renewable resource whose capacity may vary over time: `capacity` all the time, 0 outside
/// `calendar`'s working time when one is given, the capacity of a weekly `shifts` entry during
/// that shift, and a dated `exceptions` entry over everything (the last listed wins).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Resource")]
pub struct RawResource {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shifts: Vec<RawCapacityShift>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exceptions: Vec<RawCapacityException>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "CapacityShift")]
pub struct RawCapacityShift {
    pub days: Vec<String>,
    pub from: RawClock,
    pub to: RawClock,
    pub capacity: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "CapacityException")]
pub struct RawCapacityException {
    pub from: RawInstant,
    pub to: RawInstant,
    pub capacity: i64,
}

/// `{resource: crew-a, units: 1}` or `{one_of: [crew-a, crew-b], units: 1}` (units default 1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Requirement")]
pub struct RawRequirement {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub one_of: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub units: Option<i64>,
}

/// A material: initial stock, dated receipts (purchase orders) and an optional safety stock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Item")]
pub struct RawItem {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stock: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub safety_stock: Option<f64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub receipts: Vec<RawReceipt>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Receipt")]
pub struct RawReceipt {
    pub at: RawInstant,
    pub qty: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Job")]
pub struct RawJob {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release: Option<RawInstant>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<RawInstant>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<RawInstant>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    /// Order quantity the operation durations are for (informative; a rescheduling event that
    /// changes it scales the durations).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<f64>,
    /// Items the job adds to stock when it completes (item -> quantity).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub produce: BTreeMap<String, f64>,
    pub operations: Vec<RawOperation>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Operation")]
pub struct RawOperation {
    pub id: String,
    pub machines: RawEligible,
    /// Duration on every listed machine when `machines` is a list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<RawDuration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub atomic: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pinned: Option<RawPin>,
    /// The operation may not start before this instant (material due, quality hold).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_before: Option<RawInstant>,
    /// Secondary resources held during the operation's working minutes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub require: Vec<RawRequirement>,
    /// Items taken from stock when the operation starts (item -> quantity).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub consume: BTreeMap<String, f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Pin")]
pub struct RawPin {
    pub machine: String,
    pub start: RawInstant,
}

/// Eligible machines: `{A: 2h, B: 2h30m}` (duration per machine) or `[A, B]` (with `duration`).
#[derive(Debug, Clone, PartialEq)]
pub enum RawEligible {
    WithDurations(Vec<(String, RawDuration)>),
    List(Vec<String>),
}

/// The objective's terms (the names validation accepts) and their weights.
fn objective_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let terms = crate::model::ObjectiveWeights::TERMS;
    schemars::json_schema!({
        "description": "Weighted sum of terms: term -> weight (a number >= 0).",
        "type": "object",
        "propertyNames": {"enum": terms},
        "additionalProperties": {"type": "number"}
    })
}

impl JsonSchema for RawEligible {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Eligible".into()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let duration = g.subschema_for::<RawDuration>();
        schemars::json_schema!({
            "description": "Eligible machines: {A: 2h, B: 2h30m} (duration per machine), or [A, B] or A (with `duration`).",
            "oneOf": [
                {"type": "object", "additionalProperties": duration, "minProperties": 1},
                {"type": "array", "items": {"type": "string"}},
                {"type": "string"}
            ]
        })
    }
}

impl Serialize for RawEligible {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            RawEligible::WithDurations(modes) => {
                let mut map = s.serialize_map(Some(modes.len()))?;
                for (machine, duration) in modes {
                    map.serialize_entry(machine, duration)?;
                }
                map.end()
            }
            RawEligible::List(machines) => machines.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for RawEligible {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawEligible;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map of machine to duration ({A: 2h}) or a list of machines ([A, B])")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<RawEligible, M::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, RawDuration>()? {
                    out.push((k, v));
                }
                Ok(RawEligible::WithDurations(out))
            }
            fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<RawEligible, S::Error> {
                let mut out = Vec::new();
                while let Some(m) = seq.next_element::<String>()? {
                    out.push(m);
                }
                Ok(RawEligible::List(out))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawEligible, E> {
                Ok(RawEligible::List(vec![v.to_string()]))
            }
        }
        d.deserialize_any(V)
    }
}
