//! takt: production scheduling with an exact MIP, a heuristic, an independent referee and KPIs.
//!
//! Data flow: `model` (parse, validate) -> `solve` -> `schedule::Schedule` -> `eval` (objective,
//! KPIs) and `check` (the referee, independent of the decoder).

pub mod bench;
pub mod check;
pub mod cli;
pub mod convert;
pub mod engine;
pub mod eval;
pub mod formats;
pub mod generate;
pub mod model;
pub mod options;
pub mod report;
pub mod reschedule;
pub mod schedule;
pub mod schema;
pub mod solve;
