"""Default alarm actions: `defaults:` at the top level, on a cluster and on a service. Pure.

Each of `actions`, `ok_actions` and `insufficient_data_actions` is taken from the nearest level
that sets it (service, then cluster, then the top level), key by key. An alarm's own key wins
over every level, and an alarm that writes `actions: []` means it on purpose: no action, whatever
the defaults say. Metric, metric-math and composite alarms alike (PutMetricAlarm and
PutCompositeAlarm take the same AlarmActions, OKActions and InsufficientDataActions).
"""

from __future__ import annotations

from monitor.config.model import Alarm, Config, Defaults
from monitor.config.walk import Place, map_containers

KEYS = ("actions", "ok_actions", "insufficient_data_actions")


def nearest(levels: list[Defaults | None]) -> dict[str, list[str]]:
    """Each key from the first level (nearest first) that sets it; keys no level sets are left out."""
    found: dict[str, list[str]] = {}
    for level in (level for level in levels if level is not None):
        for key in KEYS:
            value = getattr(level, key)
            if value is not None and key not in found:
                found[key] = list(value)
    return found


def _own(alarm: Alarm, inherited: dict[str, list[str]]) -> Alarm:
    """The alarm with each inherited key it does not set itself."""
    update = {key: value for key, value in inherited.items() if key not in alarm.model_fields_set}
    return alarm.model_copy(update=update) if update else alarm


def resolve(config: Config) -> Config:
    """The config with every alarm carrying the actions it inherits."""
    def change(place: Place):
        inherited = nearest([place.service.defaults, place.cluster.defaults, config.defaults])
        if not inherited:
            return place.container
        return place.container.model_copy(update={"alarms": [_own(a, inherited) for a in place.container.alarms]})
    return map_containers(config, change)
