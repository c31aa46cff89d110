"""The served emulator refuses the anomaly-detection alarms AWS refuses (monitor/emulator/bands.py).

moto stored every one of these. Each refusal is checked over HTTP, as `--local` and `monitor emulator`
serve it: the error code and status AWS answers with, the message, and that nothing was stored.
"""

import uuid

import pytest
from test_emulator import REGION, client

from monitor.emulator import bands
from monitor.emulator.server import start

M1 = {"Id": "m1", "ReturnData": True,
      "MetricStat": {"Metric": {"Namespace": "Custom/ECS", "MetricName": "Requests"}, "Period": 300, "Stat": "Sum"}}
BAND = {"Id": "ad1", "Expression": "ANOMALY_DETECTION_BAND(m1, 2)", "ReturnData": True}
SINGLE = {"Namespace": "Custom/ECS", "MetricName": "Requests", "Statistic": "Sum", "Period": 60}
AROUND = "LessThanLowerOrGreaterThanUpperThreshold"


@pytest.fixture(scope="module")
def cloudwatch():
    with start(REGION) as running:
        yield client(running.url, "cloudwatch")


def named() -> str:
    return f"band-{uuid.uuid4().hex}"


@pytest.mark.parametrize("alarm, message", [
    # AWS's words, as users met them (aws/aws-cdk#10540, terraform-aws-modules/terraform-aws-cloudwatch#13)
    ({**SINGLE, "ComparisonOperator": "GreaterThanUpperThreshold", "Threshold": 5}, bands.NO_THRESHOLD_METRIC),
    ({"Metrics": [M1, BAND], "ComparisonOperator": AROUND}, bands.NO_THRESHOLD_METRIC),
    # AWS's words, as users met them (cdklabs/cdk-monitoring-constructs#340)
    ({"Metrics": [M1, {"Id": "e1", "Expression": "m1 * 2", "ReturnData": False}], "ThresholdMetricId": "e1",
      "ComparisonOperator": AROUND}, bands.NOT_A_BAND),
    # a band with a static threshold: beside ThresholdMetricId, or as a static alarm's
    ({"Metrics": [M1, BAND], "ThresholdMetricId": "ad1", "Threshold": 5, "ComparisonOperator": AROUND},
     bands.STATIC_BAND),
    ({"Metrics": [{**M1, "ReturnData": False}, BAND], "Threshold": 5, "ComparisonOperator": "GreaterThanThreshold"},
     bands.STATIC_BAND),
], ids=["band-comparison-single-metric", "band-comparison-no-id", "id-of-no-band", "id-and-threshold",
        "band-as-static-alarm"])
def test_what_aws_refuses_is_a_validation_error_and_nothing_is_stored(cloudwatch, alarm, message):
    name = named()
    with pytest.raises(cloudwatch.exceptions.ClientError) as raised:
        cloudwatch.put_metric_alarm(AlarmName=name, EvaluationPeriods=1, **alarm)
    answer = raised.value.response
    assert (answer["Error"]["Code"], answer["ResponseMetadata"]["HTTPStatusCode"]) == ("ValidationError", 400)
    assert answer["Error"]["Message"] == message
    assert cloudwatch.describe_alarms(AlarmNames=[name])["MetricAlarms"] == []


def test_an_anomaly_alarm_as_aws_writes_it_is_stored_with_its_band_and_no_threshold(cloudwatch):
    name = named()
    cloudwatch.put_metric_alarm(AlarmName=name, EvaluationPeriods=3, Metrics=[M1, BAND], ThresholdMetricId="ad1",
                                ComparisonOperator=AROUND)
    [stored] = cloudwatch.describe_alarms(AlarmNames=[name])["MetricAlarms"]
    assert (stored["ThresholdMetricId"], stored["ComparisonOperator"]) == ("ad1", AROUND)
    assert "Threshold" not in stored


def test_static_alarms_are_untouched(cloudwatch):
    plain, math = named(), named()
    cloudwatch.put_metric_alarm(AlarmName=plain, EvaluationPeriods=1, Threshold=5,
                                ComparisonOperator="GreaterThanThreshold", **SINGLE)
    cloudwatch.put_metric_alarm(AlarmName=math, EvaluationPeriods=1, Threshold=5, ComparisonOperator="GreaterThanThreshold",
                                Metrics=[{**M1, "ReturnData": False},
                                         {"Id": "e1", "Expression": "m1 * 2", "ReturnData": True}])
    found = cloudwatch.describe_alarms(AlarmNames=[plain, math])["MetricAlarms"]
    assert sorted(a["AlarmName"] for a in found) == sorted([plain, math])
