"""Alarm action ARNs: the forms PutMetricAlarm takes, and the Region each acts in. Pure.

PutMetricAlarm, AlarmActions / OKActions / InsufficientDataActions, "Valid Values"
(https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html, and the
same list in botocore's cloudwatch model documentation):
- SNS: arn:aws:sns:region:account-id:sns-topic-name
- Lambda: arn:aws:lambda:region:account-id:function:function-name[:version-number|:alias-name]
- EC2: arn:aws:automate:region:ec2:stop|terminate|reboot|recover, and
  arn:aws:swf:region:account-id:action/actions/AWS_EC2.InstanceId.Stop/1.0 (Terminate, Reboot, Recover)
- Auto Scaling: arn:aws:autoscaling:region:account-id:scalingPolicy:policy-id:autoScalingGroupName/
  group-friendly-name:policyName/policy-friendly-name (Application Auto Scaling policies likewise,
  arn:aws:autoscaling:region:account-id:scalingPolicy:...:resource/...)
- Systems Manager OpsItems: arn:aws:ssm:region:account-id:opsitem:severity#CATEGORY=category-name
  (severity 1-4, the category optional)
- Incident Manager: arn:aws:ssm-incidents::account-id:responseplan/response-plan-name, with no Region:
  a response plan acts from the replication set, whatever the alarm's Region
- CloudWatch investigations: arn:aws:aiops:region:account-id:investigation-group/group-id
Any partition (aws, aws-cn, aws-us-gov) as `arn:<partition>:`. An alarm acts only in its own Region
("Invalid region ... Only <region> is supported"), except through a response plan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEAD = r"arn:aws[a-z-]*:"
_REGION = r"(?P<region>[a-z]{2}(?:-[a-z]+)+-\d+)"
_ACCOUNT = r"\d{12}"
FORMS: dict[str, re.Pattern] = {
    "SNS topic": re.compile(rf"{_HEAD}sns:{_REGION}:{_ACCOUNT}:[A-Za-z0-9_-]{{1,256}}(?:\.fifo)?"),
    "Lambda function": re.compile(rf"{_HEAD}lambda:{_REGION}:{_ACCOUNT}:function:[A-Za-z0-9_-]{{1,140}}"
                                  r"(?::(?:\$LATEST|[A-Za-z0-9_-]{1,128}))?"),
    "EC2 action": re.compile(rf"{_HEAD}automate:{_REGION}:ec2:(?:stop|terminate|reboot|recover)"),
    "EC2 action (SWF)": re.compile(rf"{_HEAD}swf:{_REGION}:{_ACCOUNT}:action/actions/"
                                   r"AWS_EC2\.InstanceId\.(?:Stop|Terminate|Reboot|Recover)/1\.0"),
    "Auto Scaling policy": re.compile(rf"{_HEAD}autoscaling:{_REGION}:{_ACCOUNT}:scalingPolicy:\S+"),
    "Systems Manager OpsItem": re.compile(rf"{_HEAD}ssm:{_REGION}:{_ACCOUNT}:opsitem:[1-4](?:#CATEGORY=[A-Za-z]+)?"),
    "Incident Manager response plan": re.compile(rf"{_HEAD}ssm-incidents::{_ACCOUNT}:responseplan/[A-Za-z0-9_-]{{1,200}}"),
    "CloudWatch investigation group": re.compile(rf"{_HEAD}aiops:{_REGION}:{_ACCOUNT}:investigation-group/\S+"),
}
EXAMPLES = ("arn:aws:sns:ap-northeast-1:123456789012:ops, arn:aws:lambda:REGION:ACCOUNT:function:NAME[:ALIAS], "
            "arn:aws:automate:REGION:ec2:stop|terminate|reboot|recover, arn:aws:autoscaling:REGION:ACCOUNT:scalingPolicy:..., "
            "arn:aws:ssm:REGION:ACCOUNT:opsitem:1-4[#CATEGORY=NAME], arn:aws:ssm-incidents::ACCOUNT:responseplan/NAME")
# Composite alarms "can't perform EC2 actions or Auto Scaling actions" (CloudWatch User Guide, Using
# Amazon CloudWatch alarms, https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html).
NOT_FOR_COMPOSITES = ("EC2 action", "EC2 action (SWF)", "Auto Scaling policy")


@dataclass(frozen=True)
class Action:
    """An action ARN understood: its kind (a key of FORMS) and the Region it acts in (None: none)."""

    kind: str
    region: str | None


def parse(arn: str) -> Action | None:
    """The action an ARN names, or None when it is no form PutMetricAlarm takes."""
    for kind, form in FORMS.items():
        match = form.fullmatch(arn)
        if match:
            return Action(kind, match.groupdict().get("region"))
    return None


SERVICE = re.compile(r"arn:aws[a-z-]*:(?P<service>[a-z0-9-]+):")
LISTED = ("sns", "lambda", "automate", "swf", "autoscaling", "ssm", "ssm-incidents", "aiops")


def problem(arn: str, region: str | None) -> tuple[str, str] | None:
    """Why an alarm in `region` cannot take the action `arn`, as (message, "error" | "warning"); None when
    it can. A malformed ARN of a service the reference lists is an error; an ARN of another service is a
    warning (AWS may have added a form since), never a refusal of what AWS may accept."""
    action = parse(arn)
    if action is None:
        service = SERVICE.match(arn)
        if service and service.group("service") not in LISTED:
            return (f"'{arn}': no action of service '{service.group('service')}' is listed by PutMetricAlarm "
                    f"(it takes {EXAMPLES}); AWS may refuse it", "warning")
        return f"'{arn}' is not an alarm action ARN; PutMetricAlarm takes {EXAMPLES}", "error"
    if region and action.region and action.region != region:
        return f"'{arn}' is in {action.region}; an alarm in {region} can only act in {region}", "error"
    return None
