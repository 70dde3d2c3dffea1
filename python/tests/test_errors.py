"""Bad input raises takt.InputError with the CLI's message, file, place and reason."""

import pytest
import takt

from conftest import ROOT, cli

BAD = sorted((ROOT / "tests" / "fixtures" / "bad").glob("*.yaml"))


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.stem)
def test_bad_instances_raise_the_cli_message(path):
    rel = path.relative_to(ROOT)
    with pytest.raises(takt.InputError) as info:
        takt.load(rel)
    e = info.value
    assert isinstance(e, ValueError)
    p = cli("check", rel, "whatever.yaml", check=False)
    assert p.returncode == 2
    assert str(e) == p.stderr.strip()
    assert e.file == str(rel)
    first = p.stderr.splitlines()[0]
    # file[:line:col]: place: reason -- the attributes are the parts of the first line.
    assert first.endswith(e.reason)
    if e.place:
        assert f": {e.place}: " in first
    if e.line is not None:
        assert first.startswith(f"{rel}:{e.line}:{e.column}: ")
    assert len(e.errors) == len(p.stderr.strip().splitlines())


def test_several_errors_are_all_reported():
    with pytest.raises(takt.InputError) as info:
        takt.load(ROOT / "tests" / "fixtures" / "bad" / "several-errors.yaml")
    places = [d["place"] for d in info.value.errors]
    assert "machines[1].plant" in places and "jobs[2].id" in places
    assert len(places) >= 5


def test_a_dict_names_the_place_but_not_a_json_position():
    bad = {
        "name": "x",
        "horizon": {"start": "2026-11-23T06:00"},
        "plants": [{"id": "p"}],
        "machines": [{"id": "A", "plant": "p"}],
        "jobs": [{"id": "J", "operations": [{"id": "o", "machines": {"B": 30}}]}],
    }
    with pytest.raises(takt.InputError) as info:
        takt.load(bad)
    e = info.value
    assert (e.file, e.place, e.line) == ("<dict>", "jobs[0].operations[0].machines.B", None)
    assert "unknown machine `B`" in e.reason
    assert str(e).startswith("<dict>: jobs[0].operations[0].machines.B: unknown machine `B`")


def test_bad_schedule_records_name_the_row():
    inst = takt.load(ROOT / "instances" / "examples" / "job-shop-basics.yaml")
    res = takt.solve(inst, solver="dispatch")
    rows = res.to_records()
    rows[1]["job"] = "NO-SUCH-JOB"
    with pytest.raises(takt.InputError) as info:
        takt.check(inst, rows)
    assert info.value.place == "operations[1].job"
    assert "unknown job `NO-SUCH-JOB`" in info.value.reason


def test_bad_arguments_and_missing_files():
    inst = takt.load(ROOT / "instances" / "examples" / "job-shop-basics.yaml")
    with pytest.raises(takt.InputError, match="unknown solver `tabu`"):
        takt.solve(inst, solver="tabu")
    with pytest.raises(takt.InputError) as info:
        takt.load("no/such/instance.yaml")
    assert info.value.file == "no/such/instance.yaml" and "cannot read" in info.value.reason


def test_a_bad_scenario_names_its_place():
    base = ROOT / "tests" / "fixtures" / "scenarios" / "base.yaml"
    with pytest.raises(takt.InputError) as info:
        takt.apply_scenario(base, {"name": "x", "changes": [{"remove_machine": "NOPE"}]})
    assert info.value.file == "<scenario>"
    assert info.value.place.startswith("changes[0]")


def test_the_mip_refuses_what_it_cannot_model():
    inst = takt.load(ROOT / "instances" / "examples" / "operators-and-molds.yaml")
    with pytest.raises(takt.InputError, match="the MIP cannot model this instance"):
        takt.solve(inst, solver="mip", time_limit=2)
    # `auto` falls back to the search and says why; the others have nothing to say.
    res = takt.solve(inst, solver="auto", iterations=300, seed=0)
    assert takt.check(inst, res) == []
    assert len(res.notes) == 1 and "MIP not used" in res.notes[0]
    # No MIP bound, but the certified one, never above the objective.
    assert res.bound is not None and res.bound <= res.objective + 1e-6
    assert takt.solve(inst, iterations=300, seed=0).notes == []


TIGHT = {
    "name": "tight",
    "horizon": {"start": "2026-11-23T06:00"},
    "plants": [{"id": "p"}],
    "machines": [{"id": "A", "plant": "p"}],
    "jobs": [{"id": "J", "deadline": "2026-11-23T07:00", "operations": [{"id": "o", "machines": {"A": "2h"}}]}],
}


def test_an_impossible_deadline_is_proven_by_the_mip():
    with pytest.raises(takt.SolveError, match="infeasible \\(proven by the MIP\\).*deadline"):
        takt.solve(TIGHT, solver="mip", time_limit=5)


def test_the_heuristic_returns_a_plan_that_misses_the_deadline_and_says_so():
    inst = takt.load(TIGHT)
    res = takt.solve(inst, iterations=100)
    assert (res.status, res.feasible) == ("deadlines-missed", False)
    assert [(v.rule, v.job, v.amount) for v in takt.check(inst, res)] == [("deadline", "J", 60)]
