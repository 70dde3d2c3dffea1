//! Why a job finishes when it does: for each scheduled operation, what set its start (the job's
//! release, its routing predecessor plus transfer, the machine busy with another operation, a
//! changeover, the machine's calendar, or a pin), and the chain of those causes walking back from
//! a job's last operation. The rules are the placement engine's (src/engine): the job side from
//! its routing and pin rules, the earliest start under each machine constraint from
//! [`crate::engine::place`], and the wait for resources and materials from [`crate::engine::settle`],
//! the same fixed point every solver places with; [`Step::cause`] is the engine's binding cause.
//!
//! Secondary resources and materials come on top, read from the timed schedule (not the
//! decoder): after the machine and the job, an operation may still wait for units of a resource
//! (every unit busy with other operations, or no capacity in that shift) or for an item's stock
//! (a receipt or a job's production). Its start was set by one of those when it equals the first
//! instant at which, given every other operation of the schedule, the resource has the units free
//! over the operation's whole working span and the stock covers its consumption without going
//! negative later, and that instant is later than what its machine and job alone allowed.
//!
//! The chain also splits the time from minute 0 to the job's completion into pieces (own work,
//! other jobs' work on a machine, changeovers, closed time, waits for a resource or a material,
//! idle time, transfers, release), which add up to the completion exactly for a valid schedule. Summed over late jobs, per machine, they
//! say which machine late jobs waited for most ([`lateness_by_machine`]).

mod analyse;
mod describe;
mod lateness;
mod pieces;
mod secondary;
mod text;

pub use analyse::{analyse, chain, Analysis, Bound, ReadyBy, Secondary, Step};
pub use describe::{describe_step, secondary_text};
pub use lateness::{lateness_by_machine, lateness_parts, render_lateness, MachineLateness};
pub use pieces::{pieces, Piece};
pub use text::explain_job;
