//! Values that several commands take from the command line, parsed once here: the wall-clock
//! limit of a solver (`--time-limit`), a span of plant time in minutes (`--freeze`), and the
//! Ctrl-C flag that stops a search with its best schedule so far.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// A wall-clock limit: `30s`, `2m`, `500ms`, `1h`, or plain (possibly fractional) seconds.
pub fn parse_time_limit(s: &str) -> Result<Duration, String> {
    if let Ok(secs) = s.parse::<f64>() {
        if secs.is_finite() && secs >= 0.0 {
            return Ok(Duration::from_secs_f64(secs));
        }
    }
    let span: jiff::Span = s
        .parse()
        .map_err(|e| format!("`{s}` is not a duration like 30s or 2m: {e}"))?;
    let d = jiff::SignedDuration::try_from(span).map_err(|e| format!("`{s}`: {e}"))?;
    Duration::try_from(d).map_err(|e| format!("`{s}`: {e}"))
}

/// A span in whole minutes: `8h`, `90m`, `1d`, or plain minutes (the instance's unit).
pub fn parse_minutes(s: &str) -> Result<i64, String> {
    if let Ok(m) = s.trim().parse::<i64>() {
        return Ok(m);
    }
    crate::model::time::parse_duration(s)
}

/// A flag that Ctrl-C sets: a search given it stops and returns its best schedule so far.
/// Without a terminal (or when a handler is already installed) the flag is simply never set.
pub fn ctrl_c_flag() -> Arc<AtomicBool> {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    // Failing to install the handler (one is installed already) only loses the graceful stop:
    // the search then runs to its limit, so it is not an error.
    ctrlc::set_handler(move || flag.store(true, Ordering::Relaxed)).unwrap_or(());
    stop
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_limits_and_minutes() {
        assert_eq!(parse_time_limit("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_time_limit("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_time_limit("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_time_limit("1.5"), Ok(Duration::from_millis(1500)));
        assert!(parse_time_limit("soon").is_err());
        assert!(parse_time_limit("-3s").is_err());
        assert_eq!(parse_minutes("90"), Ok(90));
        assert_eq!(parse_minutes("8h"), Ok(480));
        assert!(parse_minutes("tomorrow").is_err());
    }
}
