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


def units(service: str = "logs") -> tuple[str, ...]:
    """CloudWatch's StandardUnit enum: botocore's logs model (MetricTransformation.unit), or with
    "cloudwatch" its cloudwatch model (PutMetricAlarm Unit)."""
    return tuple(_shapes(service)["StandardUnit"]["enum"])


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
METRIC_ID = model_max("cloudwatch", "MetricId")                   # 255, a MetricDataQuery's Id
METRIC_EXPRESSION = model_max("cloudwatch", "MetricExpression")   # 2048, a MetricDataQuery's Expression
ALARM_RULE = model_max("cloudwatch", "AlarmRule")                 # 10240, PutCompositeAlarm AlarmRule
ALARM_DIMENSIONS = model_max("cloudwatch", "Dimensions")          # 30 dimensions a metric
ALARM_DIMENSION_VALUE = model_max("cloudwatch", "DimensionValue")  # 1024
# "A single PutMetricAlarm call can include up to 20 MetricDataQuery structures in the array. The 20
# structures can include as many as 10 structures that contain a MetricStat parameter to retrieve a
# metric, and as many as 10 structures that contain the Expression parameter" (MetricDataQuery, CloudWatch
# API reference, https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDataQuery.html);
# "Alarms based on metric math expressions can reference a maximum of 10 metrics. This is a hard limit"
# (CloudWatch User Guide, alarm limits, https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-limits.html).
ALARM_METRICS = 10
ALARM_EXPRESSIONS = 10
# "The AlarmRule can specify as many as 100 "children" alarms. The AlarmRule expression can have as
# many as 500 elements. Elements are child alarms, TRUE or FALSE statements, and parentheses"
# (PutCompositeAlarm, https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutCompositeAlarm.html).
RULE_CHILDREN = 100
RULE_ELEMENTS = 500
# "You can delete up to 100 alarms in one operation. However, this total can include no more than one
# composite alarm" (DeleteAlarms, https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DeleteAlarms.html).
DELETE_COMPOSITE_ALARMS = 1
# GetResources: "ResourcesPerPage ... Default: 100" is also its most (Resource Groups Tagging API reference).
TAGGED_RESOURCES_PAGE = 100


# The public AWS pages behind the checks' rules (Check.source, monitor/problems.py).
_LOGS_API = "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference"
_CW_API = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference"
PUT_METRIC_FILTER_DOC = f"{_LOGS_API}/API_PutMetricFilter.html"
METRIC_TRANSFORMATION_DOC = f"{_LOGS_API}/API_MetricTransformation.html"
CREATE_LOG_GROUP_DOC = f"{_LOGS_API}/API_CreateLogGroup.html"
FILTER_PATTERN_DOC = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html"
LOGS_QUOTAS_DOC = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/cloudwatch_limits_cwl.html"
PUT_METRIC_ALARM_DOC = f"{_CW_API}/API_PutMetricAlarm.html"
PUT_COMPOSITE_ALARM_DOC = f"{_CW_API}/API_PutCompositeAlarm.html"
METRIC_DATA_QUERY_DOC = f"{_CW_API}/API_MetricDataQuery.html"
DIMENSION_DOC = f"{_CW_API}/API_Dimension.html"
PUT_DASHBOARD_DOC = f"{_CW_API}/API_PutDashboard.html"
DASHBOARD_BODY_DOC = f"{_CW_API}/CloudWatch-Dashboard-Body-Structure.html"
STATISTICS_DOC = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Statistics-definitions.html"
METRIC_MATH_DOC = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html"
REGIONS_DOC = "https://docs.aws.amazon.com/general/latest/gr/rande.html"
CREATE_CLUSTER_DOC = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCluster.html"
TASK_DEFINITION_DOC = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html"
FARGATE_SIZES_DOC = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html"
CONTAINER_INSIGHTS_DOC = ("https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/"
                          "Container-Insights-reference-performance-logs-ECS.html")
PROMETHEUS_NAMING_DOC = "https://prometheus.io/docs/practices/naming/"
