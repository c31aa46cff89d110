"""`monitor review`'s checks: small tables of rules, each finding with a stable code.

findings.py  the Finding value and the Rule that makes it (shared by every review check)
design.py    the service design checks over one task definition (pure)
environment.py  plaintext secrets in `environment` (pure)
images.py    image references: ECR URIs and the sidecars recognised by image (pure)
ecr.py       whether each ECR repository is scanned (read only)
taskfiles.py task definition JSON files, as `register-task-definition` takes them or
             `describe-task-definition` prints them
collect.py   all design findings: from the account the config names, or from files
sources.py   where an alarm's metric comes from (a filter, Container Insights, AWS...) and its resolution
shares.py    `N%` thresholds with the limit they are a share of, and what each container's figure can reach
             (task definitions from files, given or beside the config, or the account)
alarm_table.py  one row per alarm, from PutMetricAlarm specs or DescribeAlarms items (metric, math, composite)
alarm_rules.py  the ALARM-* findings over the rows (pure)
report.py    the Report value, and the rows of the config or of the account
deployed.py  --deployed: every alarm of the Region (read only), and ANALYSES, the seam for live analyses
live.py      the live analyses ANALYSES runs: stuck alarms, SNS topics, firing history, drift (live_*.py)
codes.py     every finding code in one catalogue, and the README's table of them
review.schema.json  the JSON Schema of `monitor review --output json` (shipped in the package)
"""
