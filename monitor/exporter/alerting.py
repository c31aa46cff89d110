"""`monitor exporter --print-rules`: Prometheus alerting rules for the exporter's health and the ratios it serves. Pure.

The rule file format is Prometheus's ("Alerting rules",
https://prometheus.io/docs/prometheus/latest/configuration/alerting_rules/): groups of rules, each
an `alert`, an `expr`, a `for` and `labels`/`annotations`; `promtool check rules` checks it. The
exporter's health comes from its own series (monitor/exporter/collector.py): `up` of its scrape job
(Prometheus sets it per target; the job is `ecs-monitor` as in examples/exporter/prometheus.yml),
`ecs_monitor_up` (the last refresh from CloudWatch succeeded), `ecs_monitor_data_age_seconds` and
`ecs_monitor_refreshes_total`. Stale data is older than three refreshes past the latest complete
period the config's delays allow. The service utilization thresholds follow CloudWatch's recommended
alarms for Amazon ECS (CPUUtilization and MemoryUtilization, "Recommended threshold: 80.0", 5 of 5
one-minute periods, https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Best_Practice_Recommended_Alarms_AWS_Services.html#ECS);
a container near its memory limit is killed past it, so 90% of that limit pages: that number is ours.
"""

from __future__ import annotations

from monitor.config.model import Config, Exporter
from monitor.exporter.naming import SELF

JOB = "ecs-monitor"
SERVICE = "ecs_cluster, ecs_service"


def rules(config: Config, job: str = JOB) -> dict:
    """The rule file, as data for yaml.safe_dump."""
    settings = config.exporter or Exporter()
    stale = 3 * settings.interval + max(settings.delay.filters, settings.delay.performance, settings.delay.insights) \
        + settings.period
    return {"groups": [{"name": "ecs-monitor-exporter", "rules": _health(job, stale)},
                       {"name": "ecs-monitor-utilization", "rules": _ratios()}]}


def _rule(alert: str, expr: str, duration: str, severity: str, summary: str, description: str) -> dict:
    return {"alert": alert, "expr": expr, "for": duration, "labels": {"severity": severity},
            "annotations": {"summary": summary, "description": description}}


def _health(job: str, stale: int) -> list[dict]:
    return [
        _rule("EcsMonitorExporterDown", f'up{{job="{job}"}} == 0', "5m", "critical",
              "The ecs-monitor exporter cannot be scraped",
              "{{ $labels.instance }} has not answered a scrape for 5 minutes: no ECS metrics reach Prometheus."),
        _rule("EcsMonitorExporterAbsent", f'absent(up{{job="{job}"}})', "10m", "critical",
              "No ecs-monitor exporter is scraped", f"Prometheus has no target in job {job}."),
        _rule("EcsMonitorRefreshFailing", f"{SELF}_up == 0", "10m", "warning",
              "The exporter's refreshes from CloudWatch fail",
              "{{ $labels.instance }} serves its last good snapshot; its log says why (credentials, throttling, "
              "an endpoint that does not answer)."),
        _rule("EcsMonitorRefreshErrors", f'increase({SELF}_refreshes_total{{result="error"}}[15m]) > 2', "0m",
              "warning", "Refreshes from CloudWatch fail now and then",
              "{{ $labels.instance }}: {{ $value }} failed refreshes in 15 minutes."),
        _rule("EcsMonitorDataStale", f"{SELF}_data_age_seconds > {stale}", "5m", "warning",
              "The exporter serves stale data",
              f"{{{{ $labels.instance }}}}: the newest period served ended {{{{ $value }}}} s ago; more than {stale} s "
              "(three refreshes past the configured delays)."),
    ]


def _ratios() -> list[dict]:
    return [
        _rule("EcsContainerMemoryNearLimit", "ecs_container_memory_utilization_ratio > 0.9", "5m", "critical",
              "A container uses more than 90% of its memory limit",
              "{{ $labels.ecs_cluster }}/{{ $labels.ecs_service }}/{{ $labels.ecs_container }} is at "
              "{{ $value | humanizePercentage }} of its limit; past a hard limit it is killed (exit code 137)."),
        _rule("EcsContainerCpuAboveReservation", "ecs_container_cpu_utilization_ratio > 1", "15m", "warning",
              "A container uses more CPU than it reserves",
              "{{ $labels.ecs_cluster }}/{{ $labels.ecs_service }}/{{ $labels.ecs_container }} uses "
              "{{ $value | humanizePercentage }} of its CPU share: it may starve its neighbours."),
        _rule("EcsServiceCpuHigh", "ecs_service_cpu_utilization_ratio > 0.8", "5m", "warning",
              "A service uses more than 80% of the CPU its tasks reserve",
              "{{ $labels.ecs_cluster }}/{{ $labels.ecs_service }}: {{ $value | humanizePercentage }}."),
        _rule("EcsServiceMemoryHigh", "ecs_service_memory_utilization_ratio > 0.8", "5m", "warning",
              "A service uses more than 80% of the memory its tasks reserve",
              "{{ $labels.ecs_cluster }}/{{ $labels.ecs_service }}: {{ $value | humanizePercentage }}."),
        _rule("EcsServiceTarget5xxHigh",
              f"sum by ({SERVICE}) (rate(ecs_target_group_http5xx_responses_total[5m])) / "
              f"sum by ({SERVICE}) (rate(ecs_target_group_requests_total[5m])) > 0.05", "5m", "critical",
              "More than 5% of a service's requests answer 5xx",
              "{{ $labels.ecs_cluster }}/{{ $labels.ecs_service }}: {{ $value | humanizePercentage }} of the "
              "requests its load balancer sent it."),
    ]


def families() -> set[str]:
    """The exporter's metric names the rules read (beside Prometheus's own `up`)."""
    return {f"{SELF}_up", f"{SELF}_refreshes_total", f"{SELF}_data_age_seconds",
            "ecs_container_memory_utilization_ratio", "ecs_container_cpu_utilization_ratio",
            "ecs_service_cpu_utilization_ratio", "ecs_service_memory_utilization_ratio",
            "ecs_target_group_http5xx_responses_total", "ecs_target_group_requests_total"}
