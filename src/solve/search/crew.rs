//! Lane threads that evaluate one walk's candidate moves with it.
//!
//! Why: at plant scale a walk runs a few dozen iterations a second. Two walks that share their
//! best at epoch meetings improve less in a minute than one walk twice as long (the 1,500-job
//! instance of scripts/scale_bench.sh: two walks for 60 s on 2 threads −34 % against the best
//! dispatching rule; one walk of the same CPU −46 %). So from [`LANE_MIN_OPS`] operations the
//! threads make one walk faster instead: each step's candidate moves are shared out between
//! the walk's own thread and its lanes.
//!
//! Each lane keeps its own decoder and move evaluator holding the walk's current sequence.
//! Before a batch it replays the moves the walk kept since the previous batch (apply and keep,
//! what the walk did), or decodes the sequence in full when the walk jumped (a perturbation, a
//! restart, an adopted schedule) or the replay does not end where the walk stands; then it takes
//! candidates from a shared counter until none is left. A move's key depends only on the sequence
//! and the move (both move evaluators equal a full decode, tested), so the walk chooses exactly
//! what one thread alone would: with an iteration limit and a seed, the same schedule with any
//! number of lanes.

use super::{key, Key};
use crate::eval::{Decoder, MoveEvaluator, Sequence};
use crate::model::Problem;
use crate::solve::neighbourhood::Move;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::Arc;
use std::thread::Scope;
use std::time::Instant;

/// Instances from this many operations search with one walk on all threads (lanes) instead of
/// one walk per thread (the plain makespan path aside, whose moves are mostly estimated).
pub const LANE_MIN_OPS: usize = 2000;

/// The key of `mv` applied to `cur`, or `None` when the result does not decode; `cur` and the
/// decoder hold `cur`'s schedule again afterwards. One function for the walk and its lanes, so
/// that both evaluate a move the same way.
pub(super) fn try_move(
    problem: &Problem,
    dec: &mut Decoder,
    eval: &mut MoveEvaluator,
    cur: &mut Sequence,
    mv: Move,
) -> Option<Key> {
    mv.apply(cur);
    let result = eval.apply(problem, dec, cur, &mv.change());
    mv.undo(cur);
    eval.undo(problem, dec, cur);
    result.ok().map(|e| key(&e))
}

/// Takes the moves' indices from `next` and pushes (index, key from `cur`) into `out`, until
/// no move is left or `deadline` passed (the moves not taken stay unevaluated).
#[allow(clippy::too_many_arguments)]
fn evaluate_share(
    problem: &Problem,
    dec: &mut Decoder,
    eval: &mut MoveEvaluator,
    cur: &mut Sequence,
    moves: &[Move],
    next: &AtomicUsize,
    deadline: Option<Instant>,
    out: &mut Vec<(usize, Option<Key>)>,
) {
    loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        if i >= moves.len() || deadline.is_some_and(|d| Instant::now() >= d) {
            return;
        }
        out.push((i, try_move(problem, dec, eval, cur, moves[i])));
    }
}

/// One batch of candidates for a lane, with what it needs to stand where the walk stands.
struct Batch {
    /// The walk's current sequence.
    seq: Arc<Sequence>,
    /// The moves the walk kept since the previous batch, when it only moved by kept moves.
    replay: Option<Arc<Vec<Move>>>,
    moves: Arc<Vec<Move>>,
    next: Arc<AtomicUsize>,
    deadline: Option<Instant>,
}

/// A lane's keys: (index in the batch, key).
type Reply = Vec<(usize, Option<Key>)>;

/// A lane thread's state: its own copy of the walk's sequence and its schedule.
struct Lane<'a> {
    problem: &'a Problem,
    dec: Decoder,
    eval: MoveEvaluator,
    cur: Sequence,
    /// The decoder holds `cur`'s schedule.
    synced: bool,
}

impl<'a> Lane<'a> {
    fn new(problem: &'a Problem) -> Self {
        Lane {
            problem,
            dec: Decoder::new(problem),
            eval: MoveEvaluator::new(problem),
            cur: Sequence {
                machine_of: Vec::new(),
                order: Vec::new(),
                priority: Vec::new(),
            },
            synced: false,
        }
    }

    /// Serves batches until the walk drops its crew.
    fn serve(mut self, batches: Receiver<Batch>, replies: Sender<Reply>) {
        while let Ok(b) = batches.recv() {
            self.catch_up(&b);
            let mut out = Vec::new();
            if self.synced {
                evaluate_share(
                    self.problem,
                    &mut self.dec,
                    &mut self.eval,
                    &mut self.cur,
                    &b.moves,
                    &b.next,
                    b.deadline,
                    &mut out,
                );
            }
            if replies.send(out).is_err() {
                return;
            }
        }
    }

    /// Moves to the walk's sequence: by replaying its kept moves when possible, else (or when
    /// the replay ends elsewhere) by a full decode.
    fn catch_up(&mut self, b: &Batch) {
        if let (true, Some(replay)) = (self.synced, &b.replay) {
            for &mv in replay.iter() {
                mv.apply(&mut self.cur);
                match self
                    .eval
                    .apply(self.problem, &mut self.dec, &self.cur, &mv.change())
                {
                    Ok(_) => self.eval.keep(self.problem, &mut self.dec, &self.cur),
                    Err(_) => {
                        self.synced = false;
                        break;
                    }
                }
            }
        }
        if !self.synced || self.cur != *b.seq {
            self.cur.clone_from(&b.seq);
            self.synced = self
                .eval
                .sync(self.problem, &mut self.dec, &self.cur)
                .is_ok();
        }
    }
}

/// A walk's lanes: the channels to them and the walk's moves since the last batch.
pub(super) struct Crew {
    lanes: Vec<Sender<Batch>>,
    replies: Receiver<Reply>,
    /// Moves the walk kept since the last batch (what the lanes replay).
    kept: Vec<Move>,
    /// The walk moved only by `kept` since the last batch (else the lanes decode in full).
    only_kept: bool,
    /// Scratch for the walk's own share.
    own: Reply,
}

impl Crew {
    /// `helpers` lane threads in scope `s`, serving until the crew is dropped.
    pub(super) fn spawn<'scope, 'env>(
        s: &'scope Scope<'scope, 'env>,
        problem: &'env Problem,
        helpers: usize,
    ) -> Crew {
        let (reply_tx, replies) = channel();
        let lanes = (0..helpers)
            .map(|_| {
                let (tx, rx) = channel();
                let reply_tx = reply_tx.clone();
                s.spawn(move || Lane::new(problem).serve(rx, reply_tx));
                tx
            })
            .collect();
        Crew {
            lanes,
            replies,
            kept: Vec::new(),
            only_kept: false,
            own: Vec::new(),
        }
    }

    /// The walk kept `mv` (applied it to its sequence and kept its schedule).
    pub(super) fn kept(&mut self, mv: Move) {
        if self.only_kept {
            self.kept.push(mv);
        }
    }

    /// The walk's sequence changed other than by kept moves.
    pub(super) fn jumped(&mut self) {
        self.only_kept = false;
        self.kept.clear();
    }

    /// The keys of `moves` from `cur` (see [`try_move`]) into `out`, evaluated by the walk's
    /// thread (with `dec` and `eval`, which hold `cur`'s schedule) and the lanes together.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn evaluate(
        &mut self,
        problem: &Problem,
        dec: &mut Decoder,
        eval: &mut MoveEvaluator,
        cur: &mut Sequence,
        moves: &[Move],
        deadline: Option<Instant>,
        out: &mut Vec<Option<Key>>,
    ) {
        let seq = Arc::new(cur.clone());
        let replay = self
            .only_kept
            .then(|| Arc::new(std::mem::take(&mut self.kept)));
        // After this batch every lane stands on `seq`.
        self.kept.clear();
        self.only_kept = true;
        let shared = Arc::new(moves.to_vec());
        let next = Arc::new(AtomicUsize::new(0));
        for lane in &self.lanes {
            lane.send(Batch {
                seq: Arc::clone(&seq),
                replay: replay.clone(),
                moves: Arc::clone(&shared),
                next: Arc::clone(&next),
                deadline,
            })
            .expect("a lane thread ended before its walk");
        }
        out.clear();
        out.resize(moves.len(), None);
        let mut own = std::mem::take(&mut self.own);
        own.clear();
        evaluate_share(problem, dec, eval, cur, moves, &next, deadline, &mut own);
        for &(i, k) in &own {
            out[i] = k;
        }
        self.own = own;
        for _ in &self.lanes {
            let reply = self
                .replies
                .recv()
                .expect("a lane thread ended before its walk");
            for (i, k) in reply {
                out[i] = k;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{generate, GenConfig};
    use crate::model::{parse_instance, MachineId, OpId};
    use rand::rngs::StdRng;
    use rand::{RngExt, SeedableRng};

    /// Random adjacent swaps and priority swaps of `cur` (some may not decode).
    fn random_moves(p: &Problem, cur: &Sequence, rng: &mut StdRng, n: usize) -> Vec<Move> {
        let mut v = Vec::new();
        while v.len() < n {
            let m = rng.random_range(0..p.machines.len());
            let len = cur.order[m].len();
            if !cur.priority.is_empty() && rng.random_bool(0.3) {
                let a = OpId(rng.random_range(0..p.ops.len()) as u32);
                let b = OpId(rng.random_range(0..p.ops.len()) as u32);
                v.push(Move::Priority { a, b });
            } else if len >= 2 {
                let from = rng.random_range(0..len);
                let to = rng.random_range(0..len);
                v.push(Move::Shift {
                    m: MachineId(m as u32),
                    from,
                    to,
                });
            }
        }
        v
    }

    /// The crew's keys equal one thread's, batch after batch, while the walk keeps moves
    /// (replayed by the lanes) and jumps (decoded in full by the lanes), with and without
    /// secondary resources and materials.
    #[test]
    fn a_crew_evaluates_every_batch_as_one_thread_does() {
        for (seed, operators, materials) in [(1, 0, false), (2, 2, true), (3, 1, false)] {
            let p = parse_instance(
                &generate(&GenConfig {
                    jobs: 25,
                    machines: 5,
                    seed,
                    operators,
                    materials,
                    ..GenConfig::default()
                }),
                "generated.yaml",
            )
            .unwrap();
            let start = crate::solve::dispatch::construct(&p, crate::solve::dispatch::Rule::Edd);
            let mut cur = start.clone();
            if p.has_secondary() {
                cur.priority = (0..p.ops.len() as u32).collect();
            }
            let mut rng = StdRng::seed_from_u64(seed);
            let (mut dec, mut eval) = (Decoder::new(&p), MoveEvaluator::new(&p));
            eval.sync(&p, &mut dec, &cur).unwrap();
            let (mut alone_dec, mut alone_eval) = (Decoder::new(&p), MoveEvaluator::new(&p));
            std::thread::scope(|s| {
                let mut crew = Crew::spawn(s, &p, 2);
                let mut keys = Vec::new();
                for batch in 0..12 {
                    let moves = random_moves(&p, &cur, &mut rng, 20);
                    crew.evaluate(&p, &mut dec, &mut eval, &mut cur, &moves, None, &mut keys);
                    // One thread alone, from a full decode of the same sequence.
                    let mut alone_cur = cur.clone();
                    alone_eval.sync(&p, &mut alone_dec, &alone_cur).unwrap();
                    let alone: Vec<Option<Key>> = moves
                        .iter()
                        .map(|&mv| {
                            try_move(&p, &mut alone_dec, &mut alone_eval, &mut alone_cur, mv)
                        })
                        .collect();
                    assert_eq!(keys, alone, "instance {seed}, batch {batch}");
                    assert!(keys.iter().any(|k| k.is_some()));
                    if batch % 4 == 3 {
                        // A jump: a perturbed sequence, decoded in full.
                        let mv = moves[rng.random_range(0..moves.len())];
                        mv.apply(&mut cur);
                        if eval.sync(&p, &mut dec, &cur).is_err() {
                            mv.undo(&mut cur);
                            eval.sync(&p, &mut dec, &cur).unwrap();
                        }
                        crew.jumped();
                    } else {
                        // Keep up to two decodable moves, as the walk does.
                        let decodable = moves.iter().zip(&keys).filter(|(_, k)| k.is_some());
                        for (&mv, _) in decodable.take(2) {
                            mv.apply(&mut cur);
                            if eval.apply(&p, &mut dec, &cur, &mv.change()).is_ok() {
                                eval.keep(&p, &mut dec, &cur);
                                crew.kept(mv);
                            } else {
                                mv.undo(&mut cur);
                                eval.undo(&p, &mut dec, &cur);
                            }
                        }
                    }
                }
            });
        }
    }
}
