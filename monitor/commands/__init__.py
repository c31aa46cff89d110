"""One module per command that does more than render a result."""
