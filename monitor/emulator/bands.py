"""Anomaly-detection alarms in the emulator, refused where AWS refuses them; moto stored them all.

PutMetricAlarm's reference (the documentation in botocore's cloudwatch model, PutMetricAlarm input,
from which https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
is made) sets the rules: ComparisonOperator "The values LessThanLowerOrGreaterThanUpperThreshold,
LessThanLowerThreshold, and GreaterThanUpperThreshold are used only for alarms based on anomaly
detection models"; ThresholdMetricId "If this is an alarm based on an anomaly detection model, make
this value match the ID of the ANOMALY_DETECTION_BAND function"; Threshold "is required for alarms
based on static thresholds, but should not be used for alarms based on anomaly detection models".
Each refusal is a 400 ValidationError, as AWS answers:

- a band comparison without ThresholdMetricId: "ComparisonOperators for ranges require
  ThresholdMetricId to be set", AWS's words as users met them
  (https://github.com/aws/aws-cdk/issues/10540,
  https://github.com/terraform-aws-modules/terraform-aws-cloudwatch/issues/13);
- a ThresholdMetricId naming a `Metrics` expression that is no ANOMALY_DETECTION_BAND: "Threshold
  metric expression must use ANOMALY_DETECTION_BAND function.", AWS's words as users met them
  (https://github.com/cdklabs/cdk-monitoring-constructs/issues/340);
- a band with a static threshold: an ANOMALY_DETECTION_BAND expression in `Metrics` together with a
  `Threshold`, with or without ThresholdMetricId (Threshold "should not be used", above; the AWS CDK's
  maintainers on deploying one: "providing a threshold for anomaly detection is not valid",
  https://github.com/aws/aws-cdk/pull/31232). No public record found gives AWS's words for this
  refusal: this message is ours, the ValidationError code AWS's.

`monitor validate` refuses all three first (monitor/kinds/alarm_checks.py, ALM-027); this is for
what reaches the emulator some other way (the AWS CLI, another tool, a test). Installed by
monitor/emulator/server.py; it wraps CloudWatchResponse.put_metric_alarm, moto's internals.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from moto.cloudwatch.exceptions import ValidationError
from moto.cloudwatch.responses import CloudWatchResponse

from monitor.config.model import BAND_COMPARISONS
from monitor.resolved.metrics import band_of

Wrapped = Callable[..., Any]
NO_THRESHOLD_METRIC = "ComparisonOperators for ranges require ThresholdMetricId to be set"
NOT_A_BAND = "Threshold metric expression must use ANOMALY_DETECTION_BAND function."
STATIC_BAND = ("An alarm on an ANOMALY_DETECTION_BAND takes no Threshold: the band is its threshold "
               "(ThresholdMetricId and a band ComparisonOperator)")


def install() -> None:
    """Wrap PutMetricAlarm; server.install_fidelity_patches runs this once per process."""
    CloudWatchResponse.put_metric_alarm = _checked(CloudWatchResponse.put_metric_alarm)


def refusal(comparison: str | None, threshold: object, threshold_metric_id: str | None,
            metrics: list[dict]) -> str | None:
    """What AWS says to this PutMetricAlarm, by the rules above; None when it takes it."""
    if comparison in BAND_COMPARISONS and not threshold_metric_id:
        return NO_THRESHOLD_METRIC
    named = [query for query in metrics if query.get("Id") == threshold_metric_id]
    if threshold_metric_id and named and not band_of(named[0].get("Expression")):
        return NOT_A_BAND
    if threshold is not None and any(band_of(query.get("Expression")) for query in metrics):
        return STATIC_BAND
    return None


def _checked(put: Wrapped) -> Wrapped:
    @functools.wraps(put)
    def checked(self: CloudWatchResponse) -> Any:
        said = refusal(self._get_param("ComparisonOperator"), self._get_param("Threshold"),
                       self._get_param("ThresholdMetricId"), self._get_param("Metrics", []) or [])
        if said:
            raise ValidationError(said)
        return put(self)

    return checked
