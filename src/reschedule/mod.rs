//! Rescheduling and what-if scenarios (`takt reschedule`, `takt scenarios`).
//!
//! Both patch the instance as written, typed (`model::raw`, edited through `edit`): the patched
//! instance goes through the same validation as a hand-written file, can be written out, and
//! `takt check` judges schedules against it.

pub mod apply;
pub mod changes;
pub mod command;
pub mod edit;
pub mod events;
pub mod freeze;
pub mod scenarios;

pub use command::{repair, reschedule_command, Repair, RescheduleOptions};
pub use scenarios::{scenarios_command, ScenarioOptions};
