//! A deliberately naive simulator, written apart from takt's decoder: working time straight from
//! the calendar rules minute by minute, and each operation placed by trying every start minute
//! in turn. Slow and obviously correct; brute-force tests compare the decoder against it.
#![allow(dead_code)]

use takt::eval::Sequence;
use takt::model::{MachineId, Minute, OpId, Problem};

/// Whether minute `t` is working time on machine `m`, from the rules: weekly − holidays +
/// overtime − downtime, nothing before minute 0.
pub fn is_working(p: &Problem, m: MachineId, t: Minute) -> bool {
    let machine = p.machine(m);
    let within = |v: &[(Minute, Minute)]| v.iter().any(|&(a, b)| a <= t && t < b);
    if t < 0 || within(&machine.downtime) {
        return false;
    }
    let Some(c) = machine.calendar else {
        return true;
    };
    let rules = &p.calendars()[c];
    if within(&rules.overtime) {
        return true;
    }
    if within(&rules.holidays) {
        return false;
    }
    const DAY: Minute = 1440;
    let day = (t - p.week().monday).div_euclid(DAY);
    // A shift belongs to the day it starts: look at today's and yesterday's shifts.
    [day, day - 1].iter().any(|&d| {
        let weekday = d.rem_euclid(7) as u8;
        let midnight = p.week().monday + d * DAY;
        rules.weekly.iter().any(|s| {
            let len = if s.to > s.from {
                s.to - s.from
            } else {
                s.to + DAY - s.from
            };
            s.weekday == weekday && midnight + s.from <= t && t < midnight + s.from + len
        })
    })
}

/// (setup_start, start, end) per operation, or None if the sequence deadlocks.
pub fn simulate(p: &Problem, seq: &Sequence) -> Option<Vec<(Minute, Minute, Minute)>> {
    let n = p.ops().len();
    let mut times: Vec<Option<(Minute, Minute, Minute)>> = vec![None; n];
    let mut progress = true;
    while progress {
        progress = false;
        for (mi, order) in seq.order.iter().enumerate() {
            let m = MachineId(mi as u32);
            for (k, &o) in order.iter().enumerate() {
                if times[o.idx()].is_some() {
                    continue;
                }
                let prev = k.checked_sub(1).map(|i| order[i]);
                if prev.is_some_and(|q| times[q.idx()].is_none()) {
                    break;
                }
                let op = p.op(o);
                let job = p.job(op.job);
                let pred = (op.index > 0).then(|| OpId(o.0 - 1));
                if pred.is_some_and(|q| times[q.idx()].is_none()) {
                    break;
                }
                let mut lb = job.release.max(0);
                if let Some(q) = pred {
                    let qm = seq.machine_of[q.idx()];
                    let (pa, pb) = (p.machine(qm).plant.idx(), p.machine(m).plant.idx());
                    lb = lb.max(times[q.idx()].unwrap().2 + p.transfer()[pa][pb].unwrap_or(0));
                }
                if let Some(pin) = op.pinned {
                    lb = lb.max(pin.start);
                }
                let (free, fam) = match prev {
                    Some(q) => (times[q.idx()].unwrap().2, p.op(q).family),
                    None => (0, p.machine(m).initial_family),
                };
                let c = p.changeover(m, fam, op.family);
                let d = op.duration_on(m).unwrap();
                times[o.idx()] = Some(first_fit(p, m, lb, free, c, d, op.atomic));
                progress = true;
            }
        }
    }
    times.into_iter().collect()
}

fn first_fit(
    p: &Problem,
    m: MachineId,
    lb: Minute,
    free: Minute,
    c: Minute,
    d: Minute,
    atomic: bool,
) -> (Minute, Minute, Minute) {
    let w = |t| is_working(p, m, t);
    let mut t = lb;
    loop {
        let ok = w(t) && (c > 0 || t >= free) && (c == 0 || w(t - 1));
        if ok {
            // The setup: the last c working minutes before t, all at or after `free`.
            let mut ss = t;
            let mut got = 0;
            while got < c && ss > 0 {
                ss -= 1;
                if w(ss) {
                    got += 1;
                }
            }
            let setup_ok = got == c && ss >= free;
            let run_ok = !atomic || (t..t + d).all(w);
            if setup_ok && run_ok {
                let mut end = t;
                let mut left = d;
                while left > 0 {
                    if w(end) {
                        left -= 1;
                    }
                    end += 1;
                }
                return (if c > 0 { ss } else { t }, t, end);
            }
        }
        t += 1;
    }
}
