"""takt from Python: production scheduling with an exact MIP (HiGHS), a heuristic, an
independent referee and KPIs.

    import takt
    inst = takt.load("instances/examples/two-plant-demo.yaml")   # or a dict
    res = takt.solve(inst, iterations=20000, seed=1)
    assert takt.check(inst, res) == []
    res.to_dataframe()                                           # with pandas

Every function is a call into the Rust library that the ``takt`` command line uses, so results,
errors and messages are the CLI's. ``takt.distributed`` runs many solves (scenarios, seeds,
benchmark sets) as Ray tasks.
"""

from ._takt import Instance, InputError, SolveError, __version__
from ._records import Record, Result, Violation
from ._api import (
    Reschedule,
    ScenarioResult,
    apply_scenario,
    check,
    load,
    loads,
    read_schedule,
    report,
    reschedule,
    scenarios,
    solve,
)


def bench(set, **kwargs):
    """``takt bench`` from Python, run here one solve after the other (``ray=False``); see
    ``takt.distributed.bench`` for the arguments and for the same runs on Ray."""
    from .distributed import bench as _bench

    kwargs.setdefault("ray", False)
    return _bench(set, **kwargs)


__all__ = [
    "Instance",
    "InputError",
    "SolveError",
    "Record",
    "Result",
    "Violation",
    "Reschedule",
    "ScenarioResult",
    "apply_scenario",
    "bench",
    "check",
    "load",
    "loads",
    "read_schedule",
    "report",
    "reschedule",
    "scenarios",
    "solve",
    "__version__",
]
