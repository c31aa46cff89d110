"""Every code `validate`, `plan` and `review` can report, in one catalogue; the config's `ignore:`.

Each module that checks something declares its checks as data (`CHECKS`, or review's `RULES`);
this module only gathers them, for the README's tables (a test compares them) and for `ignore:`.
What `ignore: [CODE]` may silence is the check's `silenceable`: warnings and infos, and the few
errors that are only our advice (AWS would accept the config). An error that AWS would refuse, or
that keeps the config from loading at all, is never silenced: an invalid config reaches no AWS API.
"""

from __future__ import annotations

import difflib

from monitor.config import alarm_uses, edge_checks, presets, references, rules, structure, yamlfile
from monitor.dashboards import checks as dashboard_checks
from monitor.dashboards import templates
from monitor.exporter import rules as exporter_rules
from monitor.exporter import webconfig
from monitor.expressions.checks import CHECKS as EXPRESSIONS
from monitor.expressions.names import CHECKS as DERIVED_NAMES
from monitor.expressions.syntax import CHECKS as EXPRESSION_SYNTAX
from monitor.kinds import (
    alarm,
    alarm_advice,
    alarm_checks,
    cluster_setting,
    composite_alarm,
    dashboard,
    filter_checks,
    log_group,
    metric_filter,
    strays,
)
from monitor.offline import alarm_logs
from monitor.problems import WARNING, Check, Problem
from monitor.resolved import Loaded, edges, services, taskdefs, thresholds
from monitor.review import codes as review_codes
from monitor.state import plan
from monitor.sync import flow
from monitor.taskdefs import sizing

UNKNOWN = Check("CFG-030", WARNING, "an ignored code that no check has")
KEPT = Check("CFG-031", WARNING, "an ignored code of an error that cannot be silenced")
CHECKS = (UNKNOWN, KEPT)
TABLES = (yamlfile.CHECKS, structure.CHECKS, references.CHECKS, rules.CHECKS, presets.CHECKS, alarm_uses.CHECKS,
          templates.CHECKS, dashboard_checks.CHECKS, EXPRESSION_SYNTAX, EXPRESSIONS, DERIVED_NAMES,
          exporter_rules.CHECKS, webconfig.CHECKS, alarm_checks.CHECKS, alarm_advice.CHECKS, composite_alarm.CHECKS,
          metric_filter.CHECKS, cluster_setting.CHECKS, dashboard.CHECKS, alarm.CHECKS, filter_checks.CHECKS,
          services.CHECKS, thresholds.CHECKS, taskdefs.CHECKS, plan.CHECKS, alarm_logs.CHECKS, sizing.CHECKS,
          flow.CHECKS, edge_checks.CHECKS, edges.CHECKS, strays.CHECKS, log_group.CHECKS, CHECKS)


def checks() -> dict[str, Check]:
    """Code -> check of validate and plan (this module's own included); raises on a code used by two checks."""
    found: dict[str, Check] = {}
    for check in (check for table in TABLES for check in table):
        if found.setdefault(check.code, check) is not check:
            raise ValueError(f"problem code {check.code} is used by two checks")
    return found


def every() -> dict[str, Check]:
    """Every code: validate's and plan's checks, and review's rules (which say the same of a code both report)."""
    return checks() | review_codes.rules()


def validate(path: str) -> Loaded:
    """`sync.flow.validate`, and a word about each code of `ignore:` that silences nothing."""
    loaded = flow.validate(path)
    if loaded.config is not None:
        loaded.problems += ignore_problems(loaded.config.ignore, loaded)
    return loaded


def ignore_problems(ignore: list[str], loaded: Loaded) -> list[Problem]:
    """A warning for each unknown code (with the closest known one), and each that cannot be silenced."""
    known = every()
    found = []
    for number, code in enumerate(ignore):
        where = {"source": loaded.source}
        if code not in known:
            close = difflib.get_close_matches(code, known, n=1)
            hint = f"did you mean '{close[0]}'?" if close else "see the README's tables of codes"
            found.append(UNKNOWN.problem(("ignore", number), f"no check has the code '{code}'; {hint}", **where))
        elif not known[code].silenceable:
            found.append(KEPT.problem(("ignore", number), f"{code} ({known[code].title}) is an error that cannot be "
                                      "ignored: AWS would refuse the config, or it cannot be read", **where))
    return found


def markdown_table() -> str:
    """| Code | Severity | Problem | Ignorable | Source |, one line a check of validate and plan, in code order."""
    lines = ["| Code | Severity | Problem | Ignorable | Source |", "|---|---|---|---|---|"]
    lines += [f"| `{c.code}` | {c.severity} | {c.title.replace('|', '/')} | {'yes' if c.silenceable else 'no'} | "
              f"{_link(c.source)} |" for c in sorted(checks().values(), key=lambda c: c.code)]
    return "\n".join(lines)


def readme(text: str) -> str:
    """The README's text with both generated tables (review's, and validate's and plan's) brought up to date."""
    for name, table in (("codes", review_codes.markdown_table()), ("problem-codes", markdown_table())):
        begin, end = f"<!-- {name}:begin -->\n", f"<!-- {name}:end -->"
        head, rest = text.split(begin, 1)
        text = f"{head}{begin}{table}\n{end}{rest.split(end, 1)[1]}"
    return text


def _link(url: str | None) -> str:
    """A source as a short Markdown link: its page name."""
    if url is None:
        return ""
    page = url.rstrip("/").rsplit("/", 1)[-1].removesuffix(".html").removesuffix(".md") or url
    return f"[{page}]({url})"



if __name__ == "__main__":   # python -m monitor.commands.codes README.md: regenerate the tables in place
    import sys
    from pathlib import Path as FilePath
    readme_path = FilePath(sys.argv[1] if len(sys.argv) > 1 else "README.md")
    readme_path.write_text(readme(readme_path.read_text()))
