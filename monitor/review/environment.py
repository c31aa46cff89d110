"""Plaintext secrets in a container's `environment`. Pure; the value is never shown.

Environment variables in a task definition "are readable by all users and roles that are allowed
the DescribeTaskDefinition action" (Amazon ECS Developer Guide, "Pass an individual environment
variable to an Amazon ECS container":
https://docs.aws.amazon.com/AmazonECS/latest/developerguide/taskdef-envfiles.html); secrets belong
in `secrets`, each `valueFrom` a Secrets Manager secret or an SSM Parameter Store parameter ("Pass
sensitive data to an Amazon ECS container":
https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html).
Security Hub control ECS.8, "Secrets should not be passed as container environment variables"
(https://docs.aws.amazon.com/securityhub/latest/userguide/ecs-controls.html#ecs-8), checks the
names AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and ECS_ENGINE_AUTH_DATA (AWS Config rule
ecs-no-environment-secrets); the names below cover those and the usual others.

A variable whose value is empty, or is itself the ARN of a Secrets Manager secret or an SSM
parameter (the app fetches the secret), holds no secret. `environmentFiles` live in S3 and are not read.
"""

from __future__ import annotations

import re
from fnmatch import fnmatchcase

from monitor.review.findings import ERROR, Rule

# Matched on the upper-cased name, as shell globs.
SECRET_NAMES = ("*PASSWORD*", "*PASSWD*", "*SECRET*", "*TOKEN*", "*CREDENTIAL*", "*PRIVATE_KEY*", "*API_KEY*",
                "*APIKEY*", "*ACCESS_KEY*", "*_KEY", "ECS_ENGINE_AUTH_DATA")
REFERENCE = re.compile(r"arn:aws[a-z-]*:(secretsmanager|ssm):\S+")
URL_WITH_PASSWORD = re.compile(r"[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@", re.IGNORECASE)
FIX = ("move it to the container's `secrets`, with `valueFrom` the ARN of a Secrets Manager secret or an "
       "SSM Parameter Store parameter, and rotate the value: it was readable with ecs:DescribeTaskDefinition")

SECRET_NAME = Rule("ECS-SECRET-001", ERROR, "secret in a plaintext environment variable", FIX, "ECS.8", ignorable=True)
SECRET_URL = Rule("ECS-SECRET-002", ERROR, "password inside a URL in a plaintext environment variable", FIX, "ECS.8", ignorable=True)
RULES = (SECRET_NAME, SECRET_URL)


def plaintext(container: dict) -> list[tuple[Rule, str]]:
    """(rule, variable name) for each `environment` entry that holds a secret in plain text."""
    found = []
    for variable in container.get("environment") or []:
        name, value = str(variable.get("name") or ""), str(variable.get("value") or "")
        if not value.strip() or REFERENCE.fullmatch(value.strip()):
            continue
        if secret_name(name):
            found.append((SECRET_NAME, name))
        elif URL_WITH_PASSWORD.search(value):
            found.append((SECRET_URL, name))
    return found


def secret_name(name: str) -> bool:
    """Whether a variable's name says it holds a secret (`DB_PASSWORD`, `api_key`, `GITHUB_TOKEN`)."""
    upper = name.upper()
    return any(fnmatchcase(upper, pattern) for pattern in SECRET_NAMES)
