//! The one evaluator: turns an assignment + per-machine sequence into times (`decode`), and
//! times into the objective (`objective`) and KPIs (`kpi`). Solvers, the MIP's extracted
//! schedule and the reporter all go through here; only the referee (`check`) stands apart.

pub mod decode;
pub mod incremental;
pub mod kpi;
pub mod moves;
pub mod objective;
mod rejoin;
pub mod resume;

pub use decode::{place, Cause, Checkpoint, DecodeError, Decoder, Placement, Sequence};
pub use incremental::{Change, Incremental, Span};
pub use kpi::{compute_kpis, Kpis};
pub use moves::MoveEvaluator;
pub use objective::{evaluate_schedule, Evaluation, Terms};
pub use resume::Resumer;
