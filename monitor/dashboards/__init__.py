"""Dashboards generated from templates: the catalogue, the expansion, the body's rules. Pure."""
