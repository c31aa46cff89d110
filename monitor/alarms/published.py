"""What AWS publishes: the metrics and dimension sets of the namespaces an ECS service's alarms watch. Data.

An alarm on a metric AWS never publishes (a name not in the namespace, or dimension names it is never
published with) has no data, ever: it sits in INSUFFICIENT_DATA, or with missing data treated as
breaching, in ALARM. `judge` says so, with the namespace or dimensions that would work.

Sources (each entry below names its own):
- ECS: "Amazon ECS CloudWatch metrics"
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/available-metrics.html: CPUReservation,
  MemoryReservation and GPUReservation per ClusterName "only supported for tasks hosted on an Amazon EC2
  instance"; CPUUtilization and MemoryUtilization per ClusterName (EC2 only) and per ClusterName and
  ServiceName (EC2 and Fargate); EBSFilesystemUtilization per ClusterName and ServiceName; the Service
  Connect metrics per ClusterName, ServiceName and DiscoveryName (or TargetDiscoveryName).
- INSIGHTS: "Amazon ECS Container Insights metrics"
  https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-metrics-ECS.html and
  "Amazon ECS Container Insights with enhanced observability metrics"
  https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-enhanced-observability-metrics-ECS.html:
  task-level figures per ClusterName, per ClusterName and ServiceName, and per ClusterName and
  TaskDefinitionFamily; task counts per ClusterName and ServiceName; ContainerInstanceCount and the
  instance_* metrics from EC2 container instances only; enhanced mode adds TaskId to the task-level
  sets and the Container* metrics per container (ContainerName with ServiceName or
  TaskDefinitionFamily, and TaskId).
- ALB: "CloudWatch metrics for your Application Load Balancer"
  https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
- SQS: "Available CloudWatch metrics for Amazon SQS"
  https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html
Only these namespaces are judged; any other is left alone.
"""

from __future__ import annotations

from dataclasses import dataclass

ECS_DOC = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/available-metrics.html"
INSIGHTS_DOC = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-metrics-ECS.html"
ALB_DOC = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html"
SQS_DOC = ("https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/"
           "sqs-available-cloudwatch-metrics.html")
ECS, INSIGHTS, ALB, SQS = "AWS/ECS", "ECS/ContainerInsights", "AWS/ApplicationELB", "AWS/SQS"
STANDARD, ENHANCED = "standard", "enhanced"


@dataclass(frozen=True)
class Dimensions:
    """One set of dimension names a metric is published with; `fargate` False: only for EC2 capacity;
    `mode` for Container Insights: `enhanced` when only enhanced observability publishes it."""

    names: frozenset[str]
    fargate: bool = True
    mode: str = STANDARD


def _sets(*sets: tuple[str, ...], fargate: bool = True, mode: str = STANDARD) -> tuple[Dimensions, ...]:
    return tuple(Dimensions(frozenset(names), fargate, mode) for names in sets)


C, S, F, T, K = "ClusterName", "ServiceName", "TaskDefinitionFamily", "TaskId", "ContainerName"
# --- AWS/ECS -------------------------------------------------------------------------------------
_CLUSTER_EC2 = _sets((C,), fargate=False)
_UTILIZATION = _sets((C,), fargate=False) + _sets((C, S))
_CONNECT = _sets((C, S, "DiscoveryName"), (C, S, "TargetDiscoveryName"))
_ECS = {"CPUReservation": _CLUSTER_EC2, "MemoryReservation": _CLUSTER_EC2, "GPUReservation": _CLUSTER_EC2,
        "CPUUtilization": _UTILIZATION, "MemoryUtilization": _UTILIZATION,
        "EBSFilesystemUtilization": _sets((C, S)),
        **{name: _CONNECT for name in (
            "ActiveConnectionCount", "NewConnectionCount", "ProcessedBytes", "RequestCount", "GrpcRequestCount",
            "HTTPCode_Target_2XX_Count", "HTTPCode_Target_3XX_Count", "HTTPCode_Target_4XX_Count",
            "HTTPCode_Target_5XX_Count", "RequestCountPerTarget", "TargetProcessedBytes", "TargetResponseTime",
            "ClientTLSNegotiationErrorCount", "TargetTLSNegotiationErrorCount")}}
# --- ECS/ContainerInsights -----------------------------------------------------------------------
_TASK_LEVEL = _sets((C,), (C, S), (C, F)) + _sets((C, F, T), (C, S, T), mode=ENHANCED)
_SERVICE = _sets((C, S))
_CONTAINER = _sets((C, S, K), (C, F, K), (C, F, T, K), mode=ENHANCED)
_INSTANCE = _sets((C,), fargate=False) + _sets((C, "ContainerInstanceId", "EC2InstanceId"), fargate=False)
_INSIGHTS = {
    **{name: _TASK_LEVEL for name in (
        "CpuUtilized", "CpuReserved", "MemoryUtilized", "MemoryReserved", "NetworkRxBytes", "NetworkTxBytes",
        "StorageReadBytes", "StorageWriteBytes", "EphemeralStorageReserved", "EphemeralStorageUtilized",
        "EBSFilesystemSize", "EBSFilesystemUtilized")},
    **{name: _sets((C, S), (C, F), (C, F, T), (C, S, T), mode=ENHANCED) for name in (
        "TaskCpuUtilization", "TaskMemoryUtilization", "TaskEphemeralStorageUtilization", "RestartCount")},
    **{name: _SERVICE for name in ("DesiredTaskCount", "RunningTaskCount", "PendingTaskCount", "DeploymentCount",
                                   "TaskSetCount")},
    "ServiceCount": _sets((C,)), "TaskCount": _sets((C,)) + _sets((C, F), mode=ENHANCED),
    "ContainerInstanceCount": _sets((C,), fargate=False),
    **{name: _CONTAINER for name in (
        "ContainerCpuUtilized", "ContainerCpuReserved", "ContainerCpuUtilization", "ContainerMemoryUtilized",
        "ContainerMemoryReserved", "ContainerMemoryUtilization", "ContainerNetworkRxBytes",
        "ContainerNetworkTxBytes", "ContainerStorageReadBytes", "ContainerStorageWriteBytes")},
    **{name: _INSTANCE for name in (
        "instance_cpu_limit", "instance_cpu_reserved_capacity", "instance_cpu_usage_total", "instance_cpu_utilization",
        "instance_filesystem_utilization", "instance_memory_limit", "instance_memory_reserved_capacity",
        "instance_memory_utilization", "instance_memory_working_set", "instance_network_total_bytes",
        "instance_number_of_running_tasks")},
}
# --- AWS/ApplicationELB --------------------------------------------------------------------------
LB, TG, AZ = "LoadBalancer", "TargetGroup", "AvailabilityZone"
_LB = _sets((LB,), (LB, AZ))
_TARGETS = _sets((LB,), (LB, AZ), (LB, TG), (LB, AZ, TG), (TG,), (TG, AZ))
_HOSTS = _sets((LB, TG), (LB, AZ, TG))
_ALB = {
    **{name: _LB for name in (
        "ActiveConnectionCount", "AnomalousHostCount", "ClientTLSNegotiationErrorCount", "ConsumedLCUs",
        "DesyncMitigationMode_NonCompliant_Request_Count", "DroppedInvalidHeaderRequestCount", "ForwardedInvalidHeaderRequestCount",
        "GrpcRequestCount", "HTTP_Fixed_Response_Count", "HTTP_Redirect_Count", "HTTP_Redirect_Url_Limit_Exceeded_Count",
        "HTTPCode_ELB_3XX_Count", "HTTPCode_ELB_4XX_Count", "HTTPCode_ELB_5XX_Count", "HTTPCode_ELB_500_Count",
        "HTTPCode_ELB_502_Count", "HTTPCode_ELB_503_Count", "HTTPCode_ELB_504_Count", "IPv6ProcessedBytes",
        "IPv6RequestCount", "NewConnectionCount", "NonStickyRequestCount", "ProcessedBytes", "RejectedConnectionCount",
        "RuleEvaluations")},
    **{name: _TARGETS for name in (
        "RequestCount", "HTTPCode_Target_2XX_Count", "HTTPCode_Target_3XX_Count", "HTTPCode_Target_4XX_Count",
        "HTTPCode_Target_5XX_Count", "TargetConnectionErrorCount", "TargetResponseTime",
        "TargetTLSNegotiationErrorCount", "RequestCountPerTarget")},
    **{name: _HOSTS for name in (
        "HealthyHostCount", "UnHealthyHostCount", "HealthyStateDNS", "HealthyStateRouting", "UnhealthyStateDNS",
        "UnhealthyStateRouting", "UnhealthyRoutingRequestCount", "MitigatedHostCount")},
}
# --- AWS/SQS -------------------------------------------------------------------------------------
_SQS = {name: _sets(("QueueName",)) for name in (
    "ApproximateAgeOfOldestMessage", "ApproximateNumberOfMessagesDelayed", "ApproximateNumberOfMessagesNotVisible",
    "ApproximateNumberOfMessagesVisible", "ApproximateNumberOfGroupsWithInflightMessages", "NumberOfEmptyReceives",
    "NumberOfMessagesDeleted", "NumberOfMessagesReceived", "NumberOfMessagesSent", "NumberOfDeduplicatedSentMessages",
    "SentMessageSize")}

CATALOGUE: dict[str, dict[str, tuple[Dimensions, ...]]] = {ECS: _ECS, INSIGHTS: _INSIGHTS, ALB: _ALB, SQS: _SQS}
SOURCES = {ECS: ECS_DOC, INSIGHTS: INSIGHTS_DOC, ALB: ALB_DOC, SQS: SQS_DOC}
NEVER, NOT_FARGATE, NEEDS_ENHANCED = "never", "not-fargate", "needs-enhanced"


@dataclass(frozen=True)
class Verdict:
    """Why AWS publishes no such metric: `kind` (NEVER, NOT_FARGATE, NEEDS_ENHANCED), what is wrong, the fix."""

    kind: str
    message: str
    fix: str


def judge(namespace: str | None, metric: str | None, dimensions: frozenset[str] | set[str],
          fargate: bool = False, mode: str | None = None) -> Verdict | None:
    """None when AWS publishes `metric` in `namespace` with these dimension names (or the namespace is not
    catalogued); else why not. `fargate`: the cluster runs on Fargate; `mode`: its Container Insights
    (`enabled` or `enhanced`; None: unknown, nothing is said about enhanced-only sets)."""
    known = CATALOGUE.get(namespace or "")
    if known is None or not metric:
        return None
    sets = known.get(metric)
    if sets is None:
        return _elsewhere(namespace, metric)
    names = frozenset(dimensions)
    matching = [found for found in sets if found.names == names]
    if not matching:
        return Verdict(NEVER, f"{namespace} {metric} is never published with {_names(names)}: AWS publishes it "
                              f"with {_choices(sets)} ({SOURCES[namespace]})",
                       f"dimensions: {_names(_best(sets, fargate, names).names)}")
    found = matching[0]
    if fargate and not found.fargate:
        usable = [s for s in sets if s.fargate]
        fix = f"dimensions: {_names(usable[0].names)}" if usable else "delete the alarm, or watch a metric Fargate publishes"
        return Verdict(NOT_FARGATE, f"{namespace} {metric} with {_names(names)} is published only for tasks on EC2 "
                                    f"capacity, not for Fargate ({SOURCES[namespace]})", fix)
    if mode == "enabled" and found.mode == ENHANCED:
        return Verdict(NEEDS_ENHANCED, f"{namespace} {metric} with {_names(names)} is published only with Container "
                                       f"Insights' enhanced observability; the cluster has it `enabled`",
                       "container_insights: enhanced on the cluster")
    return None


def _elsewhere(namespace: str, metric: str) -> Verdict:
    homes = [other for other, metrics in CATALOGUE.items() if metric in metrics and other != namespace]
    if homes:
        sets = CATALOGUE[homes[0]][metric]
        return Verdict(NEVER, f"{namespace} has no metric {metric}: AWS publishes it in {homes[0]} "
                              f"({SOURCES[homes[0]]})", f"namespace: {homes[0]}, dimensions: {_names(sets[0].names)}")
    return Verdict(NEVER, f"{namespace} has no metric {metric} ({SOURCES[namespace]})",
                   f"a metric of {namespace}: {', '.join(sorted(CATALOGUE[namespace])[:8])}, ...")


def _best(sets: tuple[Dimensions, ...], fargate: bool, given: frozenset[str]) -> Dimensions:
    """The set to suggest: a standard one published for Fargate too (ecs-monitor's clusters run on Fargate)
    unless only EC2 ones exist, the smallest that holds the names given, else the richest."""
    standard = [s for s in sets if s.mode == STANDARD] or list(sets)
    usable = [s for s in standard if s.fargate] or ([] if fargate else standard) or list(sets)
    holding = [s for s in usable if given <= s.names]
    return min(holding, key=lambda s: len(s.names)) if holding else max(usable, key=lambda s: len(s.names))


def _names(names: frozenset[str]) -> str:
    return "+".join(sorted(names)) if names else "no dimensions"


def _choices(sets: tuple[Dimensions, ...]) -> str:
    said = [_names(s.names) + (" (EC2 only)" if not s.fargate else "") + (" (enhanced)" if s.mode == ENHANCED else "")
            for s in sets]
    return " or ".join(said)
