"""Every finding code `monitor review` can report, in one catalogue, and its table for the README.

The README's table is this function's output (a test compares them), so it cannot drift.
"""

from __future__ import annotations

from monitor.review import alarm_findings as alarm_rules
from monitor.review import collect, deployed, design, ecr, environment
from monitor.review.findings import Rule, catalogue


def rules() -> dict[str, Rule]:
    """Code -> rule, over the alarm, live, design, secrets, ECR and read-failure tables; raises on a code used twice."""
    return catalogue(alarm_rules.RULES, deployed.rules(), design.RULES, environment.RULES, ecr.RULES, collect.RULES)


def markdown_table() -> str:
    """| Code | Severity | Finding | Usual fix | Security Hub | Ignorable |, one line a code in code order."""
    lines = ["| Code | Severity | Finding | Usual fix | Security Hub | Ignorable |", "|---|---|---|---|---|---|"]
    lines += [f"| `{r.code}` | {r.severity} | {r.title} | {r.fix.replace('|', '/')} | {r.control or ''} | "
              f"{'yes' if r.silenceable else 'no'} |" for r in sorted(rules().values(), key=lambda r: r.code)]
    return "\n".join(lines)
