"""Orchestration: configuration, state, scheduling and the command line."""
