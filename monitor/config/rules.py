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
from monitor.problems import ERROR, WARNING, Check, Path, Problem, Source

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

PATTERN = Check("FLT-001", ERROR, "a filter pattern CloudWatch Logs refuses", source=quotas.FILTER_PATTERN_DOC)
PATTERN_UNCLEAR = Check("FLT-002", WARNING, "a filter pattern AWS accepts but matches in an undocumented way",
                        source=quotas.FILTER_PATTERN_DOC)
METRIC_NAME_CHECK = Check("FLT-003", ERROR, "a metric name AWS does not allow", source=quotas.METRIC_TRANSFORMATION_DOC)
NAMESPACE_CHECK = Check("FLT-004", ERROR, "a namespace AWS does not allow, or one of the reserved AWS/ namespaces",
                        source=quotas.METRIC_TRANSFORMATION_DOC)
UNIT = Check("FLT-005", ERROR, "an unknown unit", source=quotas.METRIC_TRANSFORMATION_DOC)
VALUE = Check("FLT-006", ERROR, "a metric value longer than AWS allows", source=quotas.METRIC_TRANSFORMATION_DOC)
DIMENSIONS = Check("FLT-007", ERROR, "more dimensions than AWS allows", source=quotas.METRIC_TRANSFORMATION_DOC)
DEFAULT_WITH_DIMENSIONS = Check("FLT-008", ERROR, "a default value together with dimensions",
                                source=quotas.METRIC_TRANSFORMATION_DOC)
DIMENSION_NAME = Check("FLT-009", ERROR, "a dimension name AWS does not allow", source=quotas.METRIC_TRANSFORMATION_DOC)
DIMENSIONS_KIND = Check("FLT-010", ERROR, "dimensions on a pattern that extracts no fields",
                        source=quotas.FILTER_PATTERN_DOC)
REFERENCE = Check("FLT-011", ERROR, "a value or dimension naming a field the pattern cannot extract",
                  source=quotas.FILTER_PATTERN_DOC)
CHECKS = (PATTERN, PATTERN_UNCLEAR, METRIC_NAME_CHECK, NAMESPACE_CHECK, UNIT, VALUE, DIMENSIONS,
          DEFAULT_WITH_DIMENSIONS, DIMENSION_NAME, DIMENSIONS_KIND, REFERENCE)

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
    found: list[tuple[Check, str | tuple, str, int | None]] = []
    pattern = _pattern(item.pattern or "", found if with_pattern else [])
    found += _metric_problems(item)
    if pattern is not None:
        found += _reference_problems(item, pattern)
    problems = [check.problem(path + (key if isinstance(key, tuple) else (key,)), message,
                              source=source, offset=offset)
                for check, key, message, offset in found]
    return problems + (_pattern_warnings(pattern, path, source) if with_pattern else [])


def _pattern(text: str, found: list) -> Pattern | None:
    """parse() alone decides what AWS accepts, quotas included; its error becomes a Problem."""
    try:
        return parse(text)
    except PatternError as error:
        found.append((PATTERN, "pattern", error.message, error.column))
        return None


def _pattern_warnings(pattern: Pattern | None, path: Path, source: Source) -> list[Problem]:
    """Accepted, but matched in a way AWS does not document: warn with the unambiguous spelling."""
    return [PATTERN_UNCLEAR.problem(path + ("pattern",), warning.message, source=source, offset=warning.column)
            for warning in (pattern.warnings if pattern is not None else ())]


def _metric_problems(item: Filter) -> list[tuple]:
    found = []
    metric = item.metric or ""
    if not METRIC_NAME.fullmatch(metric) or set(metric) & set(":*$"):
        found.append((METRIC_NAME_CHECK, "metric", f"'{metric}' is not a valid metric name: 1-{MAX_METRIC_NAME} ASCII "
                                "characters without ':', '*' or '$'", None))
    if item.namespace is not None and (message := namespace_problem(item.namespace)):
        found.append((NAMESPACE_CHECK, "namespace", message, None))
    if item.unit is not None and item.unit not in units():
        found.append((UNIT, "unit", f"unknown unit '{item.unit}'; allowed: {', '.join(units())}", None))
    if item.value is not None and len(item.value) > MAX_METRIC_VALUE:
        found.append((VALUE, "value", f"metric value is longer than {MAX_METRIC_VALUE} characters", None))
    return found + _dimension_problems(item)


def _dimension_problems(item: Filter) -> list[tuple]:
    dimensions = item.dimensions or {}
    found = []
    if len(dimensions) > MAX_DIMENSIONS:
        found.append((DIMENSIONS, "dimensions", f"{len(dimensions)} dimensions; AWS allows at most {MAX_DIMENSIONS}", None))
    if dimensions and item.default is not None:
        found.append((DEFAULT_WITH_DIMENSIONS, "default", "AWS does not allow a default value together with dimensions; "
                                 "remove 'default' or 'dimensions'", None))
    for key in dimensions:
        if not key.strip() or key.startswith(":") or not key.isascii() or len(key) > MAX_DIMENSION_TEXT:
            found.append((DIMENSION_NAME, ("dimensions", key), f"dimension name '{key}' must be 1-{MAX_DIMENSION_TEXT} ASCII "
                                        "characters, not blank, not starting with ':'", None))
    return found


def _reference_problems(item: Filter, pattern: Pattern) -> list[tuple]:
    """The value and dimensions must name fields the pattern can extract."""
    found = []
    if item.dimensions and pattern.kind not in ("json", "delimited"):
        found.append((DIMENSIONS_KIND, "dimensions", "dimensions need a JSON ({...}) or space-delimited ([...]) "
                                    f"pattern; this pattern is of kind '{pattern.kind}'", None))
    elif item.dimensions:
        for key, ref in item.dimensions.items():
            if message := pattern.check_reference(ref):
                found.append((REFERENCE, ("dimensions", key), message, None))
    if item.value is not None and (message := pattern.check_reference(item.value)):
        found.append((REFERENCE, "value", message, None))
    return found
