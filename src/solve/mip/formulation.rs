//! The disjunctive model with continuous start times, built with good_lp. The mathematics, with
//! the reasons for each big-M, is in `models/disjunctive.md`; the names there (S, a, x, y, p,
//! T, E, U, C_max) are the column prefixes here.
//!
//! Every column is recorded with its meaning ([`Col`]), so that a schedule (the warm start) can
//! be written as a full column vector and a solution read back without guessing.

use super::bounds::{self, Bounds, ModeInfo};
use super::calendar::{self, PieceSpec, Timeline};
use super::MipError;
use crate::eval::Sequence;
use crate::model::{JobId, MachineId, Minute, OpId, Problem};
use good_lp::{variable, Constraint, Expression, ProblemVariables, Variable};
use std::collections::HashMap;

/// What a column means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Col {
    /// S_o: start of operation o (minutes).
    Start(OpId),
    /// a_omk: operation o runs on machine m and starts in piece k of its start domain there
    /// (always-available machines have one piece: this is then the assignment a_om).
    Piece(OpId, MachineId, usize),
    /// x_ij (i < j): i before j if both run on one machine.
    Order(OpId, OpId),
    /// y^m_ij: j directly follows i on m (`None`: j is first on m).
    Succ(MachineId, Option<OpId>, OpId),
    /// p_o: rank of a zero-duration operation on its machine (breaks zero-length cycles).
    Rank(OpId),
    /// C_max.
    Makespan,
    /// T_j.
    Tardiness(JobId),
    /// E_j.
    Earliness(JobId),
    /// U_j.
    Late(JobId),
    /// x_ot (time-indexed model): operation o starts at minute t.
    StartsAt(OpId, Minute),
    /// The machine idles in minute t (time-indexed model).
    Idle(Minute),
}

/// A 0/1 quantity that is either a column or fixed at 1.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Lit {
    One,
    Var(Variable),
}

impl Lit {
    fn expr(self) -> Expression {
        match self {
            Lit::One => Expression::from(1.0),
            Lit::Var(v) => Expression::from(v),
        }
    }
}

/// A piece of an operation's start domain on one machine, and its 0/1 column.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Piece {
    pub spec: PieceSpec,
    pub lit: Lit,
}

/// One eligible machine of an operation in the model.
#[derive(Debug, Clone)]
pub(crate) struct ModeCol {
    pub machine: MachineId,
    pub duration: Minute,
    /// The machine has a working-time calendar (or downtime).
    pub calendar: bool,
    pub pieces: Vec<Piece>,
}

impl ModeCol {
    /// a_om = Σ_k a_omk.
    fn assign(&self) -> Expression {
        let mut e = Expression::default();
        for p in &self.pieces {
            e += p.lit.expr();
        }
        e
    }

    /// Σ_k (break time before the start's interval) a_omk: S − this is the start in the
    /// machine's working time.
    fn off_start(&self) -> Expression {
        let mut e = Expression::default();
        for p in &self.pieces {
            if p.spec.off_start != 0 {
                e += p.lit.expr() * p.spec.off_start as f64;
            }
        }
        e
    }

    fn off_end(&self) -> Expression {
        let mut e = Expression::default();
        for p in &self.pieces {
            if p.spec.off_end != 0 {
                e += p.lit.expr() * p.spec.off_end as f64;
            }
        }
        e
    }

    fn max_off_start(&self) -> Minute {
        self.pieces
            .iter()
            .map(|p| p.spec.off_start)
            .max()
            .unwrap_or(0)
    }
}

/// Sizes, for messages and tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ModelStats {
    pub columns: usize,
    pub binaries: usize,
    pub rows: usize,
}

/// The model, ready to be handed to HiGHS.
pub(crate) struct Formulation {
    pub vars: ProblemVariables,
    pub rows: Vec<Constraint>,
    pub objective: Expression,
    pub meta: Meta,
}

/// Everything about the model but the good_lp objects (kept after they go to HiGHS).
pub(crate) struct Meta {
    /// Meaning and name of each column, in column order.
    pub cols: Vec<Col>,
    pub col_names: Vec<String>,
    /// Column index of each variable (good_lp keeps its own private).
    pub index: HashMap<Variable, usize>,
    pub row_names: Vec<String>,
    /// Constant part of the objective (−w_flow Σ w_j r_j, and so on).
    pub offset: f64,
    /// Objective coefficient of each column.
    pub cost: Vec<f64>,
    pub modes: Vec<Vec<ModeCol>>,
    pub order: HashMap<(OpId, OpId), Variable>,
    pub bounds: Bounds,
    pub binaries: usize,
    /// Machines sorted into groups of identical machines (each group sorted by id), for the
    /// symmetry-breaking rows; the warm start is relabelled to match.
    pub identical_groups: Vec<Vec<MachineId>>,
}

impl Meta {
    pub fn stats(&self) -> ModelStats {
        ModelStats {
            columns: self.cols.len(),
            binaries: self.binaries,
            rows: self.row_names.len(),
        }
    }

    /// The objective of a column vector, computed here (HiGHS's own report is checked
    /// against it).
    pub fn objective(&self, values: &[f64]) -> f64 {
        self.offset
            + self
                .cost
                .iter()
                .zip(values)
                .map(|(c, x)| c * x)
                .sum::<f64>()
    }

    /// The value of a variable in a column vector.
    pub fn value(&self, values: &[f64], v: Variable) -> f64 {
        values[self.index[&v]]
    }

    pub fn lit_value(&self, values: &[f64], l: Lit) -> f64 {
        match l {
            Lit::One => 1.0,
            Lit::Var(v) => self.value(values, v),
        }
    }
}

/// Instance features the model cannot represent exactly, by name. Every feature of the
/// instance format is modelled now (calendars through time-window pieces); what can still be
/// refused is size, by [`build`].
pub(crate) fn check_supported(problem: &Problem) -> Result<(), MipError> {
    if problem.has_secondary() {
        let what = if problem.ops.iter().any(|o| !o.consume.is_empty()) {
            "materials (stock, receipts, consumption)"
        } else {
            "secondary resources (operators, tools)"
        };
        return Err(MipError::Unsupported(format!(
            "{what} are not in the model; use the heuristic (`--solver auto` falls back to it)"
        )));
    }
    if problem.stability.is_some() {
        return Err(MipError::Unsupported(
            "the stability term of a repair (rescheduling) is not in the model".into(),
        ));
    }
    Ok(())
}

/// `[A-Za-z0-9_]` only, so that LP and MPS readers accept every name.
pub(crate) fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

pub(crate) struct Builder {
    vars: ProblemVariables,
    cols: Vec<Col>,
    col_names: Vec<String>,
    rows: Vec<Constraint>,
    row_names: Vec<String>,
    binaries: usize,
    index: HashMap<Variable, usize>,
    op_names: Vec<String>,
    machine_names: Vec<String>,
}

impl Builder {
    pub(crate) fn new(problem: &Problem) -> Builder {
        let op_names = (0..problem.ops.len())
            .map(|o| {
                let op = &problem.ops[o];
                format!(
                    "{o}_{}_{}",
                    clean(&problem.jobs[op.job.idx()].id),
                    clean(&op.id)
                )
            })
            .collect();
        Builder {
            vars: ProblemVariables::new(),
            cols: Vec::new(),
            col_names: Vec::new(),
            rows: Vec::new(),
            row_names: Vec::new(),
            binaries: 0,
            index: HashMap::new(),
            op_names,
            machine_names: problem.machines.iter().map(|m| clean(&m.id)).collect(),
        }
    }

    pub(crate) fn col(
        &mut self,
        col: Col,
        name: String,
        lo: f64,
        hi: f64,
        binary: bool,
    ) -> Variable {
        let def = if binary {
            self.binaries += 1;
            variable().binary()
        } else {
            variable().min(lo).max(hi)
        };
        let v = self.vars.add(def);
        self.index.insert(v, self.cols.len());
        self.cols.push(col);
        self.col_names.push(name);
        v
    }

    pub(crate) fn row(&mut self, c: Constraint, name: String) {
        self.rows.push(c);
        self.row_names.push(name);
    }

    pub(crate) fn op(&self, o: OpId) -> &str {
        &self.op_names[o.idx()]
    }

    fn mach(&self, m: MachineId) -> &str {
        &self.machine_names[m.idx()]
    }
}

impl Builder {
    /// The finished model.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn finish(
        self,
        mut objective: Expression,
        mut offset: f64,
        modes: Vec<Vec<ModeCol>>,
        order: HashMap<(OpId, OpId), Variable>,
        bounds: Bounds,
        identical_groups: Vec<Vec<MachineId>>,
    ) -> Formulation {
        // good_lp passes only the linear part to HiGHS: the constant goes into the offset.
        let mut cost = vec![0.0; self.cols.len()];
        {
            use good_lp::IntoAffineExpression;
            offset += objective.constant();
            for (v, c) in objective.clone().linear_coefficients() {
                cost[self.index[&v]] += c;
            }
            objective -= objective.constant();
        }
        Formulation {
            vars: self.vars,
            rows: self.rows,
            objective,
            meta: Meta {
                cols: self.cols,
                col_names: self.col_names,
                index: self.index,
                row_names: self.row_names,
                offset,
                cost,
                modes,
                order,
                bounds,
                binaries: self.binaries,
                identical_groups,
            },
        }
    }
}

/// Groups of interchangeable machines: same plant, same working time (calendar and downtime),
/// same changeover matrix and initial family, the same operations with the same durations, and
/// no pinned operation.
fn identical_machines(problem: &Problem, modes: &[Vec<ModeInfo>]) -> Vec<Vec<MachineId>> {
    let mut ops_on: Vec<Vec<(u32, Minute)>> = vec![Vec::new(); problem.machines.len()];
    let mut has_pin = vec![false; problem.machines.len()];
    for (o, ms) in modes.iter().enumerate() {
        for mode in ms {
            ops_on[mode.machine.idx()].push((o as u32, mode.duration));
        }
        if let Some(p) = problem.ops[o].pinned {
            has_pin[p.machine.idx()] = true;
        }
    }
    let mut groups: HashMap<_, Vec<MachineId>> = HashMap::new();
    for (i, m) in problem.machines.iter().enumerate() {
        if has_pin[i] || ops_on[i].is_empty() {
            continue;
        }
        let key = (
            m.plant,
            m.calendar,
            m.downtime.clone(),
            m.changeovers,
            m.initial_family,
            ops_on[i].clone(),
        );
        groups.entry(key).or_default().push(MachineId(i as u32));
    }
    let mut out: Vec<Vec<MachineId>> = groups.into_values().filter(|g| g.len() > 1).collect();
    for g in &mut out {
        g.sort();
    }
    out.sort();
    out
}

/// Builds the model. `incumbent` is the objective of a deadline-feasible schedule, if known
/// (it tightens the horizon and the big-M constants). `max_binaries` caps the size: a larger
/// model is refused as [`MipError::Unsupported`].
///
/// One function per constraint family, called in a fixed order: columns and rows are numbered
/// in creation order, so the order below is the model's (an exported LP file does not change
/// when the code is rearranged inside a family).
pub(crate) fn build(
    problem: &Problem,
    incumbent: Option<f64>,
    max_binaries: usize,
) -> Result<Formulation, MipError> {
    check_supported(problem)?;
    if problem.ops.is_empty() {
        return Err(MipError::Unsupported(
            "an instance without operations".into(),
        ));
    }
    let minfo = bounds::model_modes(problem);
    let b = bounds::compute(problem, &minfo, incumbent)?;
    let always: Vec<bool> = problem
        .machines
        .iter()
        .map(|m| m.availability.interval_after(0) == (0, Minute::MAX))
        .collect();
    let specs = start_pieces(problem, &minfo, &b, &always, max_binaries)?;

    let mut bd = Builder::new(problem);
    let (start, s_lo, s_hi) = start_columns(&mut bd, &specs);
    let modes = mode_columns(&mut bd, specs, &start, &always);
    // Ops per machine, in the model (pins applied).
    let mut on_machine: Vec<Vec<(OpId, Minute)>> = vec![Vec::new(); problem.machines.len()];
    for (o, ms) in modes.iter().enumerate() {
        for m in ms {
            on_machine[m.machine.idx()].push((OpId(o as u32), m.duration));
        }
    }
    let mut md = Model {
        problem,
        b: &b,
        always,
        start,
        s_lo,
        s_hi,
        modes,
        on_machine,
        order: HashMap::new(),
    };
    end_rows(&md, &mut bd);
    routing_rows(&md, &mut bd);
    md.order = order_columns(&md, &mut bd);
    disjunctive_rows(&md, &mut bd);
    rank_rows(&md, &mut bd);
    let changeover_obj = changeover_rows(&md, &mut bd);
    let identical_groups = symmetry_rows(&md, &mut bd, &minfo);
    let (objective, offset) = objective(&md, &mut bd, changeover_obj);
    let Model { modes, order, .. } = md;
    Ok(bd.finish(objective, offset, modes, order, b, identical_groups))
}

/// What every constraint family reads once the start and assignment columns exist.
struct Model<'a> {
    problem: &'a Problem,
    b: &'a Bounds,
    /// Machines that always work (no calendar pieces, E = S + d).
    always: Vec<bool>,
    start: Vec<Variable>,
    /// Column bounds of the starts (a pinned start is fixed).
    s_lo: Vec<Minute>,
    s_hi: Vec<Minute>,
    modes: Vec<Vec<ModeCol>>,
    /// The operations each machine may run, with their durations there.
    on_machine: Vec<Vec<(OpId, Minute)>>,
    /// x_ij for pairs of different jobs that share a machine (filled by [`order_columns`]).
    order: HashMap<(OpId, OpId), Variable>,
}

impl Model<'_> {
    fn mode(&self, o: OpId, m: MachineId) -> Option<&ModeCol> {
        self.modes[o.idx()].iter().find(|x| x.machine == m)
    }

    fn assign(&self, o: OpId, m: MachineId) -> Expression {
        self.mode(o, m).unwrap().assign()
    }

    /// End of o as an expression: S_o + Σ_{m,k} (duration + breaks spanned) a_omk.
    fn end_expr(&self, o: OpId) -> Expression {
        let mut e = Expression::from(self.start[o.idx()]);
        for m in &self.modes[o.idx()] {
            for p in &m.pieces {
                e += p.lit.expr() * p.spec.length as f64;
            }
        }
        e
    }

    /// Whether o's length is the same whatever its machine and piece.
    fn fixed_length(&self, o: OpId) -> bool {
        let mut lengths = self.modes[o.idx()]
            .iter()
            .flat_map(|m| m.pieces.iter().map(|p| p.spec.length));
        let first = lengths.next();
        lengths.all(|l| Some(l) == first)
    }

    fn ub_s(&self, o: OpId) -> f64 {
        self.s_hi[o.idx()] as f64
    }

    fn lb_s(&self, o: OpId) -> f64 {
        self.s_lo[o.idx()] as f64
    }

    fn ub_e(&self, o: OpId) -> f64 {
        self.b.end_ub[o.idx()] as f64
    }

    fn same_job(&self, i: OpId, j: OpId) -> bool {
        self.problem.op(i).job == self.problem.op(j).job
    }

    /// "i before j" as an expression (i, j different; constant for the same job).
    fn before(&self, i: OpId, j: OpId) -> Expression {
        if self.same_job(i, j) {
            Expression::from(if i < j { 1.0 } else { 0.0 })
        } else if i < j {
            Expression::from(self.order[&(i, j)])
        } else {
            1.0 - Expression::from(self.order[&(j, i)])
        }
    }
}

/// An operation's modes, each with the pieces of its start domain.
type ModePieces = Vec<(ModeInfo, Vec<PieceSpec>)>;

/// The pieces of every mode (one per mode on an always-available machine); refuses a model
/// with more pieces than `max_binaries`, and an operation that fits on none of its machines.
fn start_pieces(
    problem: &Problem,
    minfo: &[Vec<ModeInfo>],
    b: &Bounds,
    always: &[bool],
    max_binaries: usize,
) -> Result<Vec<ModePieces>, MipError> {
    let n = problem.ops.len();
    let tl_end = b.end_ub.iter().copied().max().unwrap_or(0) + 1;
    let mut timelines: HashMap<MachineId, Timeline> = HashMap::new();
    let mut specs: Vec<ModePieces> = Vec::with_capacity(n);
    let mut total_pieces = 0usize;
    for (o, ms) in minfo.iter().enumerate() {
        let op = &problem.ops[o];
        let (lb, ub_e) = (b.start_lb[o], b.end_ub[o]);
        let mut v = Vec::with_capacity(ms.len());
        for &mode in ms {
            let ub_s = match op.pinned {
                Some(p) => p.start.min(ub_e - mode.duration),
                None => ub_e - mode.duration,
            };
            let lb = match op.pinned {
                Some(p) => p.start.max(lb),
                None => lb,
            };
            let ps = if always[mode.machine.idx()] {
                if lb <= ub_s {
                    vec![PieceSpec {
                        lo: lb,
                        hi: ub_s,
                        length: mode.duration,
                        off_start: 0,
                        off_end: 0,
                        at_interval_start: false,
                    }]
                } else {
                    Vec::new()
                }
            } else {
                let tl = timelines.entry(mode.machine).or_insert_with(|| {
                    Timeline::new(&problem.machine(mode.machine).availability, tl_end)
                });
                calendar::pieces(tl, lb, ub_s, ub_e, mode.duration, op.atomic)
            };
            if !ps.is_empty() {
                total_pieces += ps.len();
                v.push((mode, ps));
            }
        }
        if v.is_empty() {
            let o = OpId(o as u32);
            return Err(MipError::Infeasible(format!(
                "operation {} fits on none of its machines between {} and {}",
                problem.op_name(o),
                problem.datetime(lb),
                problem.datetime(ub_e)
            )));
        }
        specs.push(v);
    }
    if total_pieces > max_binaries {
        return Err(MipError::Unsupported(format!(
            "the model would need {total_pieces} binary time-window variables for its \
             {} operations over a horizon of {} min (the limit is {max_binaries})",
            n, b.horizon
        )));
    }
    Ok(specs)
}

/// Start times S, within the union of their pieces; returns the columns and their bounds.
fn start_columns(
    bd: &mut Builder,
    specs: &[ModePieces],
) -> (Vec<Variable>, Vec<Minute>, Vec<Minute>) {
    let n = specs.len();
    let mut start = Vec::with_capacity(n);
    let mut s_lo = Vec::with_capacity(n);
    let mut s_hi = Vec::with_capacity(n);
    for (o, spec) in specs.iter().enumerate() {
        let all = spec.iter().flat_map(|(_, ps)| ps.iter());
        let lo = all.clone().map(|p| p.lo).min().expect("a piece");
        let hi = all.map(|p| p.hi).max().expect("a piece");
        s_lo.push(lo);
        s_hi.push(hi);
        let o = OpId(o as u32);
        let name = format!("S_{}", bd.op(o));
        start.push(bd.col(Col::Start(o), name, lo as f64, hi as f64, false));
    }
    (start, s_lo, s_hi)
}

/// Machine assignment and start pieces a: one assignment per operation (`assign_`), and the
/// start inside the chosen piece (`window_lo_`, `window_hi_`) where calendars cut the domain.
fn mode_columns(
    bd: &mut Builder,
    specs: Vec<ModePieces>,
    start: &[Variable],
    always: &[bool],
) -> Vec<Vec<ModeCol>> {
    let mut modes: Vec<Vec<ModeCol>> = Vec::with_capacity(specs.len());
    for (o, ms) in specs.into_iter().enumerate() {
        let o = OpId(o as u32);
        let count: usize = ms.iter().map(|(_, ps)| ps.len()).sum();
        let mut v = Vec::with_capacity(ms.len());
        for (mode, ps) in ms {
            let m = mode.machine;
            let single = ps.len() == 1;
            let pieces = ps
                .into_iter()
                .enumerate()
                .map(|(k, spec)| {
                    let lit = if count == 1 {
                        Lit::One
                    } else {
                        let name = if single {
                            format!("a_{}_{}", bd.op(o), bd.mach(m))
                        } else {
                            format!("a_{}_{}_{k}", bd.op(o), bd.mach(m))
                        };
                        Lit::Var(bd.col(Col::Piece(o, m, k), name, 0.0, 1.0, true))
                    };
                    Piece { spec, lit }
                })
                .collect();
            v.push(ModeCol {
                machine: m,
                duration: mode.duration,
                calendar: !always[m.idx()],
                pieces,
            });
        }
        if count > 1 {
            let mut sum = Expression::default();
            for m in &v {
                sum += m.assign();
            }
            let name = format!("assign_{}", bd.op(o));
            bd.row(sum.eq(1.0), name);
        }
        // The start lies in the chosen piece.
        if v.iter().any(|m| m.calendar) && count > 1 {
            let (mut lo, mut hi) = (Expression::default(), Expression::default());
            for m in &v {
                for p in &m.pieces {
                    lo += p.lit.expr() * p.spec.lo as f64;
                    hi += p.lit.expr() * p.spec.hi as f64;
                }
            }
            let s = Expression::from(start[o.idx()]);
            let name = format!("window_lo_{}", bd.op(o));
            bd.row(s.clone().geq(lo), name);
            let name = format!("window_hi_{}", bd.op(o));
            bd.row(s.leq(hi), name);
        }
        modes.push(v);
    }
    modes
}

/// Latest end (`end_ub_`) where the end is not the start plus a constant (a column bound
/// otherwise).
fn end_rows(md: &Model, bd: &mut Builder) {
    for o in 0..md.problem.ops.len() {
        let o = OpId(o as u32);
        if !md.fixed_length(o) {
            let name = format!("end_ub_{}", bd.op(o));
            bd.row(md.end_expr(o).leq(md.b.end_ub[o.idx()] as f64), name);
        }
    }
}

/// Routing order (`route_`) and transfers between plants (`transfer_`).
fn routing_rows(md: &Model, bd: &mut Builder) {
    let problem = md.problem;
    let start = &md.start;
    let modes = &md.modes;
    for o in 0..problem.ops.len() {
        let o = OpId(o as u32);
        let Some(p) = problem.pred(o) else { continue };
        let name = format!("route_{}", bd.op(o));
        bd.row(Expression::from(start[o.idx()]).geq(md.end_expr(p)), name);
        // Plant pairs with a positive transfer time.
        let plants = |x: OpId| -> Vec<crate::model::PlantId> {
            let mut v: Vec<_> = modes[x.idx()]
                .iter()
                .map(|m| problem.machine(m.machine).plant)
                .collect();
            v.sort();
            v.dedup();
            v
        };
        for pp in plants(p) {
            for po in plants(o) {
                let t = problem.transfer[pp.idx()][po.idx()].unwrap_or(0);
                if t <= 0 {
                    continue;
                }
                // S_o ≥ E_p + t (π_pP + π_oQ − 1), π = Σ of a over the plant's machines.
                let mut rhs = md.end_expr(p) - t as f64;
                for m in &modes[p.idx()] {
                    if problem.machine(m.machine).plant == pp {
                        rhs += m.assign() * t as f64;
                    }
                }
                for m in &modes[o.idx()] {
                    if problem.machine(m.machine).plant == po {
                        rhs += m.assign() * t as f64;
                    }
                }
                let name = format!(
                    "transfer_{}_{}_{}",
                    bd.op(o),
                    clean(&problem.plants[pp.idx()].id),
                    clean(&problem.plants[po.idx()].id)
                );
                bd.row(Expression::from(start[o.idx()]).geq(rhs), name);
            }
        }
    }
}

/// Order variables x_ij for pairs of different jobs that share a machine.
fn order_columns(md: &Model, bd: &mut Builder) -> HashMap<(OpId, OpId), Variable> {
    let mut order: HashMap<(OpId, OpId), Variable> = HashMap::new();
    for list in &md.on_machine {
        for (a, &(i, _)) in list.iter().enumerate() {
            for &(j, _) in &list[a + 1..] {
                let (i, j) = if i < j { (i, j) } else { (j, i) };
                if md.same_job(i, j) || order.contains_key(&(i, j)) {
                    continue;
                }
                let name = format!("x_{}_{}", bd.op(i), bd.op(j));
                let v = bd.col(Col::Order(i, j), name, 0.0, 1.0, true);
                order.insert((i, j), v);
            }
        }
    }
    order
}

/// Disjunctions (`disj_`), per machine and pair: S_v ≥ E_u − M (3 − before − a_um − a_vm),
/// with E_u = S_u + d_um on an always-available machine.
fn disjunctive_rows(md: &Model, bd: &mut Builder) {
    for (mi, list) in md.on_machine.iter().enumerate() {
        let m = MachineId(mi as u32);
        for (a, &(i, di)) in list.iter().enumerate() {
            for &(j, dj) in &list[a + 1..] {
                if md.same_job(i, j) {
                    continue; // the routing already orders them
                }
                for (u, du, v, tag) in [(i, di, j, "a"), (j, dj, i, "b")] {
                    let (end_u, big_m) = if md.always[mi] {
                        (
                            Expression::from(md.start[u.idx()]) + du as f64,
                            md.ub_s(u) + du as f64 - md.lb_s(v),
                        )
                    } else {
                        (md.end_expr(u), md.ub_e(u) - md.lb_s(v))
                    };
                    if big_m <= 0.0 {
                        continue; // always holds
                    }
                    let slack = 3.0 - md.before(u, v) - md.assign(u, m) - md.assign(v, m);
                    let name = format!("disj_{}_{}_{}_{tag}", bd.mach(m), bd.op(i), bd.op(j));
                    let lhs = Expression::from(md.start[v.idx()]);
                    bd.row(lhs.geq(end_u - slack * big_m), name);
                }
            }
        }
    }
}

/// Zero-duration operations could form a cycle of the order at one instant: ranks p (`rank_`)
/// break it.
fn rank_rows(md: &Model, bd: &mut Builder) {
    let n = md.problem.ops.len();
    let mut rank: HashMap<OpId, Variable> = HashMap::new();
    let big_k = (n + 1) as f64;
    for (mi, list) in md.on_machine.iter().enumerate() {
        let m = MachineId(mi as u32);
        let zero: Vec<OpId> = list.iter().filter(|x| x.1 == 0).map(|x| x.0).collect();
        if zero.len() < 2 {
            continue;
        }
        for &o in &zero {
            if let std::collections::hash_map::Entry::Vacant(e) = rank.entry(o) {
                let name = format!("p_{}", bd.op(o));
                e.insert(bd.col(Col::Rank(o), name, 0.0, n as f64, false));
            }
        }
        for (a, &i) in zero.iter().enumerate() {
            for &j in &zero[a + 1..] {
                for (u, v, tag) in [(i, j, "a"), (j, i, "b")] {
                    if md.same_job(u, v) && u > v {
                        continue;
                    }
                    let slack = 3.0 - md.before(u, v) - md.assign(i, m) - md.assign(j, m);
                    let name = format!("rank_{}_{}_{}_{tag}", bd.mach(m), bd.op(i), bd.op(j));
                    let lhs = Expression::from(rank[&v]);
                    let rhs = Expression::from(rank[&u]) + 1.0 - slack * big_k;
                    bd.row(lhs.geq(rhs), name);
                }
            }
        }
    }
}

/// Changeovers: immediate-successor arcs y on machines where some changeover is positive.
/// In the machine's working time W (W = S − off on a calendar machine, W = S otherwise):
/// W(S_j) − W(E_i) ≥ c_ij when j directly follows i, W(S_j) ≥ c_0j when j is first.
/// Returns the total changeover time Σ c y (an objective term).
fn changeover_rows(md: &Model, bd: &mut Builder) -> Expression {
    let mut changeover_obj = Expression::default();
    for (mi, list) in md.on_machine.iter().enumerate() {
        changeover_obj += machine_changeover_rows(md, bd, MachineId(mi as u32), list);
    }
    changeover_obj
}

/// [`changeover_rows`] of one machine.
fn machine_changeover_rows(
    md: &Model,
    bd: &mut Builder,
    m: MachineId,
    list: &[(OpId, Minute)],
) -> Expression {
    let problem = md.problem;
    let mut changeover_obj = Expression::default();
    let fam = |o: OpId| problem.op(o).family;
    let init = problem.machine(m).initial_family;
    let setup =
        |i: Option<OpId>, j: OpId| -> Minute { problem.changeover(m, i.map_or(init, fam), fam(j)) };
    let needed = list.iter().any(|&(j, _)| {
        setup(None, j) > 0 || list.iter().any(|&(i, _)| i != j && setup(Some(i), j) > 0)
    });
    if !needed {
        return changeover_obj;
    }
    let work_start = |j: OpId| -> Expression {
        Expression::from(md.start[j.idx()]) - md.mode(j, m).unwrap().off_start()
    };
    let mut first_sum = Expression::default();
    let mut out_sum: HashMap<OpId, Expression> = HashMap::new();
    for &(j, dj) in list {
        let mj = md.mode(j, m).unwrap();
        let mut in_sum = Expression::default();
        // Arcs into j that bring a positive changeover (for the "runs right up to the
        // start" rule on calendars).
        let mut positive_in = Expression::default();
        let mut any_positive = false;
        let ub_start_j = (md.ub_e(j) - dj as f64).min(md.ub_s(j));
        // j first on m.
        let c0 = setup(None, j);
        if (c0 as f64) <= ub_start_j {
            let name = format!("y_{}_first_{}", bd.mach(m), bd.op(j));
            let y = bd.col(Col::Succ(m, None, j), name, 0.0, 1.0, true);
            first_sum += y;
            in_sum += y;
            if c0 > 0 {
                changeover_obj.add_mul(c0 as f64, y);
                positive_in += y;
                any_positive = true;
                let name = format!("setup_first_{}_{}", bd.mach(m), bd.op(j));
                bd.row(work_start(j).geq(Expression::from(y) * c0 as f64), name);
            }
        }
        for &(i, di) in list {
            if i == j || (md.same_job(i, j) && j < i) {
                continue;
            }
            let c = setup(Some(i), j);
            // The arc is impossible if j cannot start that late.
            if md.lb_s(i) + (di + c) as f64 > ub_start_j {
                continue;
            }
            let name = format!("y_{}_{}_{}", bd.mach(m), bd.op(i), bd.op(j));
            let y = bd.col(Col::Succ(m, Some(i), j), name, 0.0, 1.0, true);
            in_sum += y;
            *out_sum.entry(i).or_default() += y;
            // An arc goes forwards in the order.
            if !md.same_job(i, j) {
                let name = format!("arc_order_{}_{}_{}", bd.mach(m), bd.op(i), bd.op(j));
                bd.row(Expression::from(y).leq(md.before(i, j)), name);
            }
            if c > 0 {
                changeover_obj.add_mul(c as f64, y);
                positive_in += y;
                any_positive = true;
                let name = format!("setup_{}_{}_{}", bd.mach(m), bd.op(i), bd.op(j));
                if md.always[m.idx()] {
                    let big_m = md.ub_s(i) + (di + c) as f64 - md.lb_s(j);
                    if big_m > 0.0 {
                        let rhs = Expression::from(md.start[i.idx()]) + (di + c) as f64
                            - (1.0 - Expression::from(y)) * big_m;
                        bd.row(Expression::from(md.start[j.idx()]).geq(rhs), name);
                    }
                } else {
                    let mi_ = md.mode(i, m).unwrap();
                    let work_end_i = md.end_expr(i) - mi_.off_end();
                    let big_m = md.ub_e(i) + c as f64 - md.lb_s(j) + mj.max_off_start() as f64;
                    if big_m > 0.0 {
                        let rhs = work_end_i + c as f64 - (1.0 - Expression::from(y)) * big_m;
                        bd.row(work_start(j).geq(rhs), name);
                    }
                }
            }
        }
        let name = format!("pred_{}_{}", bd.mach(m), bd.op(j));
        bd.row(in_sum.eq(mj.assign()), name);
        // On a calendar, a start at the first minute of a working interval cannot follow a
        // changeover (the minute before the start must be working).
        if any_positive && mj.calendar {
            for (k, p) in mj.pieces.iter().enumerate() {
                if !p.spec.at_interval_start {
                    continue;
                }
                let lo = p.spec.lo as f64 + 1.0;
                let big_m = lo - md.lb_s(j);
                let slack = 2.0 - p.lit.expr() - positive_in.clone();
                let name = format!("setup_runs_up_{}_{}_{k}", bd.mach(m), bd.op(j));
                bd.row(
                    Expression::from(md.start[j.idx()]).geq(lo - slack * big_m),
                    name,
                );
            }
        }
    }
    for &(i, _) in list {
        if let Some(s) = out_sum.remove(&i) {
            let name = format!("succ_{}_{}", bd.mach(m), bd.op(i));
            bd.row(s.leq(md.assign(i, m)), name);
        }
    }
    let name = format!("first_{}", bd.mach(m));
    bd.row(first_sum.leq(1.0), name);
    changeover_obj
}

/// Symmetry breaking on identical machines (`sym_`): the r-th operation (by id) of the group's
/// operations may use only the group's first r machines. Returns the groups.
fn symmetry_rows(md: &Model, bd: &mut Builder, minfo: &[Vec<ModeInfo>]) -> Vec<Vec<MachineId>> {
    let identical_groups = identical_machines(md.problem, minfo);
    for g in &identical_groups {
        let ops: Vec<OpId> = md.on_machine[g[0].idx()].iter().map(|x| x.0).collect();
        for (r, &o) in ops.iter().enumerate() {
            for &m in &g[(r + 1).min(g.len())..] {
                if let Some(mode) = md.mode(o, m) {
                    let name = format!("sym_{}_{}", bd.op(o), bd.mach(m));
                    bd.row(mode.assign().eq(0.0), name);
                }
            }
        }
    }
    identical_groups
}

/// A lower bound on job j's completion: its last operation's earliest start plus its shortest
/// duration.
fn completion_lb(md: &Model, job: &crate::model::Job) -> Minute {
    let last = job.last_op();
    md.b.start_lb[last.idx()]
        + md.modes[last.idx()]
            .iter()
            .map(|m| m.duration)
            .min()
            .unwrap_or(0)
}

/// The objective and its constant part: C_max with its rows, then per job flow time, T, E and
/// U with theirs, then the changeover time.
fn objective(md: &Model, bd: &mut Builder, changeover_obj: Expression) -> (Expression, f64) {
    let w = md.problem.objective;
    let mut objective = Expression::default();
    let mut offset = 0.0;
    if w.makespan > 0.0 {
        let cmax = makespan_rows(md, bd);
        objective.add_mul(w.makespan, cmax);
    }
    for j in 0..md.problem.jobs.len() {
        job_terms(md, bd, JobId(j as u32), &mut objective, &mut offset);
    }
    if w.changeover_time > 0.0 {
        objective += changeover_obj * w.changeover_time;
    }
    (objective, offset)
}

/// C_max: above every job's completion (`cmax_`) and every machine's load (`load_`).
fn makespan_rows(md: &Model, bd: &mut Builder) -> Variable {
    let problem = md.problem;
    let modes = &md.modes;
    let lo = problem
        .jobs
        .iter()
        .map(|j| completion_lb(md, j))
        .max()
        .unwrap_or(0)
        .max(0);
    let hi =
        md.b.completion_ub
            .iter()
            .copied()
            .max()
            .unwrap_or(0)
            .max(lo);
    let cmax = bd.col(Col::Makespan, "Cmax".into(), lo as f64, hi as f64, false);
    for job in &problem.jobs {
        let name = format!("cmax_{}_{}", clean(&job.id), job.last_op().0);
        bd.row(Expression::from(cmax).geq(md.end_expr(job.last_op())), name);
    }
    // Machine load: C_max ≥ min head + Σ_o d_om a_om + min tail on m (working minutes
    // are at most wall-clock minutes).
    for (mi, list) in md.on_machine.iter().enumerate() {
        if list.len() < 2 {
            continue;
        }
        let m = MachineId(mi as u32);
        let head = list
            .iter()
            .map(|x| md.lb_s(x.0))
            .fold(f64::INFINITY, f64::min);
        let tail = list
            .iter()
            .map(|x| {
                let job = problem.job(problem.op(x.0).job);
                // Minimal work after x in its job.
                let mut t = 0;
                let mut o = x.0;
                while o != job.last_op() {
                    let next = OpId(o.0 + 1);
                    let step = modes[o.idx()]
                        .iter()
                        .flat_map(|a| {
                            modes[next.idx()].iter().map(move |c| {
                                problem.transfer_time(a.machine, c.machine) + c.duration
                            })
                        })
                        .min()
                        .unwrap_or(0);
                    t += step;
                    o = next;
                }
                t
            })
            .min()
            .unwrap_or(0);
        let mut load = Expression::default();
        for &(o, d) in list {
            load += md.assign(o, m) * d as f64;
        }
        let name = format!("load_{}", bd.mach(m));
        bd.row(Expression::from(cmax).geq(load + head + tail as f64), name);
    }
    cmax
}

/// Job j's terms: flow time, tardiness T (`tardy_`), earliness E (`early_`), late U (`late_`).
fn job_terms(md: &Model, bd: &mut Builder, j: JobId, objective: &mut Expression, offset: &mut f64) {
    let w = md.problem.objective;
    let ji = j.idx();
    let job = md.problem.job(j);
    let wj = job.weight;
    if wj <= 0.0 {
        return;
    }
    let c = md.end_expr(job.last_op());
    let cname = clean(&job.id);
    if w.flow_time > 0.0 {
        *objective += c.clone() * (w.flow_time * wj);
        *offset -= w.flow_time * wj * job.release as f64;
    }
    let Some(due) = job.due else { return };
    let ub = md.b.completion_ub[ji];
    let lb = completion_lb(md, job);
    if w.weighted_tardiness > 0.0 && ub > due {
        let t = bd.col(
            Col::Tardiness(j),
            format!("T_{ji}_{cname}"),
            (lb - due).max(0) as f64,
            (ub - due) as f64,
            false,
        );
        objective.add_mul(w.weighted_tardiness * wj, t);
        bd.row(
            Expression::from(t).geq(c.clone() - due as f64),
            format!("tardy_{ji}_{cname}"),
        );
    }
    if w.earliness > 0.0 && lb < due {
        let e = bd.col(
            Col::Earliness(j),
            format!("E_{ji}_{cname}"),
            (due - ub).max(0) as f64,
            (due - lb) as f64,
            false,
        );
        objective.add_mul(w.earliness * wj, e);
        bd.row(
            Expression::from(e).geq(due as f64 - c.clone()),
            format!("early_{ji}_{cname}"),
        );
    }
    if w.late_jobs > 0.0 {
        if lb > due {
            *offset += w.late_jobs * wj; // late whatever we do
        } else if ub > due {
            let u = bd.col(Col::Late(j), format!("U_{ji}_{cname}"), 0.0, 1.0, true);
            objective.add_mul(w.late_jobs * wj, u);
            bd.row(
                c.clone()
                    .leq(Expression::from(u) * (ub - due) as f64 + due as f64),
                format!("late_{ji}_{cname}"),
            );
        }
    }
}

/// A schedule in the model's terms: assignment, per-machine order and times.
pub(crate) struct View {
    pub machine_of: Vec<MachineId>,
    /// Position of each operation on its machine.
    pub pos: Vec<usize>,
    /// The operation directly before each operation on its machine.
    pub prev: Vec<Option<OpId>>,
    pub start: Vec<Minute>,
    pub end: Vec<Minute>,
    pub completion: Vec<Minute>,
}

impl View {
    /// From a sequence and its decoded times.
    pub fn new(seq: &Sequence, start: &[Minute], end: &[Minute], completion: &[Minute]) -> View {
        let n = seq.machine_of.len();
        let mut pos = vec![0; n];
        let mut prev = vec![None; n];
        for order in &seq.order {
            for (k, &o) in order.iter().enumerate() {
                pos[o.idx()] = k;
                prev[o.idx()] = k.checked_sub(1).map(|q| order[q]);
            }
        }
        View {
            machine_of: seq.machine_of.clone(),
            pos,
            prev,
            start: start.to_vec(),
            end: end.to_vec(),
            completion: completion.to_vec(),
        }
    }
}

/// Relabels identical machines so that a sequence satisfies the symmetry-breaking rows: within
/// each group, machines are renamed in the order of the smallest operation each one runs.
pub(crate) fn relabel(seq: &Sequence, groups: &[Vec<MachineId>]) -> Sequence {
    let mut out = seq.clone();
    for g in groups {
        let mut by_first: Vec<(u32, MachineId)> = g
            .iter()
            .map(|&m| {
                let first = seq.order[m.idx()]
                    .iter()
                    .map(|o| o.0)
                    .min()
                    .unwrap_or(u32::MAX);
                (first, m)
            })
            .collect();
        by_first.sort();
        // The machine with the r-th smallest first operation becomes g[r].
        for (r, &(_, old)) in by_first.iter().enumerate() {
            let new = g[r];
            out.order[new.idx()] = seq.order[old.idx()].clone();
            for &o in &seq.order[old.idx()] {
                out.machine_of[o.idx()] = new;
            }
        }
    }
    out
}

/// The full column vector of a schedule (the warm start).
pub(crate) fn column_values(problem: &Problem, meta: &Meta, v: &View) -> Vec<f64> {
    let b = |x: bool| if x { 1.0 } else { 0.0 };
    meta.cols
        .iter()
        .map(|&c| match c {
            Col::Start(o) => v.start[o.idx()] as f64,
            Col::Piece(o, m, k) => {
                let (s, e) = (v.start[o.idx()], v.end[o.idx()]);
                let spec = meta.modes[o.idx()]
                    .iter()
                    .find(|x| x.machine == m)
                    .map(|x| x.pieces[k].spec);
                b(v.machine_of[o.idx()] == m
                    && spec.is_some_and(|p| p.lo <= s && s <= p.hi && s + p.length == e))
            }
            Col::Order(i, j) => {
                if v.machine_of[i.idx()] == v.machine_of[j.idx()] {
                    b(v.pos[i.idx()] < v.pos[j.idx()])
                } else {
                    b((v.start[i.idx()], i) < (v.start[j.idx()], j))
                }
            }
            Col::Succ(m, None, j) => b(v.machine_of[j.idx()] == m && v.pos[j.idx()] == 0),
            Col::Succ(m, Some(i), j) => b(v.machine_of[j.idx()] == m && v.prev[j.idx()] == Some(i)),
            Col::Rank(o) => v.pos[o.idx()] as f64,
            Col::Makespan => v.completion.iter().copied().max().unwrap_or(0) as f64,
            Col::Tardiness(j) => {
                let due = problem.job(j).due.unwrap_or(0);
                (v.completion[j.idx()] - due).max(0) as f64
            }
            Col::Earliness(j) => {
                let due = problem.job(j).due.unwrap_or(0);
                (due - v.completion[j.idx()]).max(0) as f64
            }
            Col::Late(j) => {
                let due = problem.job(j).due.unwrap_or(0);
                b(v.completion[j.idx()] > due)
            }
            Col::StartsAt(o, t) => b(v.start[o.idx()] == t),
            Col::Idle(t) => {
                // Minute t is idle if no operation runs in [t, t+1).
                let busy = (0..v.start.len()).any(|o| v.start[o] <= t && t < v.end[o]);
                b(!busy)
            }
        })
        .collect()
}

/// Rows a column vector violates (by more than `tol`), by name: a self-check of the model
/// against a known-valid schedule.
pub(crate) fn violated_rows(
    rows: &[Constraint],
    meta: &Meta,
    values: &[f64],
    tol: f64,
) -> Vec<String> {
    let names = &meta.row_names;
    use good_lp::IntoAffineExpression;
    let mut out = Vec::new();
    for (c, name) in rows.iter().zip(names) {
        let e = c.expression();
        let mut act = e.constant();
        for (var, coef) in e.linear_coefficients() {
            act += coef * meta.value(values, var);
        }
        // Normalised to `act <= 0` or `act == 0`.
        let bad = if c.is_equality() {
            act.abs() > tol
        } else {
            act > tol
        };
        if bad {
            out.push(format!("{name} (by {act})"));
        }
    }
    out
}

/// Column-bound check of a column vector (names of the columns out of bounds).
pub(crate) fn violated_bounds(
    vars: &ProblemVariables,
    meta: &Meta,
    values: &[f64],
    tol: f64,
) -> Vec<String> {
    vars.iter_variables_with_def()
        .filter(|(v, def)| {
            let x = meta.value(values, *v);
            x < def.get_min() - tol || x > def.get_max() + tol
        })
        .map(|(v, def)| {
            format!(
                "{} = {} not in [{}, {}]",
                meta.col_names[meta.index[&v]],
                meta.value(values, v),
                def.get_min(),
                def.get_max()
            )
        })
        .collect()
}
