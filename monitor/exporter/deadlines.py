"""A deadline for each connection to finish sending its request; one thread drops the late ones.

A socket timeout bounds each read, but a client that sends a byte every few seconds (or half a
request, then nothing) would hold its thread for as long as it likes: 2,000 such connections
held 1,980 threads. Here a connection is watched from accept until its request line and headers
are read (the TLS handshake included); one that is late is shut down, which ends the blocked read
in its thread at once. The slowloris attack and its remedy: https://en.wikipedia.org/wiki/Slowloris_(computer_security)
"""

from __future__ import annotations

import logging
import socket
import threading
import time

TICK = 0.1   # seconds between looks for late connections
log = logging.getLogger("monitor.exporter")


class Deadlines:
    """Sockets and the monotonic time by which each must have sent its request."""

    def __init__(self):
        self._due: dict[socket.socket, float] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._reap, daemon=True, name="deadlines")
        self._thread.start()

    def watch(self, connection: socket.socket, seconds: float) -> None:
        with self._lock:
            self._due[connection] = time.monotonic() + seconds

    def release(self, connection: socket.socket) -> None:
        """The request is in (or the connection is done): no deadline any more."""
        with self._lock:
            self._due.pop(connection, None)

    def close(self) -> None:
        self._stop.set()
        self._thread.join()

    def _reap(self) -> None:
        while not self._stop.wait(TICK):
            for connection in self._late():
                _drop(connection)

    def _late(self) -> list[socket.socket]:
        now = time.monotonic()
        with self._lock:
            late = [connection for connection, due in self._due.items() if due <= now]
            for connection in late:
                del self._due[connection]
        return late


def _drop(connection: socket.socket) -> None:
    """Shut the socket down: the handler's blocked read returns and its thread ends."""
    try:
        peer = connection.getpeername()[0]
        connection.shutdown(socket.SHUT_RDWR)
    except OSError:   # already closed by its handler
        return
    log.debug("%s: request not complete in time, connection dropped", peer)
