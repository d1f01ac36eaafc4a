"""Repeatable measurements, each a ratio against a baseline run in the same process."""
