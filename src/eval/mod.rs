//! The one evaluator: turns an assignment + per-machine sequence into times (`decode`), and
//! times into the objective (`objective`) and KPIs (`kpi`). Solvers, the MIP's extracted
//! schedule and the reporter all go through here; only the referee (`check`) stands apart.

pub mod decode;
pub mod incremental;
pub mod kpi;
pub mod objective;

pub use decode::{place, Cause, DecodeError, Decoder, Placement, Sequence};
pub use incremental::{Change, Incremental, Span};
pub use kpi::{compute_kpis, Kpis};
pub use objective::{evaluate_schedule, Evaluation, Terms};
