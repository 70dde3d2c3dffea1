"""Ctrl-C in Python stops the search, which returns its best schedule (as the CLI does)."""

import signal
import subprocess
import sys
import threading
import time

import takt

from conftest import ROOT


# Run in a fresh interpreter, as a user's script is: this pytest process has Ray's driver in it
# (test_distributed's session fixture), and a clean-clone CI run once saw the signal go unheard
# there (root cause not found; Ray patches `signal.signal` in places). A child process tests
# what a user sees, with the signal sent from outside as a terminal's Ctrl-C is.
CHILD = """
import signal, sys, time, takt
# As a script started from a terminal: Python's handler, SIGINT not blocked (a child inherits
# an ignored or blocked SIGINT from a background job or a test runner).
signal.signal(signal.SIGINT, signal.default_int_handler)
signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGINT])
inst = takt.load(sys.argv[1])
print("ready", flush=True)
started = time.monotonic()
res = takt.solve(inst, time_limit=120, seed=1)
elapsed = time.monotonic() - started
print(res.interrupted, round(elapsed, 2), len(takt.check(inst, res)),
      len(res.schedule) == inst.operations, flush=True)
"""


def test_ctrl_c_stops_the_solve_and_returns_the_best():
    abz7 = ROOT / "instances" / "shared" / "benchmarks" / "jssp" / "abz7.txt"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(abz7)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "ready", child.stderr.read()
        time.sleep(1.5)  # the solve is under way (the child loads in well under a second)
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=60)
    finally:
        child.kill()
    assert child.returncode == 0, err  # no KeyboardInterrupt escaped
    interrupted, elapsed, violations, complete = out.split()
    # Stopped by the signal, long before the time limit, with a valid, complete schedule.
    assert interrupted == "True" and float(elapsed) < 60, out
    assert violations == "0" and complete == "True", out


def test_other_threads_run_while_solving():
    """The GIL is released: a Python thread makes progress during a solve."""
    inst = takt.load(ROOT / "instances" / "shared" / "benchmarks" / "jssp" / "abz7.txt")
    ticks = []
    done = threading.Event()

    def tick():
        while not done.is_set():
            ticks.append(1)
            time.sleep(0.01)

    t = threading.Thread(target=tick)
    t.start()
    try:
        takt.solve(inst, time_limit=1.0, seed=0)
    finally:
        done.set()
        t.join()
    assert len(ticks) > 20
