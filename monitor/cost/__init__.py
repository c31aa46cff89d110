"""What a config costs a month in CloudWatch: one price table, pure counting and pricing."""
