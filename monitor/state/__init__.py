"""Desired and actual state as data (Resource, Actual), and the plan: a pure diff of the two."""
