"""SNS actions of deployed alarms whose topic does not exist. Read only.

Every distinct `arn:<partition>:sns:<region>:<account>:<topic>` among the OK, ALARM and
INSUFFICIENT_DATA actions is checked once with GetTopicAttributes, through a client in the topic's
own Region. `NotFound` ("the requested resource does not exist") is a finding on each alarm naming
the topic; `AuthorizationError` (or AccessDenied) means it could not be checked: one finding per
topic (SNS API reference, GetTopicAttributes, Errors:
https://docs.aws.amazon.com/sns/latest/api/API_GetTopicAttributes.html). A topic in another account
answers AuthorizationError unless its policy lets this account read it. Other AWS errors propagate.

Other action types are not checked: Auto Scaling policies, EC2 actions (stop, terminate, reboot,
recover), Lambda functions, Systems Manager OpsItems and incidents.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

import botocore.exceptions as bx

from monitor.aws.clients import Clients
from monitor.aws.errors import DENIED_CODES
from monitor.review.findings import WARNING, Finding, Rule

ACTION_KEYS = {"OKActions": "OK", "AlarmActions": "ALARM", "InsufficientDataActions": "INSUFFICIENT_DATA"}
SNS_ARN = re.compile(r"arn:aws[a-z-]*:sns:(?P<region>[a-z0-9-]+):\d{12}:[A-Za-z0-9_.-]+")
NOT_FOUND = "NotFound"
DENIED = DENIED_CODES | {"AuthorizationError"}   # SNS's word for access denied

MISSING = Rule("ALARM-LIVE-007", WARNING, "alarm action: the SNS topic does not exist",
               "create the topic, or point the action at an existing one; notifications to it go nowhere")
UNCHECKED = Rule("ALARM-LIVE-008", WARNING, "alarm action: SNS topic not checked, access denied",
                 "allow sns:GetTopicAttributes on the topic to the role running monitor")
RULES = (MISSING, UNCHECKED)

Users = dict[str, list[tuple[str, str]]]   # topic ARN -> (alarm name, state) of each action naming it


def users(alarms: Iterable[dict]) -> Users:
    """Each SNS topic the alarms' actions name, with the alarms and states that name it: pure."""
    found: Users = defaultdict(list)
    for alarm in alarms:
        for key, state in ACTION_KEYS.items():
            for action in alarm.get(key) or []:
                if SNS_ARN.fullmatch(action):
                    found[action].append((alarm["AlarmName"], state))
    return found


def check(clients: Clients, alarms: Iterable[dict]) -> list[Finding]:
    """Findings for SNS actions whose topic is missing, or could not be checked (module docstring)."""
    found = []
    for topic, named in sorted(users(alarms).items()):
        answer = exists(clients, topic)
        if answer is False:
            found += [MISSING.finding(alarm, f"{state} action: SNS topic {topic} does not exist")
                      for alarm, state in named]
        elif answer is None:
            names = sorted({alarm for alarm, _ in named})
            found.append(UNCHECKED.finding(topic, f"could not be checked (access denied); used by "
                                                  f"{len(names)} alarm(s): {', '.join(names)}"))
    return found


def exists(clients: Clients, topic: str) -> bool | None:
    """True, False (NotFound), or None when access is denied; one GetTopicAttributes in the topic's Region."""
    client = clients.in_region(SNS_ARN.fullmatch(topic).group("region")).sns
    try:
        client.get_topic_attributes(TopicArn=topic)
    except bx.ClientError as error:
        code = error.response.get("Error", {}).get("Code")
        if code == NOT_FOUND:
            return False
        if code in DENIED:
            return None
        raise
    return True
