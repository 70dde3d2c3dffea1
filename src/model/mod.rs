//! The instance model: YAML as written (`raw`), validated into dense, indexed data (`problem`).

pub mod calendar;
pub mod compact;
pub mod error;
pub mod load;
pub mod problem;
pub mod raw;
pub mod secondary;
pub mod time;
pub mod validate;
pub mod write;

pub use calendar::Availability;
pub use error::{Diagnostic, InputError};
pub use load::{load_instance, parse_instance};
pub use problem::*;
pub use time::Minute;
