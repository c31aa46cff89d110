"""The edges that talk to AWS: clients (retry mode, endpoint), error wording, retries, TestMetricFilter."""
