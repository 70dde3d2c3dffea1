"""Many solves at once on Ray: one Ray task per solve, each asking for as many CPUs as it runs
search threads, on whatever cluster ``ray.init()`` connects to (a local one by default; see
README, "From Python", for a cluster: ``ray.init(address=...)`` or ``RAY_ADDRESS``).

Every solve runs the same function (``run``) as the serial path, on an instance that travels as
its JSON (the instance as written) and is validated again on the worker, so with an iteration limit and a seed a result is
identical to the serial run's, wherever it ran. (With only a time limit, results depend on the
worker's speed, as they do on one machine.)
"""

from __future__ import annotations

import datetime as _dt
import statistics
from dataclasses import asdict, dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Union

from . import _api, _takt
from ._records import Result
from ._takt import Instance


@dataclass(frozen=True)
class Task:
    """One solve: an instance (a scenario already applied), its seed and the solver's limits.
    ``label`` is free text that comes back with the result (scenario name, run id)."""

    instance: Instance
    seed: int = 0
    solver: str = "heuristic"
    time_limit: Optional[float] = None
    iterations: Optional[int] = None
    threads: int = 1
    label: str = ""


def run(task: Task) -> Result:
    """Runs one task in this process (what every Ray task runs)."""
    return _api.solve(
        task.instance,
        solver=task.solver,
        time_limit=task.time_limit,
        iterations=task.iterations,
        threads=task.threads,
        seed=task.seed,
    )


def solve_many(tasks: Sequence[Task], *, ray: bool = True) -> List[Result]:
    """Runs every task and returns the results in the order of ``tasks``.

    With ``ray=True`` each task is a Ray task with ``num_cpus=task.threads`` (Ray schedules as
    many at once as the cluster has CPUs); Ray is started locally if ``ray.init()`` was not
    called. With ``ray=False`` they run here, one after the other.
    """
    tasks = list(tasks)
    if not ray:
        return [run(t) for t in tasks]
    import ray as _ray

    if not _ray.is_initialized():
        _ray.init()
    remote = _ray.remote(run)
    refs = [remote.options(num_cpus=max(1, t.threads)).remote(t) for t in tasks]
    return _ray.get(refs)


def _limit(time_limit: Union[None, float, _dt.timedelta]) -> Optional[float]:
    if isinstance(time_limit, _dt.timedelta):
        return time_limit.total_seconds()
    return time_limit


def scenarios(
    instance: _api.InstanceLike,
    scenarios: Sequence[_api.ScenarioLike],
    *,
    solver: str = "heuristic",
    time_limit: Union[None, float, _dt.timedelta] = None,
    iterations: Optional[int] = None,
    threads: int = 1,
    seed: int = 0,
    ray: bool = True,
) -> List[_api.ScenarioResult]:
    """``takt.scenarios`` with one Ray task per column: the base and every scenario solved with
    the same solver, seed and limits; base first. Scenarios are read and applied here (every
    input error before any solving; files need not exist on the workers)."""
    columns = _api._scenario_instances(instance, scenarios)
    tasks = [
        Task(inst, seed, solver, _limit(time_limit), iterations, threads, name)
        for name, inst in columns
    ]
    results = solve_many(tasks, ray=ray)
    return [_api.ScenarioResult(t.label, t.instance, r) for t, r in zip(tasks, results)]


@dataclass
class BenchRun:
    """One (instance, seed) run of a benchmark: objective, best-known value and the gap to it
    (percent; ``None`` without a best-known value), status, and whether the referee accepts it."""

    instance: str
    family: str
    subset: str
    seed: int
    objective: float
    best_known: Optional[float]
    gap_pct: Optional[float]
    status: str
    valid: bool
    seconds: Optional[float]
    result: Result = field(repr=False)


@dataclass
class BenchReport:
    """What ``bench`` returns: every run, and per instance the median gap."""

    runs: List[BenchRun]

    def summary(self) -> List[Dict[str, Any]]:
        """Per instance: best-known value, median and best objective over the seeds, median gap,
        and whether every run was valid."""
        out: Dict[str, Dict[str, Any]] = {}
        for r in self.runs:
            row = out.setdefault(
                r.instance,
                {"instance": r.instance, "family": r.family, "best_known": r.best_known,
                 "objectives": [], "valid": True},
            )
            row["objectives"].append(r.objective)
            row["valid"] &= r.valid
        rows = []
        for row in out.values():
            objs = row.pop("objectives")
            row["median"] = statistics.median(objs)
            row["best"] = min(objs)
            row["gap_pct"] = gap_pct(row["median"], row["best_known"])
            rows.append(row)
        return rows

    def to_dataframe(self) -> Any:
        """The runs as a pandas DataFrame (needs pandas)."""
        import pandas as pd

        return pd.DataFrame([{k: v for k, v in asdict(r).items() if k != "result"} for r in self.runs])


def gap_pct(value: float, best_known: Optional[float]) -> Optional[float]:
    """``100 × (value − best) / best``, as ``takt bench``: 0 when both are 0, ``None`` when the
    best is 0 and the value is not, or when there is no best-known value."""
    if best_known is None:
        return None
    if best_known > 0:
        return 100.0 * (value - best_known) / best_known
    return 0.0 if value <= best_known + 1e-9 else None


def bench(
    set: str,
    *,
    seeds: Union[int, Sequence[int]] = 3,
    solver: str = "heuristic",
    time_limit: Union[None, float, _dt.timedelta] = None,
    iterations: Optional[int] = None,
    threads: int = 1,
    ray: bool = True,
) -> BenchReport:
    """``takt bench`` from Python: every instance of ``set`` (a directory, a family ``jssp`` /
    ``fjsp`` / ``smwt``, or a list file, as ``takt bench SET``) times every seed, one Ray task per
    run; the gap of each run to the best-known value, and each schedule through the referee."""
    seed_list = list(range(seeds)) if isinstance(seeds, int) else list(seeds)
    entries = _takt.bench_set(set)
    tasks, meta = [], []
    for e in entries:
        for s in seed_list:
            tasks.append(Task(e["instance"], s, solver, _limit(time_limit), iterations, threads, e["name"]))
            meta.append(e)
    results = solve_many(tasks, ray=ray)
    runs = []
    for t, e, r in zip(tasks, meta, results):
        bks = e["best_known"]
        best = None if bks is None else float(bks["upper_bound"])
        runs.append(
            BenchRun(
                instance=e["name"],
                family=e["family"],
                subset=e["subset"],
                seed=t.seed,
                objective=r.objective,
                best_known=best,
                gap_pct=gap_pct(r.objective, best),
                status=r.status,
                valid=not _api.check(t.instance, r),
                seconds=r.seconds,
                result=r,
            )
        )
    return BenchReport(runs)
