"""Task-definition facts, pure: the one reader of task-definition files, container sizing and the
Fargate size table, and where a container definition sends its logs."""
