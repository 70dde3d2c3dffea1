//! Materials in the resource-blind construction, counted but not timed: an operation that
//! consumes an item is a candidate only while the stock, receipts and productions committed
//! so far cover what the committed operations took. Placing by machines and jobs alone
//! otherwise put consumers ahead of their producers (7 of the 8 rules at 10k operations with
//! materials left a sequence the decoder could not complete: "never gets enough
//! sub-assembly"); with the commit order as the decoder's priority, a counted cover means the
//! decoder always finds the stock, at the latest once the receipts and productions counted
//! have arrived.

use crate::model::secondary::STOCK_EPS;
use crate::model::{JobId, OpId, Problem};

pub(super) struct StockCount {
    /// Per item: initial stock plus every receipt, plus productions committed, minus
    /// consumption committed.
    balance: Vec<f64>,
    /// Per item: jobs whose next operation waits for more of it.
    waiting: Vec<Vec<u32>>,
    /// Whether candidates are held back at all (off once every remaining job waits: then the
    /// rest is placed by machines and jobs alone and the decoder says whether it holds).
    pub(super) gating: bool,
}

impl StockCount {
    /// `None` when no operation consumes anything.
    pub(super) fn new(problem: &Problem) -> Option<Self> {
        if problem.ops.iter().all(|o| o.consume.is_empty()) {
            return None;
        }
        Some(StockCount {
            balance: problem
                .items
                .iter()
                .map(|i| i.initial + i.receipts.iter().map(|r| r.1).sum::<f64>())
                .collect(),
            waiting: vec![Vec::new(); problem.items.len()],
            gating: true,
        })
    }

    /// Whether `o`'s consumption is covered now (always, once gating is off).
    pub(super) fn covers(&self, problem: &Problem, o: OpId) -> bool {
        !self.gating
            || problem
                .op(o)
                .consume
                .iter()
                .all(|&(i, q)| self.balance[i.idx()] + STOCK_EPS >= q)
    }

    /// Job `j`'s next operation `o` is not covered: it waits for the first item short.
    pub(super) fn wait(&mut self, problem: &Problem, j: usize, o: OpId) {
        if let Some(&(i, _)) = problem
            .op(o)
            .consume
            .iter()
            .find(|&&(i, q)| self.balance[i.idx()] + STOCK_EPS < q)
        {
            self.waiting[i.idx()].push(j as u32);
        }
    }

    /// `o` is committed: it takes its items.
    pub(super) fn take(&mut self, problem: &Problem, o: OpId) {
        for &(i, q) in &problem.op(o).consume {
            self.balance[i.idx()] -= q;
        }
    }

    /// Job `job` is complete: it adds its production; the jobs that waited for those items are
    /// returned (to be placed again).
    pub(super) fn produce(&mut self, problem: &Problem, job: JobId) -> Vec<u32> {
        let mut woken = Vec::new();
        for &(i, q) in &problem.job(job).produce {
            self.balance[i.idx()] += q;
            woken.append(&mut self.waiting[i.idx()]);
        }
        woken
    }
}
