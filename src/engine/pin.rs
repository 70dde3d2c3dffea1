//! Rule family "pins": a pinned operation runs on its pinned machine and starts exactly at its
//! pinned start. The engine treats the pin as a lower bound on the start (like a release) and
//! then checks that nothing pushed the operation later; the dispatcher also uses a pin as a
//! reservation (an operation goes before a pending pinned one only if it leaves room for the
//! changeover before it).

use super::machine::{latest_end_before, place, MachineSlot};
use super::Placement;
use crate::model::{MachineId, Minute, OpId, Operation, Pin, Problem};

/// Whether the pin (if any) allows operation `op` on machine `m`.
#[inline]
pub fn allows(op: &Operation, m: MachineId) -> bool {
    allows_pin(op.pinned, m)
}

/// [`allows`] for an operation with pin `pin` (the engine reads the pin only of operations
/// the compact table marks pinned).
#[inline]
pub fn allows_pin(pin: Option<Pin>, m: MachineId) -> bool {
    pin.is_none_or(|pin| pin.machine == m)
}

/// The job-side lower bound `ready` raised to the pinned start.
#[inline]
pub fn ready(op: &Operation, ready: Minute) -> Minute {
    ready_pin(op.pinned, ready)
}

/// [`ready`] for an operation with pin `pin`.
#[inline]
pub fn ready_pin(pin: Option<Pin>, ready: Minute) -> Minute {
    match pin {
        Some(pin) => ready.max(pin.start),
        None => ready,
    }
}

/// `Err(pinned start)` when the operation is pinned elsewhere than `start`.
#[inline]
pub fn check(op: &Operation, start: Minute) -> Result<(), Minute> {
    check_pin(op.pinned, start)
}

/// [`check`] for an operation with pin `pin`.
#[inline]
pub fn check_pin(pin: Option<Pin>, start: Minute) -> Result<(), Minute> {
    match pin {
        Some(pin) if pin.start != start => Err(pin.start),
        _ => Ok(()),
    }
}

/// Whether an operation of `o`'s family ending at `end` on `m` still leaves the changeover
/// before pinned operation `p` on the same machine.
pub fn fits_before(problem: &Problem, m: MachineId, o: OpId, end: Minute, p: OpId) -> bool {
    let pop = problem.op(p);
    let pin = pop.pinned.expect("a pinned operation");
    let c = problem.changeover(m, problem.op(o).family, pop.family);
    end <= latest_end_before(&problem.machine(m).availability, pin.start, c)
}

/// Pinned operation `p` placed on its machine (in state `slot`) from its pinned start, with its
/// changeover minutes. The start is the pin unless the machine or calendar forbid it (the
/// decoder reports that as a missed pin).
pub fn place_pinned(problem: &Problem, slot: &MachineSlot, p: OpId) -> (Placement, Minute) {
    let op = problem.op(p);
    let pin = op.pinned.expect("a pinned operation");
    let m = pin.machine;
    let setup = slot.setup(problem, m, op.family);
    let d = op.duration_on(m).unwrap_or(0);
    let pl = place(
        &problem.machine(m).availability,
        slot.free,
        pin.start,
        setup,
        d,
        op.atomic,
    );
    (pl, setup)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::parse_instance;

    const PINNED: &str = r#"
name: t
horizon: {start: 2026-11-23T00:00}
plants: [{id: P}]
families: [x, y]
changeovers:
  - id: c
    matrix: {x: {y: 15}, y: {x: 15}}
machines:
  - {id: a, plant: P, changeovers: c}
  - {id: b, plant: P}
jobs:
  - id: J
    family: y
    operations:
      - {id: o1, machines: {a: 10}, pinned: {machine: a, start: 100}}
  - id: K
    family: x
    operations:
      - {id: k1, machines: {a: 10, b: 10}}
"#;

    #[test]
    fn pin_bounds_and_checks_the_start() {
        let p = parse_instance(PINNED, "t").unwrap();
        let o = p.op(OpId(0));
        assert!(allows(o, MachineId(0)) && !allows(o, MachineId(1)));
        assert!(allows(p.op(OpId(1)), MachineId(1)));
        assert_eq!(ready(o, 40), 100);
        assert_eq!(ready(o, 140), 140);
        assert_eq!(check(o, 100), Ok(()));
        assert_eq!(check(o, 101), Err(100));
    }

    #[test]
    fn reservation_leaves_room_for_the_changeover() {
        let p = parse_instance(PINNED, "t").unwrap();
        let m = MachineId(0);
        // Family x before y: 15 minutes of changeover before 100.
        assert!(fits_before(&p, m, OpId(1), 85, OpId(0)));
        assert!(!fits_before(&p, m, OpId(1), 86, OpId(0)));
        let slot = MachineSlot::after(&p, OpId(1), 60);
        let (pl, setup) = place_pinned(&p, &slot, OpId(0));
        assert_eq!(
            (setup, pl.setup_start, pl.start, pl.end),
            (15, 85, 100, 110)
        );
    }
}
