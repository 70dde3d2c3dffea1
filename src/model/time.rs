//! Time in takt: integer minutes from `horizon.start`, in one naive local time (no zones, no DST).
//!
//! Instants are written in YAML as an ISO-8601 datetime (`2026-11-23T06:00`, or a date meaning
//! 00:00) or as integer minutes; durations as integer minutes or a friendly span (`90m`, `1h30m`,
//! `2d`). Parsing is jiff's; this module only pins down the rules (whole minutes, days of 24 h).

use jiff::civil::{Date, DateTime};
use jiff::{SignedDuration, Span, SpanRelativeTo, Unit};
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use std::borrow::Cow;
use std::fmt;

/// Minutes from the horizon start. Signed so that differences and "before the horizon" are plain.
pub type Minute = i64;

/// An instant as written: resolved against the horizon start during validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawInstant {
    Minutes(i64),
    DateTime(DateTime),
}

impl RawInstant {
    /// Minutes from `origin`; datetimes with seconds are rejected by the parser already.
    pub fn resolve(self, origin: DateTime) -> Minute {
        match self {
            RawInstant::Minutes(m) => m,
            RawInstant::DateTime(dt) => minutes_between(origin, dt),
        }
    }
}

/// Whole minutes from `a` to `b` (negative when `b` is earlier).
pub fn minutes_between(a: DateTime, b: DateTime) -> Minute {
    b.duration_since(a).as_secs() / 60
}

/// The datetime `m` minutes after `origin`, saturating at jiff's range (never panics).
pub fn datetime_at(origin: DateTime, m: Minute) -> DateTime {
    origin
        .checked_add(SignedDuration::from_mins(m))
        .unwrap_or(if m < 0 { DateTime::MIN } else { DateTime::MAX })
}

/// `2026-11-23T06:00`: the form takt writes (seconds are always zero).
pub fn format_datetime(dt: DateTime) -> String {
    dt.strftime("%Y-%m-%dT%H:%M").to_string()
}

/// Parses an ISO datetime or date; rejects seconds, which takt cannot represent.
pub fn parse_datetime(s: &str) -> Result<DateTime, String> {
    let dt: DateTime = s
        .trim()
        .parse()
        .map_err(|e| format!("`{s}` is not an ISO-8601 datetime or date: {e}"))?;
    if dt.second() != 0 || dt.subsec_nanosecond() != 0 {
        return Err(format!("`{s}` has seconds; takt works in whole minutes"));
    }
    Ok(dt)
}

/// Parses a calendar date (`2026-11-26`).
pub fn parse_date(s: &str) -> Result<Date, String> {
    s.trim()
        .parse::<Date>()
        .map_err(|e| format!("`{s}` is not an ISO-8601 date: {e}"))
}

/// Parses a duration such as `90m`, `1h30m`, `2d` (a day is 24 h) into whole minutes.
pub fn parse_duration(s: &str) -> Result<i64, String> {
    let span: Span = s
        .trim()
        .parse()
        .map_err(|e| format!("`{s}` is not a duration like 90m, 1h30m or 2d: {e}"))?;
    let secs = span
        .total((Unit::Second, SpanRelativeTo::days_are_24_hours()))
        .map_err(|e| format!("`{s}`: {e}"))?;
    if secs.fract() != 0.0 || (secs as i64) % 60 != 0 {
        return Err(format!("`{s}` is not a whole number of minutes"));
    }
    Ok(secs as i64 / 60)
}

/// Parses a clock time "HH:MM" (00:00 to 24:00) into minutes after midnight.
pub fn parse_clock(s: &str) -> Result<i64, String> {
    let bad = || format!("`{s}` is not a clock time HH:MM between 00:00 and 24:00");
    let (h, m) = s.trim().split_once(':').ok_or_else(bad)?;
    if h.len() != 2 || m.len() != 2 {
        return Err(bad());
    }
    let h: i64 = h.parse().map_err(|_| bad())?;
    let m: i64 = m.parse().map_err(|_| bad())?;
    if !(0..=24).contains(&h) || !(0..60).contains(&m) || (h == 24 && m != 0) {
        return Err(bad());
    }
    Ok(h * 60 + m)
}

/// A duration as written: whole minutes, possibly negative (validation reports that with its path).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawDuration(pub i64);

impl<'de> Deserialize<'de> for RawDuration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = RawDuration;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a duration: integer minutes or a span like 90m, 1h30m, 2d")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawDuration, E> {
                Ok(RawDuration(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawDuration, E> {
                i64::try_from(v)
                    .map(RawDuration)
                    .map_err(|_| E::custom("duration too large"))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawDuration, E> {
                Err(E::custom(format!("{v} is not a whole number of minutes")))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawDuration, E> {
                parse_duration(v).map(RawDuration).map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for RawInstant {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = RawInstant;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an instant: an ISO datetime like 2026-11-23T06:00 or integer minutes")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawInstant, E> {
                Ok(RawInstant::Minutes(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawInstant, E> {
                i64::try_from(v)
                    .map(RawInstant::Minutes)
                    .map_err(|_| E::custom("instant too large"))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawInstant, E> {
                parse_datetime(v)
                    .map(RawInstant::DateTime)
                    .map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

// Written back in the form the parser reads: instants as integer minutes or the ISO datetime as
// given, durations as integer minutes, dates and clock times as text.

impl Serialize for RawDuration {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(self.0)
    }
}

impl Serialize for RawInstant {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            RawInstant::Minutes(m) => s.serialize_i64(*m),
            RawInstant::DateTime(dt) => s.serialize_str(&format_datetime(*dt)),
        }
    }
}

impl Serialize for RawDateTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format_datetime(self.0))
    }
}

impl Serialize for RawDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.to_string())
    }
}

impl Serialize for RawClock {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format_clock(self.0))
    }
}

/// `HH:MM` for minutes after midnight (`24:00` for the end of the day).
pub fn format_clock(m: i64) -> String {
    format!("{:02}:{:02}", m.div_euclid(60), m.rem_euclid(60))
}

// JSON Schema of the written forms (for editors and `takt schema`). The patterns accept what
// the parsers accept in the common spellings; the parsers stay the judges (whole minutes,
// real dates), with messages that name the place.

/// An ISO-8601 date with an optional time of day in whole minutes (`:00` seconds allowed).
pub const DATETIME_PATTERN: &str = r"^\d{4}-\d{2}-\d{2}([Tt ]\d{2}(:\d{2}(:00(\.0+)?)?)?)?$";
/// A span: `90m`, `1h30m`, `2d`, `1h 30m`, or ISO-8601 `PT1H30M`.
pub const DURATION_PATTERN: &str =
    r"^\s*[-+]?\s*([Pp][0-9TtWwDdHhMmSsYy.,]+|([0-9]+(\.[0-9]+)?\s*[a-zA-Z]+[\s,]*)+)\s*$";

impl JsonSchema for RawDuration {
    fn schema_name() -> Cow<'static, str> {
        "Duration".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A duration: integer minutes, or a span like 90m, 1h30m, 2d (a day is 24 h).",
            "oneOf": [
                {"type": "integer"},
                {"type": "string", "pattern": DURATION_PATTERN}
            ]
        })
    }
}

impl JsonSchema for RawInstant {
    fn schema_name() -> Cow<'static, str> {
        "Instant".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "An instant: an ISO datetime like 2026-11-23T06:00 (a date means 00:00), or integer minutes from the horizon start.",
            "oneOf": [
                {"type": "integer"},
                {"type": "string", "pattern": DATETIME_PATTERN}
            ]
        })
    }
}

impl JsonSchema for RawDateTime {
    fn schema_name() -> Cow<'static, str> {
        "DateTime".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "An ISO datetime like 2026-11-23T06:00 (a date means 00:00).",
            "type": "string",
            "pattern": DATETIME_PATTERN
        })
    }
}

impl JsonSchema for RawDate {
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A calendar date like 2026-11-26.",
            "type": "string",
            "pattern": r"^\d{4}-\d{2}-\d{2}$"
        })
    }
}

impl JsonSchema for RawClock {
    fn schema_name() -> Cow<'static, str> {
        "Clock".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A clock time HH:MM from 00:00 to 24:00 (quote it in YAML).",
            "type": "string",
            "pattern": r"^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$"
        })
    }
}

/// A datetime that must be absolute (the horizon start).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawDateTime(pub DateTime);

impl<'de> Deserialize<'de> for RawDateTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        parse_datetime(&s)
            .map(RawDateTime)
            .map_err(de::Error::custom)
    }
}

/// A calendar date (holidays).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawDate(pub Date);

impl<'de> Deserialize<'de> for RawDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        parse_date(&s).map(RawDate).map_err(de::Error::custom)
    }
}

/// A clock time "HH:MM" in minutes after midnight (shift bounds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawClock(pub i64);

impl<'de> Deserialize<'de> for RawClock {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        parse_clock(&s).map(RawClock).map_err(de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_in_every_documented_form() {
        assert_eq!(parse_duration("90m"), Ok(90));
        assert_eq!(parse_duration("1h30m"), Ok(90));
        assert_eq!(parse_duration("2d"), Ok(2880));
        assert!(parse_duration("90s").is_err());
        assert!(parse_duration("soon").is_err());
    }

    #[test]
    fn datetimes_and_dates() {
        let o = parse_datetime("2026-11-23T06:00").unwrap();
        let d = parse_datetime("2026-11-24").unwrap();
        assert_eq!(minutes_between(o, d), 18 * 60);
        assert_eq!(format_datetime(datetime_at(o, 90)), "2026-11-23T07:30");
        assert!(parse_datetime("2026-11-23T06:00:30").is_err());
        assert!(parse_datetime("tomorrow").is_err());
    }

    #[test]
    fn clock_times() {
        assert_eq!(parse_clock("06:00"), Ok(360));
        assert_eq!(parse_clock("24:00"), Ok(1440));
        assert!(parse_clock("24:30").is_err());
        assert!(parse_clock("6:00").is_err());
    }
}
