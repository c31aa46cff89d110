"""The long-running exporter: HTTP in one thread, refreshes and reloads in another, signals in the main one.

- The refresh job is scheduled with the `schedule` library (every `interval` seconds) and run
  by a worker thread that ticks every TICK seconds; the first refresh runs at once.
- SIGTERM and SIGINT set `stop`; the main thread then shuts the HTTP server down (its loop polls
  every TICK seconds) and returns, within about a second. A refresh still waiting for AWS is in a
  daemon thread and ends with the process.
- SIGHUP, or a change of the config file's modification time, asks the worker to reload: a config
  that loads becomes the plan of the next refresh; one that does not keeps the old plan serving,
  and the log says why. Reloading runs in the worker, never in the signal handler.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Callable

import schedule

from monitor.exporter.collector import registry
from monitor.exporter.refresh import QueryPlan, Refresher
from monitor.exporter.server import make_server
from monitor.exporter.webconfig import WebConfig

TICK = 0.2   # seconds
log = logging.getLogger("monitor.exporter")


class Reloader:
    """Watches the config file and SIGHUP; `reload` swaps in a new plan, or keeps the old one and says why."""

    def __init__(self, path: str, load: Callable[[str], QueryPlan], refresher: Refresher):
        self.path, self.load, self.refresher = path, load, refresher
        self.wanted = threading.Event()
        self.seen = _mtime(path)

    def due(self) -> bool:
        """Asked for by SIGHUP, or the file changed since it was last read."""
        return self.wanted.is_set() or _mtime(self.path) != self.seen

    def reload(self) -> bool:
        self.wanted.clear()
        self.seen = _mtime(self.path)
        self.refresher.clients.silence.reset()   # a reload reads task definitions: a budget of its own
        try:
            plan = self.load(self.path)
        except Exception as error:   # noqa: BLE001 - a bad config must never stop the exporter
            log.error("config %s not reloaded, the old one keeps serving: %s", self.path, error)
            self.refresher.replan(None)
            return False
        self.refresher.replan(plan)
        log.info("config %s reloaded: %d queries per refresh", self.path, len(plan.queries))
        return True


def _mtime(path: str) -> float | None:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return None


def run(listen: str, refresher: Refresher, reloader: Reloader, web: WebConfig | None = None) -> None:
    """Serve until SIGTERM or SIGINT, with TLS and basic auth when `web` says; raises OSError when
    `listen` cannot be bound."""
    stop = threading.Event()
    server = make_server(listen, registry(lambda: refresher.current), lambda: refresher.ready, web)
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGHUP, lambda *_: reloader.wanted.set())
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": TICK}, daemon=True,
                     name="http").start()
    threading.Thread(target=_work, args=(refresher, reloader, stop), daemon=True, name="refresh").start()
    log.info("serving /metrics on %s (%s); %d queries per refresh every %d s", listen, _protection(web),
             len(refresher.plan.queries), refresher.plan.settings.interval)
    while not stop.wait(TICK):
        pass
    log.info("stopping")
    server.shutdown()
    server.server_close()


def _protection(web: WebConfig | None) -> str:
    """How the endpoint is protected, for the start-up line: nobody should have to guess."""
    if web is None or (web.tls is None and not web.users):
        return "plain HTTP, no authentication: keep it on a private network (--web-config adds TLS and basic auth)"
    return " and ".join(filter(None, ["TLS" if web.tls else "plain HTTP", "basic auth" if web.users else ""]))


def _work(refresher: Refresher, reloader: Reloader, stop: threading.Event) -> None:
    """The first refresh now, then the schedule; reloads between jobs."""
    scheduler = schedule.Scheduler()
    interval = refresher.plan.settings.interval
    scheduler.every(interval).seconds.do(refresher.due)
    refresher.refresh()
    while not stop.wait(TICK):
        if reloader.due() and reloader.reload() and refresher.plan.settings.interval != interval:
            interval = refresher.plan.settings.interval
            scheduler.clear()
            scheduler.every(interval).seconds.do(refresher.due)
        scheduler.run_pending()
