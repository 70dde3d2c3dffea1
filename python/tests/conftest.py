"""Shared fixtures: the repository root, the CLI binary, the shipped examples, and a local Ray."""

import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "instances" / "examples").glob("*.yaml"))
TAKT = Path(os.environ.get("TAKT_BIN", ROOT / "target" / "release" / "takt"))


def cli(*args, check=True):
    """Runs the takt command line; returns the completed process (text)."""
    p = subprocess.run([str(TAKT), *map(str, args)], capture_output=True, text=True, cwd=ROOT)
    if check and p.returncode != 0:
        raise AssertionError(f"takt {' '.join(map(str, args))} exited {p.returncode}: {p.stderr}")
    return p


def cli_objective(instance, schedule):
    """The objective of a schedule file, as `takt report --json` computes it."""
    out = json.loads(cli("report", instance, schedule, "--json").stdout)
    return out["schedules"][0]["kpis"]["objective"]


@pytest.fixture(scope="session")
def ray_local():
    """Ray started locally with 2 CPUs for the session (the tests' "cluster")."""
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # no reports to the internet
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()
