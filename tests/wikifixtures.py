"""pytest fixtures for the local MediaWiki (see bots/localwiki)."""

from __future__ import annotations
