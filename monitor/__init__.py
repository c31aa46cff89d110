"""ecs-monitor: monitoring as code for Amazon ECS."""

__version__ = "0.1.0"
