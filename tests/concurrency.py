"""Run the same request from many threads at once, each on its own database connection."""

import threading

from django.db import connections


def run_together(fn, times: int) -> list:
    """Call fn() from `times` threads released together; return their results (or errors)."""
    barrier = threading.Barrier(times)
    results: list = [None] * times

    def worker(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = fn()
        except Exception as exc:  # reported to the test, which asserts on it
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(times)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results
