"""Per-call overhead of the Python binding against the CLI: the same solve (small example, fixed
iterations, seed, 1 thread) called N times from Python (in-process: load + solve + result
conversion) and run N times as `takt solve` processes (start-up, load, solve, print).

    target/py-venv/bin/python python/bench/overhead.py [--iterations 2000] [-n 20]

Prints medians. Timings on a shared machine are noisy: re-measure.
"""

import argparse
import statistics
import subprocess
import time
from pathlib import Path

import takt

ROOT = Path(__file__).resolve().parents[2]


def median_time(f, n):
    f()  # warm-up
    times = []
    for _ in range(n):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return statistics.median(times), min(times), max(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--instance", default="instances/examples/job-shop-basics.yaml")
    ap.add_argument("--iterations", type=int, default=2000)
    ap.add_argument("-n", type=int, default=20)
    a = ap.parse_args()
    path = str(ROOT / a.instance)
    cmd = [str(ROOT / "target/release/takt"), "solve", path, "--iterations", str(a.iterations),
           "--seed", "1", "--threads", "1", "--quiet"]
    inst = takt.load(path)
    rows = {
        "python takt.load + takt.solve": lambda: takt.solve(takt.load(path), iterations=a.iterations, seed=1),
        "python takt.solve (instance loaded)": lambda: takt.solve(inst, iterations=a.iterations, seed=1),
        "python takt.solve iterations=0": lambda: takt.solve(inst, iterations=0, seed=1),
        "cli takt solve (process)": lambda: subprocess.run(cmd, check=True, capture_output=True),
        "cli takt solve --iterations 0 (process)": lambda: subprocess.run(
            cmd[:4] + ["0"] + cmd[5:], check=True, capture_output=True),
    }
    print(f"{a.instance}, --iterations {a.iterations} --seed 1 --threads 1; {a.n} runs after 1 warm-up")
    for name, f in rows.items():
        med, lo, hi = median_time(f, a.n)
        print(f"{name:42s} median {1000 * med:8.2f} ms  (min {1000 * lo:.2f}, max {1000 * hi:.2f})")


if __name__ == "__main__":
    main()
