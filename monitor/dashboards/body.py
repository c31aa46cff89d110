"""A dashboard body checked offline against CloudWatch's structure and limits. Pure.

Source: "Dashboard Body Structure and Syntax"
(https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html):
a `widgets` array of 0-500 widgets; `type` one of metric, text, log, alarm, explorer; `x` 0-23,
`width` 1-24, `height` 1-1000 on a 24-column grid; a metric widget needs `region`, and its
`period` is a multiple of 60; an `id` (of a metric or an expression) starts with a lower-case
letter; at most 500 metrics in a widget and 2,500 in a dashboard; an alarm widget lists 1-100
alarm ARNs. An alarm annotation ("Dashboard Widget Object: Annotation Properties") holds 0-1 alarm
ARNs, and a widget with one has no `metrics` array and no horizontal or vertical annotation. Logs Insights queries a widget's `SOURCE` log groups, at most 50
(https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AnalyzingLogData.html).
"""

from __future__ import annotations

import re

MAX_WIDGETS, MAX_WIDGET_METRICS, MAX_METRICS = 500, 500, 2500
MAX_ALARMS, MAX_LOG_GROUPS = 100, 50
COLUMNS, MAX_HEIGHT = 24, 1000
TYPES = ("metric", "text", "log", "alarm", "explorer")
ID = re.compile(r"[a-z][A-Za-z0-9_]*")
SOURCE = re.compile(r"SOURCE\s+'")
SPLIT = "; set 'per: service' on the dashboard for one dashboard a service, or name fewer 'clusters'"


def problems(body: dict) -> list[str]:
    """Every rule the body breaks, each as `widgets[N].key: what is wrong`."""
    widgets = body.get("widgets")
    if not isinstance(widgets, list):
        return ["widgets: a dashboard body needs a 'widgets' array"]
    found = [f"widgets: {len(widgets)} widgets; CloudWatch allows at most {MAX_WIDGETS}{SPLIT}"] \
        if len(widgets) > MAX_WIDGETS else []
    total = sum(len(w.get("properties", {}).get("metrics") or []) for w in widgets if w.get("type") == "metric")
    if total > MAX_METRICS:
        found.append(f"widgets: {total} metrics in all; CloudWatch allows at most {MAX_METRICS} on a dashboard{SPLIT}")
    return found + [f"widgets[{n}].{message}" for n, widget in enumerate(widgets) for message in _widget(widget)]


def _widget(widget: dict) -> list[str]:
    kind = widget.get("type")
    if kind not in TYPES:
        return [f"type: '{kind}' is not a widget type; allowed: {', '.join(TYPES)}"]
    properties = widget.get("properties") or {}
    checks = {"metric": _metric, "text": _text, "log": _log, "alarm": _alarm}
    return _grid(widget) + (checks[kind](properties) if kind in checks else [])


def _grid(widget: dict) -> list[str]:
    x, width, height = widget.get("x", 0), widget.get("width", 6), widget.get("height", 6)
    found = []
    if not (isinstance(x, int) and 0 <= x <= COLUMNS - 1):
        found.append(f"x: {x}; allowed 0-{COLUMNS - 1}")
    if not (isinstance(width, int) and 1 <= width <= COLUMNS):
        found.append(f"width: {width}; allowed 1-{COLUMNS}")
    elif isinstance(x, int) and x + width > COLUMNS:
        found.append(f"width: x {x} + width {width} passes the grid's {COLUMNS} columns")
    if not (isinstance(height, int) and 1 <= height <= MAX_HEIGHT):
        found.append(f"height: {height}; allowed 1-{MAX_HEIGHT}")
    if not isinstance(widget.get("y", 0), int) or widget.get("y", 0) < 0:
        found.append(f"y: {widget.get('y')}; a row number from 0")
    return found


def _metric(properties: dict) -> list[str]:
    metrics = properties.get("metrics") or []
    found = [] if properties.get("region") else ["properties.region: a metric widget needs its Region"]
    if len(metrics) > MAX_WIDGET_METRICS:
        found.append(f"properties.metrics: {len(metrics)} metrics; CloudWatch allows at most {MAX_WIDGET_METRICS} "
                     "in a widget")
    found += _period("properties.period", properties.get("period"))
    annotations = properties.get("annotations") or {}
    alarms = annotations.get("alarms") or []
    if len(alarms) > 1:
        found.append(f"properties.annotations.alarms: {len(alarms)} alarms; a metric widget has at most one")
    if alarms and (metrics or annotations.get("horizontal") or annotations.get("vertical")):
        found.append("properties.annotations.alarms: a widget with an alarm annotation has no metrics and no "
                     "other annotation")
    for n, row in enumerate(metrics):
        options = next((cell for cell in row if isinstance(cell, dict)), {}) if isinstance(row, list) else {}
        found += _period(f"properties.metrics[{n}].period", options.get("period"))
        if "id" in options and not ID.fullmatch(str(options["id"])):
            found.append(f"properties.metrics[{n}].id: '{options['id']}' must start with a lower-case letter and "
                         "hold only letters, digits and _")
    return found


def _period(where: str, period: object) -> list[str]:
    if period is None or (isinstance(period, int) and period > 0 and period % 60 == 0):
        return []
    return [f"{where}: {period}; a period is a multiple of 60 seconds"]


def _text(properties: dict) -> list[str]:
    return [] if isinstance(properties.get("markdown"), str) else ["properties.markdown: a text widget needs markdown"]


def _log(properties: dict) -> list[str]:
    query = properties.get("query")
    if not isinstance(query, str) or not properties.get("region"):
        return ["properties: a log widget needs a 'query' and a 'region'"]
    sources = len(SOURCE.findall(query))
    return [f"properties.query: {sources} log groups; Logs Insights queries at most {MAX_LOG_GROUPS}"] \
        if sources > MAX_LOG_GROUPS else []


def _alarm(properties: dict) -> list[str]:
    alarms = properties.get("alarms") or []
    return [] if 1 <= len(alarms) <= MAX_ALARMS else \
        [f"properties.alarms: {len(alarms)} alarms; an alarm widget shows 1-{MAX_ALARMS}"]
