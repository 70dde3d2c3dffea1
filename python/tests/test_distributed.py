"""Fan-out on Ray: the same results as the serial runs for the same seeds and iterations."""

import takt
import takt.distributed as td

from conftest import ROOT

BASE = ROOT / "tests" / "fixtures" / "scenarios" / "base.yaml"
SCENARIOS = [
    ROOT / "tests" / "fixtures" / "scenarios" / "saturday-south.yaml",
    ROOT / "tests" / "fixtures" / "scenarios" / "extra-cnc-alu-south.yaml",
    {"name": "paint-two-shift", "changes": [{"set_calendar": {"machine": "S-PAINT", "calendar": "two-shift"}}]},
    {"name": "second-paint", "changes": [{"add_machine": {"id": "S-PAINT2", "like": "S-PAINT"}}]},
    {"name": "cnc-two-shift", "changes": [{"set_calendar": {"machine": "S-CNC1", "calendar": "two-shift"}}]},
    {"name": "weekend-south", "changes": [{"add_shift": {"plant": "south", "days": ["sat", "sun"], "from": "06:00", "to": "14:00"}}]},
    {"name": "overtime-day", "changes": [{"add_overtime": {"calendar": "day", "from": "2026-11-23T14:00", "to": "2026-11-23T20:00"}}]},
]
OPTS = dict(iterations=3000, seed=11)


def test_scenarios_on_ray_equal_the_serial_runs(ray_local):
    serial = takt.scenarios(BASE, SCENARIOS, **OPTS)
    fanned = td.scenarios(BASE, SCENARIOS, **OPTS)
    assert len(fanned) == len(SCENARIOS) + 1 >= 7
    assert [c.name for c in fanned] == [c.name for c in serial]
    assert fanned[0].name == "base" and fanned[1].name == "saturday-south"
    for s, f in zip(serial, fanned):
        assert f.result.same_as(s.result), s.name
        assert takt.check(f.instance, f.result) == []
    # The scenarios change something: not every column has the base's objective.
    assert len({c.result.objective for c in serial}) > 1


def test_two_threads_per_task_on_ray_equal_the_serial_run(ray_local):
    inst = takt.load(BASE)
    tasks = [td.Task(inst, seed=s, iterations=2000, threads=2) for s in range(3)]
    fanned = td.solve_many(tasks)
    serial = td.solve_many(tasks, ray=False)
    assert all(f.same_as(s) for f, s in zip(fanned, serial))


def test_bench_on_ray_equals_serial_with_gaps_to_best_known(ray_local, tmp_path):
    jssp = ROOT / "instances" / "shared" / "benchmarks" / "jssp"
    listing = tmp_path / "small.txt"
    listing.write_text(f"{jssp / 'ft06.txt'}\n{jssp / 'la01.txt'}\n")
    fanned = td.bench(str(listing), seeds=2, iterations=1500)
    serial = takt.bench(str(listing), seeds=2, iterations=1500)
    assert [(r.instance, r.seed) for r in fanned.runs] == [("ft06", 0), ("ft06", 1), ("la01", 0), ("la01", 1)]
    for f, s in zip(fanned.runs, serial.runs):
        assert f.result.same_as(s.result) and f.valid
        # ft06 (55) and la01 (666) are proven optima: no run beats them.
        assert f.best_known in (55.0, 666.0) and f.gap_pct >= 0
        assert f.gap_pct == 100 * (f.objective - f.best_known) / f.best_known
    rows = fanned.summary()
    assert [r["instance"] for r in rows] == ["ft06", "la01"] and all(r["valid"] for r in rows)
