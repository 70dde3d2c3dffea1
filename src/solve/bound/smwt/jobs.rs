//! The jobs of a one-machine instance as the time-indexed bound sees them: processing times in
//! time units and the cost of each completion time.

use super::ssdp::Costs;
use crate::model::Minute;

/// Jobs on one machine whose `k`-th completion is at least `start + unit × (work of the first
/// k jobs)` minutes and each at least its own earliest completion `earliest`.
pub(super) struct Jobs {
    /// Processing times in units of `unit` minutes (every processing time is a multiple).
    pub len: Vec<usize>,
    pub unit: Minute,
    pub start: Minute,
    pub earliest: Vec<Minute>,
    /// Due date (`Minute::MAX` for none), and the cost per minute late, per late job, per minute
    /// of flow time from `release`.
    pub due: Vec<Minute>,
    pub tardy: Vec<f64>,
    pub late: Vec<f64>,
    pub flow: Vec<f64>,
    pub release: Vec<Minute>,
}

impl Jobs {
    /// The cost of job `j` completing at minute `c`.
    #[inline]
    pub fn cost_at(&self, j: usize, c: Minute) -> f64 {
        let c = c.max(self.earliest[j]);
        let over = c - self.due[j];
        let mut v = self.flow[j] * (c - self.release[j]) as f64;
        if over > 0 {
            v += self.tardy[j] * over as f64 + self.late[j];
        }
        v
    }

    /// Total work in time units.
    pub fn horizon(&self) -> usize {
        self.len.iter().sum()
    }

    /// The cost of the sequence `order` (every job once), each job at its earliest.
    pub fn sequence_cost(&self, order: &[usize]) -> f64 {
        let mut t = 0;
        order
            .iter()
            .map(|&j| {
                t += self.len[j];
                self.cost(j, t)
            })
            .sum()
    }
}

impl Costs for Jobs {
    fn lens(&self) -> &[usize] {
        &self.len
    }

    #[inline]
    fn cost(&self, j: usize, t: usize) -> f64 {
        self.cost_at(j, self.start + self.unit * t as Minute)
    }
}

/// The costs of [`Jobs`] tabulated by time then job: the dynamic program reads them in order
/// many times over, and a read is cheaper than the cost's arithmetic.
pub(super) struct Table {
    len: Vec<usize>,
    cost: Vec<f64>,
}

/// Tables at most this long (8 bytes each).
pub(super) const TABLE_LIMIT: usize = 2_000_000;

impl Table {
    pub fn new(jobs: &Jobs) -> Table {
        let n = jobs.jobs();
        let horizon = jobs.horizon();
        let mut cost = Vec::with_capacity((horizon + 1) * n);
        for t in 0..=horizon {
            cost.extend((0..n).map(|j| jobs.cost(j, t)));
        }
        Table {
            len: jobs.len.clone(),
            cost,
        }
    }
}

impl Costs for Table {
    fn lens(&self) -> &[usize] {
        &self.len
    }

    #[inline]
    fn cost(&self, j: usize, t: usize) -> f64 {
        self.cost[t * self.len.len() + j]
    }
}
