//! Rule family "routing": an operation may start at its job's release (or its own
//! `not_before`), and after its routing predecessor's end plus the transfer time between the
//! two machines' plants (calendar minutes: transport does not need working time).
//!
//! The rule needs no state of its own: the predecessor's end and machine are the placement the
//! engine committed for it. Forward re-timing follows the routing arc `o → o+1`.

use crate::model::{MachineId, Minute, OpId, Problem};

/// Where the routing predecessor of an operation went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PredPlaced {
    pub op: OpId,
    pub machine: MachineId,
    pub end: Minute,
}

/// The earliest start the job allows operation `o` on machine `m`, and what set it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ready {
    pub at: Minute,
    /// `Some` when the predecessor plus transfer is later than the release (strictly).
    pub by_pred: Option<(OpId, Minute)>,
}

/// The job's side of operation `o` on `m`: its release, or its predecessor's end plus the
/// transfer when later. With `pred = None` the operation is the first of its routing (or its
/// predecessor is not in the schedule, for explain's partial schedules).
#[inline(always)]
pub fn ready(problem: &Problem, o: OpId, m: MachineId, pred: Option<PredPlaced>) -> Ready {
    let release = problem.op_release(o);
    if let Some(p) = pred {
        let transfer = problem.transfer_time(p.machine, m);
        let after_pred = p.end + transfer;
        if after_pred > release {
            return Ready {
                at: after_pred,
                by_pred: Some((p.op, transfer)),
            };
        }
    }
    Ready {
        at: release,
        by_pred: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::parse_instance;

    const TWO_PLANTS: &str = r#"
name: t
horizon: {start: 2026-11-23T00:00}
plants: [{id: A}, {id: B}]
transfers:
  - {from: A, to: B, time: 30}
machines:
  - {id: a, plant: A}
  - {id: b, plant: B}
jobs:
  - id: J
    release: 20
    operations:
      - {id: o1, machines: {a: 10}}
      - {id: o2, machines: {b: 10, a: 10}}
"#;

    #[test]
    fn release_or_predecessor_plus_transfer() {
        let p = parse_instance(TWO_PLANTS, "t").unwrap();
        let (a, b) = (MachineId(0), MachineId(1));
        assert_eq!(
            ready(&p, OpId(0), a, None),
            Ready {
                at: 20,
                by_pred: None
            }
        );
        let pred = PredPlaced {
            op: OpId(0),
            machine: a,
            end: 30,
        };
        // Across plants: 30 + 30.
        assert_eq!(
            ready(&p, OpId(1), b, Some(pred)),
            Ready {
                at: 60,
                by_pred: Some((OpId(0), 30))
            }
        );
        // Same plant: no transfer.
        assert_eq!(ready(&p, OpId(1), a, Some(pred)).at, 30);
        // A predecessor ending before the release does not bind.
        let early = PredPlaced { end: 5, ..pred };
        assert_eq!(
            ready(&p, OpId(1), a, Some(early)),
            Ready {
                at: 20,
                by_pred: None
            }
        );
    }
}
