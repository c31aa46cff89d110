"""`monitor emulator` as a subprocess, as a user or a script starts it: wait for its `ready URL` line."""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

FAKE = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing"}
READY_WITHIN = 60.0   # seconds: a limit for a broken start, not a speed assertion


def env() -> dict[str, str]:
    """The parent's environment without AWS settings, then fake credentials: never the real account."""
    found = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    found.update(FAKE, AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull,
                 NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost")
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Served:
    """A running `monitor emulator`: its URL and every line it printed so far."""

    process: subprocess.Popen
    url: str = ""
    lines: list[str] = field(default_factory=list)

    def stop(self, how: int = signal.SIGTERM) -> int:
        """Send `how`, wait for the exit code; the rest of its output joins `lines`."""
        self.process.send_signal(how)
        out, _ = self.process.communicate(timeout=READY_WITHIN)
        self.lines += out.splitlines()
        return self.process.returncode


def start(config: Path | None, cwd: Path, port: int | None = None) -> Served:
    """`python -m monitor emulator [-c CONFIG] --port N`, returned once it printed `ready URL`."""
    argv = [sys.executable, "-m", "monitor", "emulator", "--port", str(port or free_port())]
    argv += ["-c", str(config)] if config else []
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                               text=True, env=env(), cwd=cwd)
    served = Served(process)
    lines: queue.Queue[str | None] = queue.Queue()
    reader = threading.Thread(target=_read_until_ready, args=(process, lines), daemon=True)
    reader.start()
    while (line := lines.get(timeout=READY_WITHIN)) is not None:
        served.lines.append(line)
        if line.startswith("ready "):
            served.url = line.split()[1]
            return served
    process.wait(timeout=READY_WITHIN)
    raise AssertionError(f"monitor emulator exited {process.returncode} before ready:\n" + "\n".join(served.lines))


def _read_until_ready(process: subprocess.Popen, lines: queue.Queue) -> None:
    for line in process.stdout:
        lines.put(line.rstrip("\n"))
        if line.startswith("ready "):
            return
    lines.put(None)
