"""Shared pytest configuration: fixtures live in plugin modules next to this file."""

from __future__ import annotations

pytest_plugins = ["wikifixtures", "dbfixtures"]
