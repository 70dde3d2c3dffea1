//! Typed edits of an instance (rescheduling events, scenarios). The patched instance is a
//! [`RawInstance`], so it goes through the same validation as a hand-written file and can be
//! written out and re-checked; a renamed schema field fails to compile here, not at run time.

use crate::model::raw::{
    RawCalendar, RawInstance, RawInterval, RawJob, RawMachine, RawOperation, RawPin,
};
use crate::model::time::{datetime_at, Minute, RawInstant};
use crate::model::{InputError, MachineId, Problem};

/// Minute `m` as the ISO datetime takt writes (readable in the patched file).
pub fn instant(problem: &Problem, m: Minute) -> RawInstant {
    RawInstant::DateTime(datetime_at(problem.horizon_start, m))
}

/// `{from: a, to: b}` as datetimes.
pub fn interval(problem: &Problem, a: Minute, b: Minute) -> RawInterval {
    RawInterval {
        from: instant(problem, a),
        to: instant(problem, b),
    }
}

/// `{machine: M, start: <datetime>}`.
pub fn pin(problem: &Problem, m: MachineId, start: Minute) -> RawPin {
    RawPin {
        machine: problem.machine(m).id.clone(),
        start: instant(problem, start),
    }
}

/// The job with id `id`.
pub fn job_mut<'a>(raw: &'a mut RawInstance, id: &str) -> Option<&'a mut RawJob> {
    raw.jobs.iter_mut().find(|j| j.id == id)
}

/// The operation of `job` with id `id`.
pub fn op_mut<'a>(job: &'a mut RawJob, id: &str) -> Option<&'a mut RawOperation> {
    job.operations.iter_mut().find(|o| o.id == id)
}

/// The machine with id `id`.
pub fn machine_mut<'a>(raw: &'a mut RawInstance, id: &str) -> Option<&'a mut RawMachine> {
    raw.machines.iter_mut().find(|m| m.id == id)
}

/// The calendar with id `id`.
pub fn calendar_mut<'a>(raw: &'a mut RawInstance, id: &str) -> Option<&'a mut RawCalendar> {
    raw.calendars.iter_mut().find(|c| c.id == id)
}

/// Reads an instance file as the typed raw instance (for patching) and as a validated problem.
pub fn load_raw(path: &std::path::Path) -> Result<(RawInstance, Problem), InputError> {
    crate::model::load::load_raw_instance(path)
}

/// The patched instance as YAML text, with a comment header.
pub fn to_text(header: &str, raw: &RawInstance) -> String {
    crate::model::write::yaml_text(raw, header)
}
