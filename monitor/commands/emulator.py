"""`monitor emulator`: the embedded emulator of `--local` and `monitor demo`, serving until SIGINT or SIGTERM.

State lives as long as the process, so plan, apply, change, prune and destroy can be rehearsed
across commands with `--endpoint-url`. A script waits for the line starting `ready ` on stdout.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable

from monitor.commands.connect import Seed, start_seeded
from monitor.resolved import Loaded

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def serve(loaded: Loaded | None, region: str, port: int, ready: Callable[[str, Seed], None]) -> int:
    """Start the seeded emulator, call `ready(url, seed)`, serve until SIGINT or SIGTERM; return the signal.

    Must run in the main thread (signal handlers). Raises OSError for a port that cannot be bound,
    MissingExtra without moto, TaskFileError for a bad task-definitions/ file.
    """
    stop = threading.Event()
    received: list[int] = []

    def on_signal(number: int, _frame: object) -> None:
        received.append(number)
        stop.set()

    previous = {number: signal.signal(number, on_signal) for number in STOP_SIGNALS}
    try:
        running, seeded = start_seeded(loaded, region, port)
        with running:
            ready(running.url, seeded)
            stop.wait()
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    return received[0]
