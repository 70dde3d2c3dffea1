"""The functions of ``takt``: each a call into the Rust library (``takt._takt``)."""

from __future__ import annotations

import datetime as _dt
import json
import os
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Sequence, Union

from . import _takt
from ._records import Record, Result, ScheduleLike, Violation, schedule_text
from ._takt import Instance
from ._text import to_text

PathLike = Union[str, "os.PathLike[str]"]
InstanceLike = Union[Instance, PathLike, Mapping[str, Any]]


def load(source: InstanceLike) -> Instance:
    """An instance from a file path or a dict.

    A path is takt YAML (``.yaml``/``.yml``), takt JSON (``.json``) or a benchmark file (``.txt``
    job shop, ``.fjs``, ``wt40.txt#3``). A dict has the structure of the YAML file (the JSON
    Schema ``schema/instance.schema.json``); datetimes may be ``datetime`` objects and durations
    ``timedelta`` objects. Raises ``takt.InputError`` naming the file
    (``<dict>`` for a dict), the place and what is wrong, like the CLI.
    """
    if isinstance(source, Instance):
        return source
    if isinstance(source, (str, os.PathLike)):
        return _takt.load_path(os.fspath(source))
    if isinstance(source, Mapping):
        return _takt._instance_from_text(to_text(dict(source)), "json", "<dict>")
    raise TypeError(f"takt.load takes a path or a dict, not {type(source).__name__}")


def loads(text: str, file: str = "<text>", format: Optional[str] = None) -> Instance:
    """An instance from ``yaml`` or ``json`` text; ``file`` names it in errors. Without
    ``format``, text starting with ``{`` is JSON, anything else YAML."""
    if format is None:
        format = "json" if text.lstrip().startswith("{") else "yaml"
    return _takt._instance_from_text(text, format, file)


def _seconds(limit: Union[None, float, int, _dt.timedelta]) -> Optional[float]:
    if isinstance(limit, _dt.timedelta):
        return limit.total_seconds()
    return None if limit is None else float(limit)


def solve(
    instance: InstanceLike,
    *,
    solver: str = "heuristic",
    time_limit: Union[None, float, _dt.timedelta] = None,
    iterations: Optional[int] = None,
    threads: int = 1,
    seed: int = 0,
    stall: Optional[int] = None,
) -> Result:
    """Solves an instance, like ``takt solve``.

    ``solver``: ``heuristic`` (dispatching rules, then tabu search), ``dispatch`` (rules only),
    ``mip`` (the exact model in HiGHS: bound, gap, ``optimal`` only with a proof) or ``auto``
    (search, then the MIP from its schedule). ``time_limit`` in seconds; ``iterations`` over all
    threads: with a seed, the result is reproducible whatever the thread timing (and equals the
    CLI's ``--iterations N --seed S``). Without either limit: at most 10 s, less when the search
    stops improving (``stall`` iterations without improvement, default 200 000).

    The GIL is released while solving. Ctrl-C stops the search, which returns its best schedule
    (``Result.interrupted`` is then true); the MIP runs to its time limit.
    """
    inst = load(instance)
    answer = _takt.solve(
        inst,
        solver=solver,
        time_limit=_seconds(time_limit),
        iterations=iterations,
        stall=stall,
        threads=threads,
        seed=seed,
    )
    return Result._from_answer(answer)


def check(instance: InstanceLike, schedule: ScheduleLike) -> List[Violation]:
    """The referee: every rule ``schedule`` breaks (empty when it is valid), like ``takt check``.

    ``schedule`` is a ``Result``, a list of ``Record`` (or dicts with the same keys: job,
    operation, machine, start, end, and setup_start where a changeover is due), a DataFrame of
    those columns, or a schedule file (.yaml, .csv).
    """
    inst = load(instance)
    return [Violation(**v) for v in _takt.check(inst, schedule_text(schedule))]


def read_schedule(instance: InstanceLike, schedule: ScheduleLike) -> List[Record]:
    """A schedule (file, records, DataFrame) read against the instance, as records."""
    inst = load(instance)
    return [Record(**r) for r in _takt.read_schedule(inst, schedule_text(schedule))]


def _instant(t: Union[str, int, _dt.datetime]) -> str:
    if isinstance(t, _dt.datetime):
        return t.replace(tzinfo=None).isoformat(timespec="minutes")
    return str(t)


def _minutes(d: Union[str, int, _dt.timedelta]) -> str:
    if isinstance(d, _dt.timedelta):
        return str(int(d.total_seconds() // 60))
    return str(d)


@dataclass
class Reschedule:
    """What ``takt.reschedule`` returns: the new plan (``result``, whose objective includes the
    stability term), the right-shift repair, the change report (``changes``: counts, ``report``
    text and per-operation ``csv``), the jobs missing a hard deadline, and the patched instance
    (events applied, started and frozen operations pinned) that ``takt.check`` judges the new
    plan against."""

    result: Result
    right_shift: Result
    changes: Dict[str, Any]
    deadline_misses: List[str]
    iterations: int
    instance: Instance


def reschedule(
    instance: InstanceLike,
    schedule: ScheduleLike,
    events: Union[PathLike, Mapping[str, Any]],
    now: Union[str, int, _dt.datetime],
    *,
    freeze: Union[str, int, _dt.timedelta] = "8h",
    stability: float = 10.0,
    machine_change: Optional[float] = None,
    sequence_change: Optional[float] = None,
    only_affected: bool = False,
    time_limit: Union[None, float, _dt.timedelta] = None,
    iterations: Optional[int] = None,
    threads: int = 1,
    seed: int = 0,
) -> Reschedule:
    """Repairs a plan after disruptions, like ``takt reschedule`` (README, "Rescheduling").

    ``events`` is an events file or a dict ``{"events": [...]}``; ``now`` an ISO datetime,
    ``datetime`` or minutes; ``freeze`` minutes, a ``timedelta`` or text such as ``8h``.
    Without limits the repair takes at most 4 s. Ctrl-C stops the search with the best so far.
    """
    inst = load(instance)
    if isinstance(events, (str, os.PathLike)):
        events_text, events_file = "", os.fspath(events)
    else:
        events_text, events_file = to_text(dict(events)), None
    d = _takt.reschedule(
        inst,
        schedule_text(schedule),
        events_text,
        _instant(now),
        events_file=events_file,
        freeze=_minutes(freeze),
        stability=stability,
        machine_change=machine_change,
        sequence_change=sequence_change,
        only_affected=only_affected,
        time_limit=_seconds(time_limit),
        iterations=iterations,
        threads=threads,
        seed=seed,
    )
    return Reschedule(
        result=Result._from_answer(d["result"]),
        right_shift=Result._from_answer(d["right_shift"]),
        changes=dict(d["changes"]),
        deadline_misses=list(d["deadline_misses"]),
        iterations=d["iterations"],
        instance=d["instance"],
    )


ScenarioLike = Union[PathLike, Mapping[str, Any]]


def apply_scenario(instance: InstanceLike, scenario: ScenarioLike) -> "tuple[str, Instance]":
    """``(name, patched instance)``: a what-if scenario (file or dict ``{"name", "changes"}``,
    README "Rescheduling and scenarios") applied to the instance."""
    inst = load(instance)
    if isinstance(scenario, (str, os.PathLike)):
        path = os.fspath(scenario)
        return _takt.apply_scenario(inst, path=path)
    # A scenario without a name is called `scenario` (a file: its stem).
    data = dict(scenario)
    data.setdefault("name", "scenario")
    return _takt.apply_scenario(inst, text=to_text(data), file="<scenario>")


@dataclass
class ScenarioResult:
    """One column of ``takt.scenarios``: the scenario's name (``base`` for the instance as it
    is), the patched instance and its result."""

    name: str
    instance: Instance
    result: Result


def _scenario_instances(instance: InstanceLike, scenarios: Sequence[ScenarioLike]):
    base = load(instance)
    # Every scenario is read and applied before any solving: all input errors first.
    return [("base", base)] + [apply_scenario(base, s) for s in scenarios]


def scenarios(
    instance: InstanceLike,
    scenarios: Sequence[ScenarioLike],
    *,
    solver: str = "heuristic",
    time_limit: Union[None, float, _dt.timedelta] = None,
    iterations: Optional[int] = None,
    threads: int = 1,
    seed: int = 0,
) -> List[ScenarioResult]:
    """What-if scenarios, like ``takt scenarios``: solves the instance and each patched copy with
    the same solver, seed and limits, one after the other; base first. For many scenarios on
    several cores or machines, ``takt.distributed.scenarios`` runs the same solves on Ray."""
    columns = _scenario_instances(instance, scenarios)
    opts = dict(solver=solver, time_limit=time_limit, iterations=iterations, threads=threads, seed=seed)
    return [ScenarioResult(name, inst, solve(inst, **opts)) for name, inst in columns]


def report(
    instance: InstanceLike,
    schedules: Union[ScheduleLike, Sequence[ScheduleLike], Mapping[str, ScheduleLike]],
    *,
    labels: Optional[Sequence[str]] = None,
    html: Optional[PathLike] = None,
    gantt: Optional[PathLike] = None,
    color_by: str = "job",
) -> Dict[str, Any]:
    """KPIs of one or more schedules side by side, like ``takt report --json`` (its JSON, as a
    dict); writes a self-contained HTML report to ``html`` and Gantt SVGs to ``gantt`` when
    given. ``schedules``: one schedule, a list, or a dict ``{label: schedule}``."""
    inst = load(instance)
    if isinstance(schedules, Mapping):
        labels, items = list(schedules.keys()), list(schedules.values())
    elif (
        isinstance(schedules, (Result, str, os.PathLike))
        or hasattr(schedules, "columns")  # one DataFrame
        or (isinstance(schedules, Sequence) and schedules and isinstance(schedules[0], (Record, Mapping)))
    ):
        items = [schedules]
    else:
        items = list(schedules)
    if labels is None:
        labels = [
            os.path.basename(os.fspath(s)) if isinstance(s, (str, os.PathLike)) else f"schedule {i + 1}"
            for i, s in enumerate(items)
        ]
    if len(labels) != len(items):
        raise ValueError(f"{len(labels)} label(s) for {len(items)} schedule(s)")
    pairs = [(str(l), schedule_text(s, str(l))) for l, s in zip(labels, items)]
    text = _takt.report(
        inst,
        pairs,
        html=None if html is None else os.fspath(html),
        gantt=None if gantt is None else os.fspath(gantt),
        color_by=color_by,
    )
    return json.loads(text)
