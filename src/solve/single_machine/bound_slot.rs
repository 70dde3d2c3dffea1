//! The lower bound of a one-machine search, computed on its own thread beside the search
//! threads: the time-indexed Lagrangian bound costs up to 0.3 s of CPU on wt100, which the
//! search no longer waits for before its first iteration.

use crate::model::Problem;
use crate::solve::bound::lower_bound;
use std::sync::{Condvar, Mutex};

/// The lower bound, computed on its own thread while the search runs: set once, read by the
/// meetings (or waited for, with an iteration limit).
pub(super) struct BoundSlot {
    value: Mutex<Option<f64>>,
    arrived: Condvar,
}

impl BoundSlot {
    pub fn new() -> BoundSlot {
        BoundSlot {
            value: Mutex::new(None),
            arrived: Condvar::new(),
        }
    }

    /// Computes the instance's lower bound into the slot (on the bound's own thread).
    pub fn compute(&self, problem: &Problem) {
        let _unblock = SetOnExit(self);
        self.set(lower_bound(problem).value);
    }

    /// The bound, if it has not been set yet; wakes whoever waits for it.
    fn set(&self, v: f64) {
        let mut value = self.value.lock().unwrap();
        if value.is_none() {
            *value = Some(v);
            self.arrived.notify_all();
        }
    }

    pub fn get(&self) -> Option<f64> {
        *self.value.lock().unwrap()
    }

    /// Blocks until the bound is set.
    pub fn wait(&self) -> f64 {
        let mut value = self.value.lock().unwrap();
        loop {
            if let Some(v) = *value {
                return v;
            }
            value = self.arrived.wait(value).unwrap();
        }
    }
}

/// Sets a bound of −∞ (none) when the bound's thread ends without having set one (it
/// panicked), so that a meeting waiting for it is not blocked forever; the panic itself reaches
/// the caller when the thread scope ends.
struct SetOnExit<'a>(&'a BoundSlot);

impl Drop for SetOnExit<'_> {
    fn drop(&mut self) {
        self.0.set(f64::NEG_INFINITY);
    }
}

#[cfg(test)]
mod tests {
    use super::{BoundSlot, SetOnExit};

    #[test]
    fn the_first_bound_set_stays() {
        let slot = BoundSlot::new();
        assert_eq!(slot.get(), None);
        slot.set(7.0);
        slot.set(9.0);
        assert_eq!(slot.get(), Some(7.0));
        assert_eq!(slot.wait(), 7.0);
    }

    #[test]
    fn a_waiting_meeting_is_released_when_the_bound_thread_panics() {
        let slot = BoundSlot::new();
        std::thread::scope(|s| {
            let h = s.spawn(|| {
                let _unblock = SetOnExit(&slot);
                panic!("the bound failed");
            });
            assert_eq!(slot.wait(), f64::NEG_INFINITY);
            assert!(h.join().is_err());
        });
    }
}
