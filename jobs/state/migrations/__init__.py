"""Alembic migrations of the state database (``versions/``), and what they share."""

from __future__ import annotations

# On MariaDB/MySQL (Toolforge's ToolsDB), tables get their own character set
# rather than the database's default, which may be latin1: wiki titles and
# excerpts need all of Unicode, and MediaWiki titles are case-sensitive, so
# unique keys on them need a binary collation ("Foo" and "FOO" are two pages).
# Other dialects ignore these options.
MYSQL_TABLE = {"mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_bin"}
