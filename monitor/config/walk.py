"""Walk the config tree with the path of each container, for desired state and checks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from monitor.config.model import Cluster, Config, Container, Service
from monitor.problems import Path


@dataclass(frozen=True)
class Place:
    """A container with the service and cluster it runs in, and its path in the file."""

    cluster: Cluster
    service: Service
    container: Container
    path: Path


def containers(config: Config) -> tuple[Place, ...]:
    """Every container with its place, in file order; walked once per config (Config.once)."""
    return config.once("containers", lambda: tuple(_walk(config)))


def _walk(config: Config) -> Iterator[Place]:
    for c, cluster in enumerate(config.clusters):
        for s, service in enumerate(cluster.services):
            for k, container in enumerate(service.containers):
                path = ("clusters", c, "services", s, "containers", k)
                yield Place(cluster, service, container, path)


def map_containers(config: Config, change: Callable[[Place], Container]) -> Config:
    """A copy of the config with every container replaced by `change(place)`; models are frozen."""
    def service_copy(c: int, cluster: Cluster, s: int, service: Service) -> Service:
        path = ("clusters", c, "services", s, "containers")
        return service.model_copy(update={"containers": [
            change(Place(cluster, service, container, path + (k,))) for k, container in enumerate(service.containers)]})

    clusters = [cluster.model_copy(update={"services": [
        service_copy(c, cluster, s, service) for s, service in enumerate(cluster.services)]})
        for c, cluster in enumerate(config.clusters)]
    return config.model_copy(update={"clusters": clusters})


def task_families(config: Config) -> set[str]:
    """The task-definition families the config's services name (`task_definition: family[:revision]`)."""
    return {service.task_definition.split(":")[0] for cluster in config.clusters
            for service in cluster.services if service.task_definition}
