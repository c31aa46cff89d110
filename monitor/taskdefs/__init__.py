"""Task-definition facts, pure: the one reader of task-definition files, container sizing and the
Fargate size table, what a container's CPU and memory can reach, and where a container definition
sends its logs."""
