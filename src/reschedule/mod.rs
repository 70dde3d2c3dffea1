//! Rescheduling and what-if scenarios (`takt reschedule`, `takt scenarios`).
//!
//! Both patch the instance at the YAML value level (`yaml`): the patched instance goes through
//! the same deserialisation and validation as a hand-written file, can be written out, and
//! `takt check` judges schedules against it. Nothing in `model` needed to change.

pub mod apply;
pub mod changes;
pub mod command;
pub mod events;
pub mod freeze;
pub mod scenarios;
pub mod yaml;

pub use command::{repair, reschedule_command, Repair, RescheduleOptions};
pub use scenarios::{scenarios_command, ScenarioOptions};
