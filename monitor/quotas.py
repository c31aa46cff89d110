"""AWS's API limits and quotas that the tool enforces, each written once.

Where botocore's service model states a limit, it is read from there (the model ships with
boto3 and is what the SDK itself validates against); the rest are quotas the model cannot
express, each with the AWS page that states it. Reading a model opens a JSON file: no
credentials, no network.
"""

from __future__ import annotations

from functools import lru_cache

import botocore.loaders


@lru_cache(maxsize=None)
def _shapes(service: str) -> dict:
    return botocore.loaders.create_loader().load_service_model(service, "service-2")["shapes"]


def model_max(service: str, shape: str) -> int:
    """The `max` botocore's model gives a shape: a string's length, a list's items or an integer."""
    return int(_shapes(service)[shape]["max"])


def units() -> tuple[str, ...]:
    """CloudWatch's StandardUnit enum (botocore logs model, MetricTransformation.unit)."""
    return tuple(_shapes("logs")["StandardUnit"]["enum"])


# --- CloudWatch Logs, from botocore's logs model ------------------------------------------------
FILTER_NAME = model_max("logs", "FilterName")                 # 512; pattern [^:*]*
FILTER_PATTERN = model_max("logs", "FilterPattern")           # 1024
METRIC_NAME = model_max("logs", "MetricName")                 # 255
METRIC_NAMESPACE = model_max("logs", "MetricNamespace")       # 255
METRIC_VALUE = model_max("logs", "MetricValue")               # 100
DIMENSION_TEXT = model_max("logs", "DimensionsKey")           # 255, keys and values alike
LOG_GROUP_NAME = model_max("logs", "LogGroupName")            # 512
METRIC_FILTERS_PAGE = model_max("logs", "DescribeLimit")      # 50 a DescribeMetricFilters page
LOG_GROUP_IDENTIFIERS = model_max("logs", "DescribeLogGroupsLogGroupIdentifiers")   # 50 a call
TEST_EVENTS = model_max("logs", "TestEventMessages")          # 50 a TestMetricFilter call
ALARM_NAMESPACE = model_max("cloudwatch", "Namespace")        # 255, pattern [^:].*
TAGS = model_max("logs", "Tags")                              # 50 tags on a log group
TAG_KEY = model_max("logs", "TagKey")                         # 128
TAG_VALUE = model_max("logs", "TagValue")                     # 256

# --- Quotas the model cannot state ------------------------------------------------------------
# "One metric filter can include as many as three dimensions" (PutMetricFilter API reference).
DIMENSIONS = 3
# "Metric filters: 100 per log group. This quota can't be changed" (CloudWatch Logs quotas,
# https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/cloudwatch_limits_cwl.html).
FILTERS_PER_GROUP = 100
# "a quota of five regular expression patterns per log group" (PutMetricFilter API reference).
REGEX_PATTERNS_PER_GROUP = 5
# DescribeClusters: "A list of up to 100 cluster names or full cluster ARNs" (ECS API reference).
DESCRIBE_CLUSTERS = 100

# --- CloudWatch alarms, from botocore's cloudwatch model ---------------------------------------
ALARM_NAME = model_max("cloudwatch", "AlarmName")               # 255
ALARM_DESCRIPTION = model_max("cloudwatch", "AlarmDescription")  # 1024
ALARM_ACTIONS = model_max("cloudwatch", "ResourceList")          # 5 per state (PutMetricAlarm AlarmActions)
DESCRIBE_ALARMS_PAGE = model_max("cloudwatch", "MaxRecords")      # 100 a DescribeAlarms page
DELETE_ALARMS = model_max("cloudwatch", "AlarmNames")             # 100 names a DeleteAlarms call
# GetResources: "ResourcesPerPage ... Default: 100" is also its most (Resource Groups Tagging API reference).
TAGGED_RESOURCES_PAGE = 100
