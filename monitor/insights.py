"""Container Insights facts: the performance log group and its per-container fields."""

from __future__ import annotations

# Fields of a `Type=Container` performance log event and the CloudWatch unit of each.
# Source: AWS, "Container Insights performance log events for Amazon ECS"
# (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-reference-performance-logs-ECS.html):
# the embedded-metric block of its Task event gives CpuUtilized/CpuReserved "None" (CPU units),
# Memory* "Megabytes", and Storage*Bytes and Network*Bytes "Bytes/Second"; the packet, drop and
# error counters are counts.
PERFORMANCE_METRICS: dict[str, str] = {
    "CpuUtilized": "None",
    "CpuReserved": "None",
    "MemoryUtilized": "Megabytes",
    "MemoryReserved": "Megabytes",
    "StorageReadBytes": "Bytes/Second",
    "StorageWriteBytes": "Bytes/Second",
    "NetworkRxBytes": "Bytes/Second",
    "NetworkTxBytes": "Bytes/Second",
    "NetworkRxPackets": "Count",
    "NetworkTxPackets": "Count",
    "NetworkRxDropped": "Count",
    "NetworkTxDropped": "Count",
    "NetworkRxErrors": "Count",
    "NetworkTxErrors": "Count",
}

# Per-container dimensions: never TaskId, whose cardinality would get the filter disabled
# (CloudWatch Logs disables a filter past 1,000 dimension combinations an hour).
DIMENSIONS = {
    "ClusterName": "$.ClusterName",
    "ServiceName": "$.ServiceName",
    "ContainerName": "$.ContainerName",
}


def performance_log_group(cluster: str) -> str:
    """Where Container Insights writes a cluster's performance log events."""
    return f"/aws/ecs/containerinsights/{cluster}/performance"
