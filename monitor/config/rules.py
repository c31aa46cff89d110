"""Layer three: AWS's rules for each metric filter field, checked offline.

Sources: botocore's `logs` service model (PutMetricFilter, MetricTransformation) and the
CloudFormation AWS::Logs::MetricFilter schema ([S10] and [S11] in the SOURCES list of
monitor/patterns/semantics.py). Whether a filter pattern is accepted, quotas included, is
decided by monitor.patterns.parse alone.
"""

from __future__ import annotations

import re

from monitor import quotas
from monitor.config.model import Filter
from monitor.patterns import Pattern, PatternError, parse
from monitor.problems import Path, Problem, Source

MAX_FILTER_NAME = quotas.FILTER_NAME          # filterName: 1-512, pattern [^:*]*
MAX_METRIC_NAME = quotas.METRIC_NAME          # metricName: <=255, [^:*$]*, ASCII (CloudFormation)
MAX_METRIC_VALUE = quotas.METRIC_VALUE        # metricValue: <=100
MAX_DIMENSIONS = quotas.DIMENSIONS            # "as many as three dimensions"
MAX_DIMENSION_TEXT = quotas.DIMENSION_TEXT    # dimension key and value: <=255 each
# Namespace: botocore allows [^:*$]{0,255}, CloudFormation [0-9a-zA-Z.\-_/#]{1,256};
# we accept only what both accept.
NAMESPACE = re.compile(r"[0-9A-Za-z._/#-]{1,255}")
METRIC_NAME = re.compile(r"[\x00-\x7f]{1,255}")
LOG_GROUP = re.compile(r"[.\-_/#A-Za-z0-9]{1,512}")   # logGroupName pattern, 1-512


units = quotas.units


def filter_name_problem(name: str) -> str | None:
    if not 1 <= len(name) <= MAX_FILTER_NAME:
        return f"filter name '{name}' is {len(name)} characters; AWS allows 1-{MAX_FILTER_NAME}"
    if ":" in name or "*" in name:
        return f"filter name '{name}' contains ':' or '*', which AWS does not allow"
    return None


def log_group_problem(name: str) -> str | None:
    if LOG_GROUP.fullmatch(name):
        return None
    return f"'{name}' is not a valid log group name: 1-512 characters of A-Z a-z 0-9 . - _ / #"


def namespace_problem(namespace: str) -> str | None:
    if namespace.startswith("AWS/"):
        return f"'{namespace}': the AWS/ namespaces are reserved for AWS services"
    if not NAMESPACE.fullmatch(namespace):
        return f"'{namespace}' is not a valid namespace: 1-255 characters of A-Z a-z 0-9 . - _ / #"
    return None


def check_filter(item: Filter, path: Path, source: Source, with_pattern: bool = True) -> list[Problem]:
    """Every AWS rule one complete filter breaks; the pattern's syntax only if asked."""
    found: list[tuple[str, str, int | None]] = []
    pattern = _pattern(item.pattern or "", found if with_pattern else [])
    found += _metric_problems(item)
    if pattern is not None:
        found += _reference_problems(item, pattern)
    problems = [Problem(path + (key if isinstance(key, tuple) else (key,)), message,
                        source=source, offset=offset)
                for key, message, offset in found]
    return problems + (_pattern_warnings(pattern, path, source) if with_pattern else [])


def _pattern(text: str, found: list) -> Pattern | None:
    """parse() alone decides what AWS accepts, quotas included; its error becomes a Problem."""
    try:
        return parse(text)
    except PatternError as error:
        found.append(("pattern", error.message, error.column))
        return None


def _pattern_warnings(pattern: Pattern | None, path: Path, source: Source) -> list[Problem]:
    """Accepted, but matched in a way AWS does not document: warn with the unambiguous spelling."""
    return [Problem(path + ("pattern",), warning.message, severity="warning", source=source, offset=warning.column)
            for warning in (pattern.warnings if pattern is not None else ())]


def _metric_problems(item: Filter) -> list[tuple[str, str, None]]:
    found = []
    metric = item.metric or ""
    if not METRIC_NAME.fullmatch(metric) or set(metric) & set(":*$"):
        found.append(("metric", f"'{metric}' is not a valid metric name: 1-{MAX_METRIC_NAME} ASCII "
                                "characters without ':', '*' or '$'", None))
    if item.namespace is not None and (message := namespace_problem(item.namespace)):
        found.append(("namespace", message, None))
    if item.unit is not None and item.unit not in units():
        found.append(("unit", f"unknown unit '{item.unit}'; allowed: {', '.join(units())}", None))
    if item.value is not None and len(item.value) > MAX_METRIC_VALUE:
        found.append(("value", f"metric value is longer than {MAX_METRIC_VALUE} characters", None))
    return found + _dimension_problems(item)


def _dimension_problems(item: Filter) -> list[tuple[str, str, None]]:
    dimensions = item.dimensions or {}
    found = []
    if len(dimensions) > MAX_DIMENSIONS:
        found.append(("dimensions", f"{len(dimensions)} dimensions; AWS allows at most {MAX_DIMENSIONS}", None))
    if dimensions and item.default is not None:
        found.append(("default", "AWS does not allow a default value together with dimensions; "
                                 "remove 'default' or 'dimensions'", None))
    for key in dimensions:
        if not key.strip() or key.startswith(":") or not key.isascii() or len(key) > MAX_DIMENSION_TEXT:
            found.append((("dimensions", key), f"dimension name '{key}' must be 1-{MAX_DIMENSION_TEXT} ASCII "
                                        "characters, not blank, not starting with ':'", None))
    return found


def _reference_problems(item: Filter, pattern: Pattern) -> list[tuple[str, str, None]]:
    """The value and dimensions must name fields the pattern can extract."""
    found = []
    if item.dimensions and pattern.kind not in ("json", "delimited"):
        found.append(("dimensions", "dimensions need a JSON ({...}) or space-delimited ([...]) "
                                    f"pattern; this pattern is of kind '{pattern.kind}'", None))
    elif item.dimensions:
        for key, ref in item.dimensions.items():
            if message := pattern.check_reference(ref):
                found.append((("dimensions", key), message, None))
    if item.value is not None and (message := pattern.check_reference(item.value)):
        found.append(("value", message, None))
    return found
