"""Type stubs of the Rust extension ``takt._takt`` (the public API is in ``takt``)."""

from typing import Any, Dict, List, Optional, Tuple

__version__: str

class InputError(ValueError):
    """Bad input; the message is the CLI's text (``file:line:col: place: reason``, one line per
    problem). ``file``, ``place`` (YAML path), ``line``, ``column``, ``reason`` describe the first
    problem; ``errors`` lists every problem as dicts with those keys."""

    file: str
    place: str
    line: Optional[int]
    column: Optional[int]
    reason: str
    errors: List[Dict[str, Any]]

class SolveError(RuntimeError):
    """No schedule: none found, or the MIP proved the instance infeasible."""

class Instance:
    """A validated instance and the instance as written (typed); pickled as its JSON. Equal
    when written the same (as typed data), and then the same problem."""

    @property
    def name(self) -> str: ...
    @property
    def file(self) -> str: ...
    @property
    def text(self) -> str: ...
    def to_text(self, format: str = "json") -> str: ...
    @property
    def jobs(self) -> int: ...
    @property
    def operations(self) -> int: ...
    @property
    def machines(self) -> int: ...
    def summary(self) -> str: ...

ScheduleText = Tuple[str, str, str]

def _instance_from_text(text: str, format: str = "yaml", file: str = "<dict>") -> Instance: ...
def load_path(path: str) -> Instance: ...
def solve(
    instance: Instance,
    solver: str = "heuristic",
    time_limit: Optional[float] = None,
    iterations: Optional[int] = None,
    stall: Optional[int] = None,
    threads: int = 1,
    seed: int = 0,
) -> Dict[str, Any]: ...
def check(instance: Instance, schedule: ScheduleText) -> List[Dict[str, Any]]: ...
def read_schedule(instance: Instance, schedule: ScheduleText) -> List[Dict[str, Any]]: ...
def reschedule(
    instance: Instance,
    schedule: ScheduleText,
    events: str,
    now: str,
    events_file: Optional[str] = None,
    freeze: str = "8h",
    stability: float = 10.0,
    machine_change: Optional[float] = None,
    sequence_change: Optional[float] = None,
    only_affected: bool = False,
    time_limit: Optional[float] = None,
    iterations: Optional[int] = None,
    threads: int = 1,
    seed: int = 0,
) -> Dict[str, Any]: ...
def apply_scenario(
    instance: Instance,
    text: Optional[str] = None,
    path: Optional[str] = None,
    file: str = "<scenario>",
) -> Tuple[str, Instance]: ...
def report(
    instance: Instance,
    schedules: List[Tuple[str, ScheduleText]],
    html: Optional[str] = None,
    gantt: Optional[str] = None,
    color_by: str = "job",
) -> str: ...
def bench_set(set: str) -> List[Dict[str, Any]]: ...
