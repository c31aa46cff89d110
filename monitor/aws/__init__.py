"""The edges that talk to AWS: clients, error wording, task definitions, the embedded emulator."""
