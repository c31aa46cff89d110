"""One bad config per file in tests/fixtures/bad/, each stating in its header what must be reported.

A header line `# expect: LINE:COL CODE PATH: TEXT` (or `# warning: ...`) means the output has the line
`FILE:LINE:COL: error: CODE PATH: ...TEXT...`: the problem, its place and its stable code. A file with any `expect:` exits 1 and reports exactly
that many errors; a file with only `warning:` lines is valid and exits 0.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from monitor.aws import clients as aws
from monitor.cli import main
from monitor.emulator import server as emulator

BAD = Path(__file__).parent / "fixtures" / "bad"
FILES = sorted(BAD.glob("*.yaml"))
HEADER = re.compile(r"^# (expect|warning): (\d+):(\d+) ([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-\d{3}) (.+?): (.+)$")
# A few run as a real process too: `python -m monitor` exits and prints like the console script.
IN_SUBPROCESS = ("yaml-tab", "encoding-shift-jis", "pattern-unbalanced-brace", "multi-rules",
                 "warning-shared-log-group")


def expectations(path: Path) -> list[tuple[str, str]]:
    """(line prefix, message text) for every `expect:` and `warning:` header line."""
    found = []
    for line in path.read_bytes().decode("utf-8", errors="replace").splitlines():
        if match := HEADER.match(line):
            kind, row, col, code, dotted, text = match.groups()
            severity = "error" if kind == "expect" else "warning"
            found.append((f"{path}:{row}:{col}: {severity}: {code} {dotted}: ", text))
    return found


def check(path: Path, code: int, output: str) -> None:
    """The exit code, every expected line, no other error, and never a traceback."""
    expected = expectations(path)
    lines = output.splitlines()
    for prefix, text in expected:
        assert any(line.startswith(prefix) and text in line[len(prefix):] for line in lines), \
            f"missing {prefix}...{text}...\n--- output ---\n{output}"
    errors = [line for line in lines if line.startswith(f"{path}:") and ": error: " in line]
    wanted = sum(1 for prefix, _ in expected if ": error: " in prefix)
    assert len(errors) == wanted, f"expected {wanted} error(s), got:\n{output}"
    assert code == (1 if wanted else 0), output
    assert "Traceback" not in output


def test_every_fixture_states_its_expectation():
    assert len(FILES) >= 40
    assert all(expectations(path) for path in FILES), [p.name for p in FILES if not expectations(p)]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_validate_reports_the_problem(path, capsys):
    code = main(["validate", "-c", str(path)])
    out, err = capsys.readouterr()
    check(path, code, out + err)


@pytest.mark.parametrize("path", [BAD / f"{name}.yaml" for name in IN_SUBPROCESS], ids=IN_SUBPROCESS)
def test_validate_as_a_process(path):
    run = subprocess.run([sys.executable, "-m", "monitor", "validate", "-c", str(path)],
                         capture_output=True, text=True, timeout=60)
    check(path, run.returncode, run.stdout + run.stderr)


HEAD = """\
version: 1
clusters:
  - name: honban
    services:
      - name: app
        containers:
"""


def containers(sizes: list[int]) -> str:
    """Containers c0, c1, ... all on one log group, with that many inline filters each."""
    text = HEAD
    for number, size in enumerate(sizes):
        text += f"          - name: c{number}\n            log_group: /ecs/honban/app\n            filters:\n"
        text += "".join(f"              - {{name: f{i}, pattern: 'ERROR{i}', metric: E{number}x{i}}}\n"
                        for i in range(size))
    return text


@pytest.mark.parametrize("sizes, container, index", [
    ([101], 0, 100),          # one container with 101 filters: the 101st is one too many
    ([34, 34, 33], 2, 32),    # three containers sharing the group: 101 in all
], ids=["one-container", "shared-group"])
def test_more_than_100_filters_on_a_log_group(tmp_path, capsys, sizes, container, index):
    path = tmp_path / "monitor.yaml"
    path.write_text(containers(sizes))
    code = main(["validate", "-c", str(path)])
    out, _ = capsys.readouterr()
    row = len(HEAD.splitlines()) + sum(size + 3 for size in sizes[:container]) + 3 + index + 1
    dotted = f"clusters[0].services[0].containers[{container}].filters[{index}]"
    assert code == 1
    assert f"{path}:{row}:17: error: FLT-030 {dotted}: log group '/ecs/honban/app' would have 101 metric filters" in out


def refuse(*_args, **_kwargs):
    pytest.fail("an invalid config reached AWS")


@pytest.mark.parametrize("command", [["plan"], ["apply", "--yes"], ["destroy", "--yes"], ["plan", "--local"]],
                         ids=" ".join)
def test_invalid_config_sends_nothing_to_aws(monkeypatch, capsys, command):
    monkeypatch.setattr(aws.Clients, "_client", refuse)
    monkeypatch.setattr(emulator, "start", refuse)
    path = BAD / "multi-rules.yaml"
    code = main([*command, "-c", str(path), "--endpoint-url", "http://127.0.0.1:9"])
    out, err = capsys.readouterr()
    check(path, code, out + err)
    assert "nothing was sent to AWS" in err
