"""Layer four: names, references and limits that span more than one field."""

from __future__ import annotations

import difflib
import re
import unicodedata

from monitor import quotas
from monitor.config import rules
from monitor.config.catalogue import REQUIRED, Definition
from monitor.config.model import Config, Filter
from monitor.config.walk import Place, containers, map_containers
from monitor.insights import PERFORMANCE_METRICS
from monitor.names import ownership
from monitor.names.ownership import OUR_TAGS
from monitor.problems import ERROR, Check, Path, Problem, Source

PREFIX = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-\d+")
# family[:revision] (family: 1-255 of A-Z a-z 0-9 _ -), or a task definition ARN (ECS API reference).
TASK_DEFINITION = re.compile(r"(arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition/)?[A-Za-z0-9_-]{1,255}(:[1-9]\d*)?")
MAX_TAG_KEY, MAX_TAG_VALUE = quotas.TAG_KEY, quotas.TAG_VALUE   # keys may not start with "aws:" either

PREFIX_CHECK = Check("CFG-020", ERROR, "a prefix that is not 1-64 of A-Z a-z 0-9 _ -")
REGION_CHECK = Check("CFG-021", ERROR, "a Region that does not look like one", source=quotas.REGIONS_DOC)
ECS_NAME = Check("CFG-022", ERROR, "a cluster, service or container name ECS does not allow",
                 source=quotas.CREATE_CLUSTER_DOC)
TAG = Check("CFG-023", ERROR, "a tag AWS refuses, or one of ecs-monitor's own", source=quotas.CREATE_LOG_GROUP_DOC)
TAGS = Check("CFG-024", ERROR, "more tags than AWS allows beside ecs-monitor's own", source=quotas.CREATE_LOG_GROUP_DOC)
DUPLICATE = Check("CFG-025", ERROR, "a name given twice in one list")
TASK_REFERENCE = Check("TSK-001", ERROR, "a task_definition that is not family[:revision] or an ARN",
                       source=quotas.TASK_DEFINITION_DOC)
PERFORMANCE = Check("FLT-020", ERROR, "an unknown performance metric", source=quotas.CONTAINER_INSIGHTS_DOC)
NO_INSIGHTS = Check("FLT-021", ERROR, "performance metrics on a cluster with Container Insights disabled",
                    source=quotas.CONTAINER_INSIGHTS_DOC)
LOG_GROUP = Check("FLT-022", ERROR, "a log group name AWS does not allow", source=quotas.CREATE_LOG_GROUP_DOC)
UNKNOWN_USE = Check("FLT-023", ERROR, "a filter that uses no catalogue definition")
USE_AND_PATTERN = Check("FLT-024", ERROR, "a 'use:' filter that gives its own pattern")
INCOMPLETE = Check("FLT-025", ERROR, "an inline filter without a required key")
BLANK_NAME = Check("FLT-026", ERROR, "an empty or blank filter name", source=quotas.PUT_METRIC_FILTER_DOC)
FILTER_NAME = Check("FLT-027", ERROR, "a filter name AWS does not allow (length, ':' or '*')",
                    source=quotas.PUT_METRIC_FILTER_DOC)
RETIRED = Check("CFG-027", ERROR, "a retired cluster that is not an ECS name, is given twice, or is still in clusters")
CHECKS = (PREFIX_CHECK, REGION_CHECK, ECS_NAME, TAG, TAGS, DUPLICATE, TASK_REFERENCE, PERFORMANCE, NO_INSIGHTS,
          LOG_GROUP, UNKNOWN_USE, USE_AND_PATTERN, INCOMPLETE, BLANK_NAME, FILTER_NAME, RETIRED)


def check(config: Config, source: Source, catalogue: dict[str, Definition]) -> list[Problem]:
    """Every cross-field problem of a structurally valid config."""
    problems = _top_level(config, source) + _duplicate_names(config, source)
    for place in containers(config):
        problems += _container(config, place, source, catalogue)
    return problems


def _top_level(config: Config, source: Source) -> list[Problem]:
    found = []
    if not PREFIX.fullmatch(config.prefix):
        found.append((PREFIX_CHECK, ("prefix",), f"'{config.prefix}' is not a valid prefix: 1-64 characters of "
                                   "A-Z a-z 0-9 _ -, starting with a letter or digit"))
    if message := rules.namespace_problem(config.namespace):
        found.append((rules.NAMESPACE_CHECK, ("namespace",), message))
    if config.region is not None and not REGION.fullmatch(config.region):
        found.append((REGION_CHECK, ("region",), f"'{config.region}'' does not look like an AWS Region, e.g. ap-northeast-1"))
    found += [(REGION_CHECK, ("regions", n), f"'{region}' does not look like an AWS Region, e.g. eu-west-1")
              for n, region in enumerate(config.regions) if not REGION.fullmatch(region)]
    for c, cluster in enumerate(config.clusters):
        found += [(TASK_REFERENCE, ("clusters", c, "services", s, "task_definition"),
                   f"'{service.task_definition}' is not a task definition: give family[:revision] "
                   "(e.g. awesome-app or awesome-app:12) or its ARN")
                  for s, service in enumerate(cluster.services)
                  if service.task_definition is not None and not TASK_DEFINITION.fullmatch(service.task_definition)]
    found += _ecs_names(config) + _retired(config)
    return [check.problem(path, message, source=source) for check, path, message in found] + _tags(config, source)


def _ecs_names(config: Config) -> list[tuple[Check, Path, str]]:
    """Cluster, service and container names as ECS allows them: 1-255 of A-Z a-z 0-9 _ -.

    ECS API reference: CreateCluster clusterName, CreateService serviceName and
    ContainerDefinition name. Our resource names rely on it (monitor/names/ownership.py).
    """
    found = []
    for c, cluster in enumerate(config.clusters):
        places = [(("clusters", c), "cluster", cluster.name)]
        for s, service in enumerate(cluster.services):
            places.append((("clusters", c, "services", s), "service", service.name))
            places += [(("clusters", c, "services", s, "containers", k), "container", container.name)
                       for k, container in enumerate(service.containers)]
        found += [(ECS_NAME, path + ("name",), f"'{name}' is not a valid ECS {noun} name: 1-255 characters of "
                                     "A-Z a-z 0-9 _ -") for path, noun, name in places
                  if not ownership.ECS_NAME.fullmatch(name)]
    return found


def _retired(config: Config) -> list[tuple[Check, Path, str]]:
    """`retired_clusters`: ECS cluster names, each once, none of them a cluster the config still has."""
    active = {cluster.name for cluster in config.clusters}
    found, seen = [], set()
    for n, name in enumerate(config.retired_clusters):
        if not ownership.ECS_NAME.fullmatch(name):
            found.append((RETIRED, ("retired_clusters", n), f"'{name}' is not a valid ECS cluster name: 1-255 characters "
                                                    "of A-Z a-z 0-9 _ -"))
        elif name in active:
            found.append((RETIRED, ("retired_clusters", n), f"cluster '{name}' is both in 'clusters' and retired: a retired "
                                                    "cluster's resources are deleted by --prune and destroy; remove "
                                                    "it from one of the two"))
        elif name in seen:
            found.append((RETIRED, ("retired_clusters", n), f"duplicate retired cluster '{name}'"))
        seen.add(name)
    return found


def _tags(config: Config, source: Source) -> list[Problem]:
    """AWS's tag rules (botocore logs model, CreateLogGroup `tags`: at most 50, keys 1-128 and values
    at most 256 of letters, digits, spaces and `_ . : / = + - @`; keys not `aws:`), counting ours."""
    problems = [TAG.problem(("tags", key), message, source=source, at_key=True)
                for key, value in config.tags.items() if (message := _tag_problem(key, value))]
    room = quotas.TAGS - len(OUR_TAGS)
    if len(config.tags) > room:
        problems.append(TAGS.problem(("tags",), f"{len(config.tags)} tags; AWS allows {quotas.TAGS} on a resource and "
                                f"ecs-monitor adds {len(OUR_TAGS)} of its own, so at most {room}", source=source))
    return problems


def _tag_problem(key: str, value: str) -> str | None:
    if key in OUR_TAGS:
        return f"tag '{key}' is ecs-monitor's own marker of ownership; choose another key"
    if key.lower().startswith("aws:") or not 1 <= len(key) <= MAX_TAG_KEY or not _tag_text(key):
        return (f"tag key '{key}': 1-{MAX_TAG_KEY} letters, digits, spaces and _ . : / = + - @, not starting "
                "with 'aws:' (reserved)")
    if len(value) > MAX_TAG_VALUE or not _tag_text(value):
        return f"tag '{key}': the value is at most {MAX_TAG_VALUE} letters, digits, spaces and _ . : / = + - @"
    return None


def _tag_text(text: str) -> bool:
    """Unicode letters, numbers and separators (\\p{L} \\p{Z} \\p{N}) and `_.:/=+-@`, as AWS's pattern."""
    return all(char.isalpha() or char.isnumeric() or unicodedata.category(char).startswith("Z")
               or char in "_.:/=+-@" for char in text)


def _duplicate_names(config: Config, source: Source) -> list[Problem]:
    problems = _duplicates([c.name for c in config.clusters], ("clusters",), "cluster", source)
    for c, cluster in enumerate(config.clusters):
        base = ("clusters", c, "services")
        problems += _duplicates([s.name for s in cluster.services], base, "service", source)
        for s, service in enumerate(cluster.services):
            problems += _duplicates([k.name for k in service.containers], base + (s, "containers"),
                                    "container", source)
    return problems


def _duplicates(values: list[str | None], base: Path, noun: str, source: Source,
                key: tuple = ("name",)) -> list[Problem]:
    """Report the second and later uses of a name in one list."""
    seen: set[str] = set()
    problems = []
    for number, value in enumerate(values):
        if value in seen:
            noun_ = f"{noun} name" if key else noun
            problems.append(DUPLICATE.problem(base + (number,) + key, f"duplicate {noun_} '{value}'", source=source))
        seen.add(value)
    return problems


def _container(config: Config, place: Place, source: Source, catalogue: dict[str, Definition]) -> list[Problem]:
    container, path = place.container, place.path
    problems = _performance(place, source)
    if container.log_region is not None and not REGION.fullmatch(container.log_region):
        problems.append(REGION_CHECK.problem(path + ("log_region",), f"'{container.log_region}' does not look like an AWS "
                                                        "Region, e.g. eu-west-1", source=source))
    if container.log_group and (message := rules.log_group_problem(container.log_group)):
        problems.append(LOG_GROUP.problem(path + ("log_group",), message, source=source))
    for number, item in enumerate(container.filters):
        problems += _filter(config, place, item, path + ("filters", number), source, catalogue)
    names_ = [_resolve(item, catalogue).name for item in container.filters]
    return problems + _duplicates(names_, path + ("filters",), "filter", source)


def _performance(place: Place, source: Source) -> list[Problem]:
    problems = []
    metrics = place.container.performance_metrics
    path = place.path + ("performance_metrics",)
    for number, metric in enumerate(metrics):
        if metric not in PERFORMANCE_METRICS:
            close = difflib.get_close_matches(metric, PERFORMANCE_METRICS, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            problems.append(PERFORMANCE.problem(path + (number,), f"unknown performance metric '{metric}'; {hint}"
                                    f"allowed: {', '.join(PERFORMANCE_METRICS)}", source=source))
    problems += _duplicates(metrics, path, "performance metric", source, key=())
    if metrics and place.cluster.container_insights == "disabled":
        problems.append(NO_INSIGHTS.problem(path, f"cluster '{place.cluster.name}' has Container Insights disabled, "
                                      "so no performance events exist to count", source=source))
    return problems


def _filter(config: Config, place: Place, item: Filter, path: Path, source: Source,
            catalogue: dict[str, Definition]) -> list[Problem]:
    if item.use is not None and item.use not in catalogue:
        close = difflib.get_close_matches(item.use, catalogue, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else f"; known: {', '.join(sorted(catalogue))}"
        return [UNKNOWN_USE.problem(path + ("use",), f"no catalogue definition named '{item.use}'{hint}", source=source)]
    if item.use is not None and item.pattern is not None:
        return [USE_AND_PATTERN.problem(path + ("pattern",), "a 'use:' filter takes its pattern from the catalogue; "
                                             "write an inline filter to change it", source=source)]
    missing = [key for key in REQUIRED if item.use is None and getattr(item, key) is None]
    if missing:
        return [INCOMPLETE.problem(path, f"required key '{key}' is missing (or 'use:'' a catalogue definition)",
                        source=source) for key in missing]
    resolved = _resolve(item, catalogue)
    problems = rules.check_filter(resolved, path, source, with_pattern=item.use is None)
    full = ownership.filter_name(config.prefix, place.cluster.name, place.service.name, place.container.name,
                                 resolved.name)
    if not resolved.name.strip():
        problems.append(BLANK_NAME.problem(path + ("name",), f"a filter name cannot be empty or blank, got {resolved.name!r}",
                                source=source))
    elif message := rules.filter_name_problem(full):
        problems.append(FILTER_NAME.problem(path + ("name" if item.name else "use",), message, source=source))
    return problems


def _resolve(item: Filter, catalogue: dict[str, Definition]) -> Filter:
    """A `use:` entry merged over its definition; inline filters stay as they are."""
    if item.use is None or item.use not in catalogue:
        return item
    overrides = item.model_dump(exclude_unset=True, exclude={"use", "tests"})
    return catalogue[item.use].filter.model_copy(update={**overrides, "use": item.use, "tests": item.tests})


def resolve(config: Config, catalogue: dict[str, Definition]) -> Config:
    """The config with every `use:` replaced by the full filter it names, and no `log_region`
    that only repeats the config's own Region (the same log group, however it is written)."""
    def resolved(place: Place):
        home = place.container.log_region == config.region
        return place.container.model_copy(update={"filters": [_resolve(f, catalogue) for f in place.container.filters],
                                                  **({"log_region": None} if home else {})})
    return map_containers(config, resolved)
