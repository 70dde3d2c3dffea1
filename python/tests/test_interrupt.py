"""Ctrl-C in Python stops the search, which returns its best schedule (as the CLI does)."""

import os
import signal
import threading
import time

import takt

from conftest import ROOT


def test_ctrl_c_stops_the_solve_and_returns_the_best():
    inst = takt.load(ROOT / "instances" / "shared" / "benchmarks" / "jssp" / "abz7.txt")
    # Ctrl-C as a plain Python program sees it: Python's own SIGINT handler, whatever an
    # earlier test's library (Ray starts a driver in this process) may have installed.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    timer = threading.Timer(1.5, lambda: os.kill(os.getpid(), signal.SIGINT))
    started = time.monotonic()
    timer.start()
    try:
        res = takt.solve(inst, time_limit=120, seed=1)
    finally:
        timer.cancel()
        if previous is not None:  # None: a handler installed from C, not restorable from here
            signal.signal(signal.SIGINT, previous)
    elapsed = time.monotonic() - started
    # Stopped by the signal, long before the time limit; no KeyboardInterrupt escaped.
    assert res.interrupted and elapsed < 60
    assert takt.check(inst, res) == []
    assert len(res.schedule) == inst.operations


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
