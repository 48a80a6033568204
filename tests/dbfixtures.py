"""pytest fixtures for state databases (SQLite files and a local PostgreSQL)."""

from __future__ import annotations
