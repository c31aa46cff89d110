"""`monitor review`'s checks: small tables of rules, each finding with a stable code.

findings.py  the Finding value and the Rule that makes it (shared by every review check)
design.py    the service design checks over one task definition (pure)
environment.py  plaintext secrets in `environment` (pure)
images.py    image references: ECR URIs and the sidecars recognised by image (pure)
ecr.py       whether each ECR repository is scanned (read only)
taskfiles.py task definition JSON files, as `register-task-definition` takes them or
             `describe-task-definition` prints them
collect.py   all design findings: from the account the config names, or from files
"""
