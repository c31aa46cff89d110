"""One judge of what AWS accepts: `validate` (rules.check_filter) and `test-filter` agree on every pattern."""

from __future__ import annotations

import pytest

from monitor.cli import main
from monitor.config.model import Filter
from monitor.config.rules import check_filter
from monitor.offline.cases import compile_for_test
from monitor.problems import Problem, Source

# (pattern, column of the problem): AWS refuses each of these.
INVALID = [
    ("{ $.a = %r1% && $.b = %r2% && $.c = %r3% }", 37),
    ("[a = %x%, b = %y%, c = %z%]", 24),
    ("{ $.a[*] = 1 || $.b.* = 2 || $.c[*] = 3 || $.d[*] = 4 }", 44),
    ("{ $.a[*].b[*] = 1 }", 11),
    ("x" * 1025, 1025),
    ("ERROR %foo%", 7),
    ("{ $.a = 1", 10),
]

# (pattern, column, fix): AWS accepts each of these; how it matches them is undocumented.
WARNED = [
    ("java.lang.OutOfMemoryError", 5, '"java.lang.OutOfMemoryError"'),
    ("Malware scan timed out for notification.id", 40, '"notification.id"'),
    ("ORDER-ITEM-1", 6, '"ORDER-ITEM-1"'),
    ("ERROR -a/b", 9, '-"a/b"'),
    ('[w1="*Task timed out*", w2]', 5, "make w1 the last field"),
    ('[..., msg="*timed out*"]', 11, "compare one word"),
]


def problems(pattern: str) -> list[Problem]:
    """What `validate` says about a filter with this pattern (and nothing else wrong)."""
    item = Filter(name="f", pattern=pattern, metric="Errors", namespace="App")
    return check_filter(item, ("filters", 0), Source("monitor.yaml"))


def run_test_filter(capsys, tmp_path, pattern: str) -> tuple[int, str, str]:
    """`monitor test-filter PATTERN FILE` over two events."""
    events = tmp_path / "events.log"
    events.write_text("java.lang.OutOfMemoryError: heap\nok\n")
    code = main(["test-filter", "--output", "json", "--", pattern, str(events)])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("pattern, column", INVALID, ids=[p[:40] for p, _ in INVALID])
def test_validate_refuses_what_aws_refuses(pattern: str, column: int) -> None:
    found = [(p.path, p.severity, p.offset) for p in problems(pattern)]
    assert found == [(("filters", 0, "pattern"), "error", column)]


@pytest.mark.parametrize("pattern, column", INVALID, ids=[p[:40] for p, _ in INVALID])
def test_test_filter_refuses_what_aws_refuses(capsys, tmp_path, pattern: str, column: int) -> None:
    with pytest.raises(ValueError, match=f"column {column}:"):
        compile_for_test(pattern, "1", [])
    code, out, err = run_test_filter(capsys, tmp_path, pattern)
    assert (code, out) == (1, "") and f"column {column}:" in err


@pytest.mark.parametrize("pattern, column, fix", WARNED, ids=[p for p, _, _ in WARNED])
def test_validate_warns_with_the_fix(pattern: str, column: int, fix: str) -> None:
    (warning,) = problems(pattern)
    assert (warning.path, warning.severity, warning.offset) == (("filters", 0, "pattern"), "warning", column)
    assert fix in warning.message


@pytest.mark.parametrize("pattern, column, fix", WARNED, ids=[p for p, _, _ in WARNED])
def test_test_filter_warns_on_stderr_and_still_evaluates(capsys, tmp_path, pattern: str, column: int,
                                                         fix: str) -> None:
    code, out, err = run_test_filter(capsys, tmp_path, pattern)
    assert code == 0 and len(out.splitlines()) == 2
    assert err.startswith(f"warning: column {column}: ") and fix in err
