"""Wall time of N scenario solves, serial in this process vs one Ray task per solve on a local
Ray with 2 worker CPUs; results must be identical (fixed iterations and seed).

    target/py-venv/bin/python python/bench/fanout.py [--iterations 40000] [--repeat 3]

Prints the serial and Ray wall times (median over the repeats, Ray already started: its start-up
is printed apart) and their ratio. Timings on a shared machine are noisy: re-measure.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
sys.path.insert(0, str(ROOT / "python" / "tests"))

import ray  # noqa: E402
import takt  # noqa: E402
import takt.distributed as td  # noqa: E402
from test_distributed import BASE, SCENARIOS  # noqa: E402  (base + 7 scenarios = 8 solves)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iterations", type=int, default=40000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--cpus", type=int, default=2)
    a = ap.parse_args()
    opts = dict(iterations=a.iterations, seed=1)
    t0 = time.perf_counter()
    ray.init(num_cpus=a.cpus, include_dashboard=False, log_to_driver=False)
    startup = time.perf_counter() - t0
    # Warm-up: Ray's workers start and import takt on their first task.
    td.scenarios(BASE, SCENARIOS, iterations=100, seed=0)
    serial, fanned = [], []
    for _ in range(a.repeat):
        t = time.perf_counter()
        s = takt.scenarios(BASE, SCENARIOS, **opts)
        serial.append(time.perf_counter() - t)
        t = time.perf_counter()
        f = td.scenarios(BASE, SCENARIOS, **opts)
        fanned.append(time.perf_counter() - t)
        assert all(x.result.same_as(y.result) for x, y in zip(s, f)), "results differ"
    ms, mf = statistics.median(serial), statistics.median(fanned)
    print(f"{len(s)} scenario solves x {a.iterations} iterations, seed 1, 1 thread each")
    print(f"ray.init(num_cpus={a.cpus}): {startup:.2f} s (not counted)")
    print(f"serial: median {ms:.2f} s  (runs: {', '.join(f'{x:.2f}' for x in serial)})")
    print(f"ray   : median {mf:.2f} s  (runs: {', '.join(f'{x:.2f}' for x in fanned)})")
    print(f"serial / ray = {ms / mf:.2f}; results identical")
    ray.shutdown()


if __name__ == "__main__":
    main()
