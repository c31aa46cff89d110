"""The one value every review check returns, and the rule that makes it.

A code names a rule for good: `AREA-TOPIC-NNN` (`ECS-SIZE-001`, `ECR-SCAN-001`, ...). A code is
never reused or renumbered; a retired rule keeps its code unused. Alarm findings are the
`ALARM-<TOPIC>-NNN` family (monitor/review/alarm_findings.py). Severity is `error` (AWS refuses it,
it exposes a secret, or an alarm can never do its job), `warning` (AWS accepts it, but the monitoring or the service
suffers) or `info` (worth knowing; nothing to fix unless you want to). `control` is the AWS
Security Hub CSPM control covering the same point, where there is one, so that findings map onto
Security Hub's: https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-controls-reference.html
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from monitor.problems import ERROR, INFO, SEVERITIES, WARNING, Check, Path, Problem, dotted

__all__ = ["ERROR", "INFO", "SEVERITIES", "WARNING", "Finding", "Rule", "at_least", "catalogue", "ordered", "rank"]


@dataclass(frozen=True)
class Finding:
    """One thing a review found: which rule, how bad, about what, and the fix.

    `subject` is what the finding is about: `cluster/service[/container]`, a task definition's
    `family:revision[/container]`, an ECR repository, or (for alarms) the alarm. `source` says
    what was read to find it (a task definition, a file), when the subject does not. `path` is
    the place in the config the finding points at, for FILE:LINE:COL; empty when none.
    """

    code: str
    severity: str
    subject: str
    message: str
    fix: str
    control: str | None = None
    path: Path = ()
    source: str | None = None

    def as_problem(self) -> Problem:
        """The finding as a config problem, so `monitor.problems.render` can place it at FILE:LINE:COL."""
        return Problem(self.path, f"{self.subject}: {self.message} (fix: {self.fix})",
                       Check(self.code, self.severity, self.message))

    def to_dict(self) -> dict:
        """The JSON view; the config path is dotted (`clusters[0].services[1].task_definition`)."""
        return {"code": self.code, "severity": self.severity, "subject": self.subject, "message": self.message,
                "fix": self.fix, "control": self.control, "path": dotted(self.path) if self.path else None,
                "source": self.source}


@dataclass(frozen=True)
class Rule(Check):
    """A review check: a Check (code, severity, title, source) with the usual fix and the control."""

    fix: str
    control: str | None = None

    def finding(self, subject: str, message: str, fix: str | None = None, path: Path = (),
                source: str | None = None) -> Finding:
        """A finding of this rule; `fix` replaces the usual fix when the finding knows a better one."""
        return Finding(self.code, self.severity, subject, message, fix or self.fix, self.control, path, source)


def rank(severity: str) -> int:
    """0 for error, 1 for warning, 2 for info: sort by it, worst first."""
    return SEVERITIES.index(severity)


def at_least(findings: Iterable[Finding], severity: str) -> list[Finding]:
    """The findings as bad as `severity` or worse: `--fail-on warning` fails on these."""
    return [f for f in findings if rank(f.severity) <= rank(severity)]


def ordered(findings: Iterable[Finding]) -> list[Finding]:
    """Worst first, then by code and subject: one stable order for every output."""
    return sorted(findings, key=lambda f: (rank(f.severity), f.code, f.subject, f.message))


def catalogue(*tables: Iterable[Rule]) -> dict[str, Rule]:
    """Code -> rule over several modules' tables; a code used twice is a bug, raised at once."""
    found: dict[str, Rule] = {}
    for rule in (rule for table in tables for rule in table):
        if rule.code in found:
            raise ValueError(f"finding code {rule.code} is used by two rules")
        found[rule.code] = rule
    return found
