"""The same objective and schedule from Python and from the CLI for the same seed and iterations."""

import pytest
import takt

from conftest import ROOT, cli, cli_objective

CASES = [
    ("instances/examples/two-plant-transfers.yaml", 4000, 7, 1),
    ("instances/examples/paint-shop-changeovers.yaml", 4000, 1, 1),
    ("instances/examples/operators-and-molds.yaml", 2000, 5, 1),
    ("instances/examples/paint-shop-changeovers.yaml", 4000, 2, 2),
    ("instances/shared/benchmarks/jssp/ft06.txt", 3000, 4, 1),
]


@pytest.mark.parametrize("path,iterations,seed,threads", CASES)
def test_python_and_cli_agree(tmp_path, path, iterations, seed, threads):
    out = tmp_path / "cli.yaml"
    cli("solve", path, "--iterations", iterations, "--seed", seed, "--threads", threads,
        "--quiet", "-o", out)
    inst = takt.load(ROOT / path)
    res = takt.solve(inst, iterations=iterations, seed=seed, threads=threads)
    assert res.objective == cli_objective(path, out)
    assert takt.read_schedule(inst, out) == res.schedule
