"""Rescheduling and reports from Python give what the CLI gives."""

import pytest
import takt

from conftest import ROOT, cli, cli_objective

DEMO = "instances/examples/two-plant-demo.yaml"
EVENTS = "instances/examples/events/two-plant-demo-breakdown.yaml"
NOW = "2026-11-23T07:00"


def test_reschedule_matches_the_cli(tmp_path):
    plan = tmp_path / "plan.yaml"
    cli("solve", DEMO, "--iterations", 1000, "--seed", 1, "--quiet", "-o", plan)
    new, patched = tmp_path / "new.yaml", tmp_path / "patched.yaml"
    p = cli("reschedule", DEMO, plan, EVENTS, "--now", NOW, "--iterations", 2000, "--seed", 1,
            "--quiet", "-o", new, "--write-instance", patched, check=False)
    assert p.returncode in (0, 1), p.stderr  # 1: a hard deadline missed, still a plan
    r = takt.reschedule(ROOT / DEMO, plan, ROOT / EVENTS, NOW, iterations=2000, seed=1)
    assert takt.check(r.instance, r.result) == []
    # The same new plan, judged against the same patched instance.
    assert takt.read_schedule(r.instance, new) == r.result.schedule
    assert takt.check(patched, new) == []
    assert takt.load(patched).summary() == r.instance.summary()
    mine = takt.report(r.instance, r.result)["schedules"][0]["kpis"]["objective"]
    assert mine == cli_objective(patched, new)
    # The new plan's objective is the instance objective plus the stability term.
    assert r.result.objective == pytest.approx(mine + r.result.terms["stability"])
    assert r.changes["kept"] >= 1 and "csv" in r.changes


def test_reschedule_with_events_as_a_dict():
    inst = takt.load(ROOT / DEMO)
    plan = takt.solve(inst, iterations=500, seed=0)
    events = {"events": [{"breakdown": {"machine": "S-PAINT", "from": NOW, "repair": "4h"}}]}
    r = takt.reschedule(inst, plan, events, NOW, iterations=500, seed=0)
    assert takt.check(r.instance, r.result) == []
    bad = {"events": [{"breakdown": {"machine": "NOPE", "from": NOW, "repair": "4h"}}]}
    try:
        takt.reschedule(inst, plan, bad, NOW, iterations=100)
    except takt.InputError as e:
        assert e.file == "<events>" and "NOPE" in str(e)
    else:
        raise AssertionError("an unknown machine in an event must raise InputError")


def test_report_json_and_html(tmp_path):
    inst = takt.load(ROOT / "instances" / "examples" / "two-plant-transfers.yaml")
    a = takt.solve(inst, solver="dispatch")
    b = takt.solve(inst, iterations=2000, seed=1)
    html = tmp_path / "report.html"
    out = takt.report(inst, {"dispatch": a, "search": b}, html=html)
    assert [s["label"] for s in out["schedules"]] == ["dispatch", "search"]
    assert out["schedules"][1]["kpis"]["objective"] == b.objective
    assert all(s["valid"] for s in out["schedules"])
    page = html.read_text()
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page and "search" in page


def test_report_takes_one_schedule_of_any_kind():
    inst = takt.load(ROOT / "instances" / "examples" / "paint-shop-changeovers.yaml")
    res = takt.solve(inst, iterations=500, seed=2)
    for one in (res, res.schedule, res.to_records(), res.to_dataframe()):
        out = takt.report(inst, one)
        assert len(out["schedules"]) == 1
        assert out["schedules"][0]["kpis"]["objective"] == res.objective
