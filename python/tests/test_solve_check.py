"""Solve -> check round trip on every shipped example; records, files and DataFrames."""

import dataclasses

import pytest
import takt

from conftest import EXAMPLES, cli


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_solves_and_the_referee_accepts(path):
    inst = takt.load(path)
    res = takt.solve(inst, iterations=3000, seed=1)
    assert takt.check(inst, res) == []
    assert len(res.schedule) == inst.operations
    assert res.status in ("feasible", "deadlines-missed", "optimal (bound met)")
    # Every result carries the certified bound; "optimal" only when the objective meets it.
    assert res.bound is not None and res.bound <= res.objective + 1e-6
    if res.status == "optimal (bound met)":
        assert res.objective == pytest.approx(res.bound)
    assert res.objective == pytest.approx(res.kpis["objective"])
    # The records read back as the same schedule (names resolve, times kept).
    assert takt.read_schedule(inst, res) == res.schedule


@pytest.mark.parametrize("solver", ["dispatch", "mip", "auto"])
def test_other_solvers_round_trip(solver):
    inst = takt.load(EXAMPLES[0].parent / "job-shop-basics.yaml")
    res = takt.solve(inst, solver=solver, time_limit=5, iterations=500, seed=0)
    assert takt.check(inst, res) == []
    if solver in ("mip", "auto"):
        assert res.bound is not None and res.gap is not None
        assert res.bound <= res.objective + 1e-6


def test_the_referee_names_what_a_changed_schedule_breaks():
    inst = takt.load(EXAMPLES[0].parent / "job-shop-basics.yaml")
    res = takt.solve(inst, solver="dispatch")
    # Move the last operation of the first job before its predecessor ends.
    rows = [r.to_dict() for r in res.schedule]
    first = rows[0]["job"]
    ops = sorted((r for r in rows if r["job"] == first), key=lambda r: r["start"])
    last = ops[-1]
    length = last["end"] - last["start"]
    last["start"] = ops[0]["start"]
    last["end"] = last["start"] + length
    last.pop("setup_start", None)
    last.pop("setup_end", None)
    violations = takt.check(inst, rows)
    assert violations, "an operation moved before its predecessor must break a rule"
    prec = [v for v in violations if v.rule == "precedence"]
    assert prec and prec[0].job == first and prec[0].operation == last["operation"]
    assert prec[0].machine == last["machine"] and prec[0].amount > 0


def test_schedule_files_and_dataframes_are_accepted(tmp_path):
    path = EXAMPLES[0].parent / "paint-shop-changeovers.yaml"
    inst = takt.load(path)
    out = tmp_path / "plan.csv"
    cli("solve", path, "--iterations", 500, "--seed", 3, "--quiet", "-o", out)
    assert takt.check(inst, out) == []
    res = takt.solve(inst, iterations=500, seed=3)
    df = res.to_dataframe()
    assert list(df.columns) == [f.name for f in dataclasses.fields(takt.Record)]
    assert len(df) == len(res.schedule)
    assert takt.check(inst, df) == []
    # The CLI's file and the Python result are the same schedule.
    assert takt.read_schedule(inst, out) == res.schedule


def test_instances_from_dicts_and_pickles():
    import datetime as dt
    import pickle

    data = {
        "name": "from-python",
        "horizon": {"start": dt.datetime(2026, 11, 23, 6, 0)},
        "plants": [{"id": "p"}],
        "machines": [{"id": "A", "plant": "p"}, {"id": "B", "plant": "p"}],
        "jobs": [
            {"id": "J1", "due": dt.datetime(2026, 11, 23, 8, 0),
             "operations": [{"id": "o1", "machines": {"A": dt.timedelta(hours=1)}},
                            {"id": "o2", "machines": {"B": 30}}]},
            {"id": "J2", "operations": [{"id": "o1", "machines": ["A", "B"], "duration": "45m"}]},
        ],
    }
    inst = takt.load(data)
    assert (inst.name, inst.jobs, inst.operations, inst.file) == ("from-python", 2, 3, "<dict>")
    res = takt.solve(inst, iterations=200, seed=0)
    assert takt.check(inst, res) == []
    again = pickle.loads(pickle.dumps(inst))
    assert takt.solve(again, iterations=200, seed=0).same_as(res)
