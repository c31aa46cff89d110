"""Tools that need no AWS: filter test cases and log replays."""
