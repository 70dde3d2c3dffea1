"""Schedules, results and violations as plain Python data (dataclasses: picklable, so they travel
back from Ray workers unchanged)."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

from ._text import to_text


@dataclass(frozen=True)
class Record:
    """One operation of a schedule: the columns of a schedule file.

    Instants are minutes from the horizon start (``start``, ``end``, ``setup_start`` and
    ``setup_end`` of the changeover before it, if any) and the same instants as ISO datetimes
    (``*_time``). ``resources`` / ``changeover_resources`` name the secondary resources chosen,
    ``;``-separated, where the instance has requirements with a choice.
    """

    job: str
    operation: str
    machine: str
    start: int
    end: int
    setup_start: Optional[int] = None
    setup_end: Optional[int] = None
    start_time: Optional[str] = None
    end_time: Optional[str] = None
    setup_start_time: Optional[str] = None
    resources: Optional[str] = None
    changeover_resources: Optional[str] = None

    def to_dict(self) -> Dict[str, Any]:
        """The record as a dict, without absent fields (a row of a schedule file)."""
        return {k: v for k, v in dataclasses.asdict(self).items() if v is not None}


@dataclass(frozen=True)
class Violation:
    """A rule the referee finds broken (see ``takt check``).

    ``rule`` is its stable code (``overlap``, ``precedence``, ``deadline``, ...); ``job``,
    ``operation`` and ``machine`` name the operation at fault where there is one; ``amount`` is
    by how much (minutes for timing rules, units over capacity, the stock shortage).
    """

    rule: str
    message: str
    job: Optional[str] = None
    operation: Optional[str] = None
    machine: Optional[str] = None
    amount: Optional[int] = None

    def __str__(self) -> str:
        return f"[{self.rule}] {self.message}"


@dataclass
class Result:
    """A solved schedule with its objective, terms, KPIs and proof status.

    ``status`` is ``optimal`` only with a proof (MIP), else ``feasible``, ``time-limit``,
    ``deadlines-missed``, ...; ``bound`` and ``gap`` come from the MIP (``None`` for the
    heuristic). ``terms`` are the objective's terms with a non-zero weight; ``kpis`` the flat KPI
    dict of ``takt report --json``. ``interrupted`` is true when Ctrl-C stopped the search (the
    result is the best found until then). ``notes`` say why a solver the choice names was not
    used (``auto`` on an instance the MIP cannot model, or when the MIP fails).
    """

    schedule: List[Record]
    objective: float
    terms: Dict[str, float]
    kpis: Dict[str, Any]
    status: str
    solver: str
    feasible: bool
    bound: Optional[float] = None
    gap: Optional[float] = None
    seconds: Optional[float] = None
    interrupted: bool = False
    instance: str = ""
    notes: List[str] = field(default_factory=list)

    @classmethod
    def _from_answer(cls, d: Mapping[str, Any]) -> "Result":
        return cls(
            schedule=[Record(**r) for r in d["schedule"]],
            objective=d["objective"],
            terms=dict(d["terms"]),
            kpis=dict(d["kpis"]),
            status=d["status"],
            solver=d["solver"],
            feasible=d["feasible"],
            bound=d["bound"],
            gap=d["gap"],
            seconds=d["seconds"],
            interrupted=d["interrupted"],
            instance=d["instance"],
            notes=list(d.get("notes", [])),
        )

    def same_as(self, other: "Result") -> bool:
        """Same schedule, objective, terms and status (everything but the wall time)."""
        return (
            self.schedule == other.schedule
            and self.objective == other.objective
            and self.terms == other.terms
            and self.status == other.status
        )

    def to_records(self) -> List[Dict[str, Any]]:
        """The schedule as a list of dicts (rows of a schedule file)."""
        return [r.to_dict() for r in self.schedule]

    def to_dataframe(self) -> "Any":
        """The schedule as a pandas DataFrame, one row per operation (needs pandas)."""
        try:
            import pandas as pd
        except ImportError as e:  # pragma: no cover - depends on the environment
            raise ImportError("Result.to_dataframe() needs pandas: pip install pandas") from e
        cols = [f.name for f in dataclasses.fields(Record)]
        return pd.DataFrame([dataclasses.asdict(r) for r in self.schedule], columns=cols)

    @property
    def dataframe(self) -> "Any":
        """``to_dataframe()``."""
        return self.to_dataframe()

    def __repr__(self) -> str:
        return (
            f"<takt.Result {self.instance}: objective {self.objective:g}, status {self.status}, "
            f"{len(self.schedule)} operations, solver {self.solver}>"
        )


ScheduleLike = Union[Result, Sequence[Union[Record, Mapping[str, Any]]], str, "os.PathLike[str]"]


def schedule_text(schedule: Any, name: str = "<schedule>") -> Tuple[str, str, str]:
    """``(text, format, file)`` of a schedule argument: a ``Result``, a list of records (or
    dicts with the same keys), or the path of a schedule file (.yaml, .yml, .json, .csv)."""
    if isinstance(schedule, Result):
        schedule = schedule.schedule
    if isinstance(schedule, (str, os.PathLike)):
        path = os.fspath(schedule)
        ext = os.path.splitext(path)[1].lower()
        fmt = {".csv": "csv", ".json": "json"}.get(ext, "yaml")
        with open(path, encoding="utf-8") as f:
            return f.read(), fmt, path
    if hasattr(schedule, "to_dict") and hasattr(schedule, "columns"):  # a pandas DataFrame
        schedule = schedule.to_dict("records")
    rows = []
    for r in schedule:
        if isinstance(r, Record):
            rows.append(r.to_dict())
        elif isinstance(r, Mapping):
            rows.append({k: v for k, v in r.items() if v is not None})
        else:
            raise TypeError(f"a schedule is a list of takt.Record or dicts, not {type(r).__name__}")
    file = name if name.startswith("<") else f"<schedule {name}>"
    return to_text({"operations": rows}), "json", file
