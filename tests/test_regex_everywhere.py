"""Every place the pattern engine runs matches `%regex%` in linear time: logs are input others control.

A backtracking engine takes seconds on one 300-character line for these patterns (over 30 s at 400);
each command here reads many such lines well within a second.
"""

from __future__ import annotations

import json
import time

from monitor.cli import main

PATTERN = "%.*.*.*.*x%"
LINE = "a" * 300
BOUND = 2.0   # seconds per command, generous; backtracking needs minutes
CONFIG = """\
version: 1
clusters:
  - name: honban
    services:
      - name: app
        containers:
          - name: app
            log_group: /ecs/honban/app
            filters:
              - name: slow-regex
                pattern: '%.*.*.*.*x%'
                metric: Nothing
                tests:
                  - log: '{line}'
                    match: false
"""


def timed(argv: list[str]) -> tuple[int, float]:
    started = time.perf_counter()
    code = main(argv)
    return code, time.perf_counter() - started


def test_test_filter(tmp_path, capsys):
    events = tmp_path / "events.log"
    events.write_text((LINE + "\n") * 20)
    code, took = timed(["test-filter", PATTERN, str(events), "--output", "json"])
    lines = capsys.readouterr().out.splitlines()
    assert code == 0 and len(lines) == 20 and not json.loads(lines[0])["match"]
    assert took < BOUND


def test_monitor_test(write_config, capsys):
    config = write_config(CONFIG.format(line=LINE))
    code, took = timed(["test", "-c", str(config)])
    assert code == 0, capsys.readouterr()
    assert took < BOUND


def test_replay(write_config, tmp_path, capsys):
    config = write_config(CONFIG.format(line="x"))
    events = tmp_path / "app.log"
    events.write_text((LINE + "\n") * 20)
    code, took = timed(["replay", "-c", str(config), "--log-group", "/ecs/honban/app", str(events),
                        "--output", "json"])
    assert code == 0 and json.loads(capsys.readouterr().out)["events"] == 20
    assert took < BOUND
