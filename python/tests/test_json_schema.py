"""JSON beside YAML, and the shipped JSON Schemas (issue 16).

The same instance as YAML and as JSON is the same problem from Python: equal instances, the same
schedule, objective and KPIs for the same seed and iterations, whether the JSON comes from a
file, a dict or text. The shipped schemas accept every shipped example (read as YAML 1.2, see
``yaml12.py``) and reject broken ones, as takt does.
"""

import copy
import json
import pickle

import jsonschema
import pytest
import takt

from conftest import EXAMPLES, ROOT
from yaml12 import load_yaml12

SCHEMAS = ROOT / "schema"
EVENTS = sorted((ROOT / "instances" / "examples" / "events").glob("*.yaml"))
SCENARIOS = sorted((ROOT / "instances" / "examples" / "scenarios").glob("*.yaml"))


def validator(kind):
    """A validator of the shipped schema ``schema/{kind}.schema.json`` (its own draft)."""
    schema = json.loads((SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def test_the_yaml12_reader_keeps_clock_times_and_dates_as_text():
    # The trap this reader avoids: PyYAML's YAML 1.1 makes 06:00 the integer 360.
    data = load_yaml12(ROOT / "instances" / "examples" / "two-plant-demo.yaml")
    assert isinstance(data["horizon"]["start"], str)
    clocks = [s["from"] for c in data["calendars"] for s in c.get("weekly", [])]
    assert clocks and all(isinstance(c, str) and ":" in c for c in clocks)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_json_and_yaml_of_an_example_are_the_same_problem(tmp_path, path):
    from_yaml = takt.load(path)
    as_written = load_yaml12(path)
    # JSON three ways: a dict, a .json file (takt's JSON file reader), JSON text.
    json_file = tmp_path / f"{path.stem}.json"
    json_file.write_text(json.dumps(as_written), encoding="utf-8")
    from_dict = takt.load(as_written)
    from_file = takt.load(json_file)
    from_text = takt.loads(json.dumps(as_written))
    assert from_dict == from_yaml and from_file == from_yaml and from_text == from_yaml
    assert (from_dict.file, from_file.file) == ("<dict>", str(json_file))
    # takt's own JSON and YAML of the instance read back as the same instance, and pickling
    # (what Ray sends) too.
    assert takt.loads(from_yaml.to_text("json")) == from_yaml
    assert takt.loads(from_yaml.to_text("yaml")) == from_yaml
    assert pickle.loads(pickle.dumps(from_file)) == from_yaml
    assert len({from_yaml, from_dict, from_file, from_text}) == 1  # hash agrees with ==
    # The same problem: the same plan, objective and KPIs for the same seed and iterations.
    results = [takt.solve(i, iterations=1500, seed=4) for i in (from_yaml, from_dict, from_file)]
    for r in results[1:]:
        assert r.same_as(results[0])
        assert r.kpis == results[0].kpis
    assert takt.check(from_file, results[0]) == []


def test_equality_sees_a_changed_instance():
    path = ROOT / "instances" / "examples" / "job-shop-basics.yaml"
    data = load_yaml12(path)
    changed = copy.deepcopy(data)
    changed["jobs"][0]["weight"] = 7
    assert takt.load(changed) != takt.load(path)
    assert takt.load(data) == takt.load(path)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_the_instance_schema_accepts_every_shipped_example(path):
    v = validator("instance")
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in v.iter_errors(load_yaml12(path))]
    assert errors == []
    # What takt writes validates too.
    v.validate(json.loads(takt.load(path).to_text("json")))


@pytest.mark.parametrize(
    "kind,paths", [("events", EVENTS), ("scenario", SCENARIOS)], ids=["events", "scenario"]
)
def test_the_events_and_scenario_schemas_accept_the_shipped_examples(kind, paths):
    assert paths
    v = validator(kind)
    for p in paths:
        assert [e.message for e in v.iter_errors(load_yaml12(p))] == [], p


def _no_horizon(d):
    del d["horizon"]
    return ["horizon"], []


def _unknown_job_field(d):
    d["jobs"][0]["colour"] = "red"
    return ["colour"], ["jobs", 0]


def _plant_not_a_string(d):
    d["machines"][0]["plant"] = 3
    return [], ["machines", 0, "plant"]


def _routing_not_a_list(d):
    d["jobs"][1]["operations"] = {"id": "o"}
    return [], ["jobs", 1, "operations"]


BREAKS = [_no_horizon, _unknown_job_field, _plant_not_a_string, _routing_not_a_list]


@pytest.mark.parametrize("breaks", BREAKS, ids=lambda f: f.__name__.strip("_"))
def test_the_instance_schema_rejects_a_broken_example_as_takt_does(breaks):
    data = load_yaml12(ROOT / "instances" / "examples" / "job-shop-basics.yaml")
    validator("instance").validate(data)  # the example itself is fine
    broken = copy.deepcopy(data)
    words, place = breaks(broken)
    errors = list(validator("instance").iter_errors(broken))
    assert errors, "the schema must reject the broken instance"
    assert any(list(e.absolute_path) == place and all(w in e.message for w in words) for e in errors), [
        (list(e.absolute_path), e.message) for e in errors
    ]
    with pytest.raises(takt.InputError):
        takt.load(broken)
