"""``grantbot threads FILE``: show the thread structure the parser finds.

Why a command of its own: it is the quickest way to see what the bot will
believe about a talk page (who wrote what, replying to whom) before any
reviewer item is derived from it, and its ``--json`` output is the stable
format the benchmark scripts and other tools read.
"""

from __future__ import annotations

import json
import sys
from typing import BinaryIO

import click

from bots.errors import InputError


MAX_INPUT_BYTES = 16 * 1024 * 1024  # 8 times MediaWiki's default page size limit
CHUNK = 1024 * 1024


def _read(path: str) -> str:
    """The UTF-8 text of ``path`` ("-": stdin), read in bounded chunks so a
    device or a huge file (``/dev/zero``) ends in one clear line, not in
    exhausted memory."""
    try:
        if path == "-":
            data = _bounded(sys.stdin.buffer, path)
        else:
            with open(path, "rb") as handle:
                data = _bounded(handle, path)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (bad byte at offset {exc.start})") from None


def _bounded(handle: BinaryIO, path: str) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while chunk := handle.read(CHUNK):
        size += len(chunk)
        if size > MAX_INPUT_BYTES:
            raise InputError(f"{path}: larger than {MAX_INPUT_BYTES // CHUNK} MiB, more than "
                             "any wiki page (save one page's wikitext)")
        chunks.append(chunk)
    return b"".join(chunks)


def thread_prediction(page, tz: str = "UTC", lang: str = "en", shown: str | None = None) -> dict:
    """The `threads --json` document: the talk-page benchmark's prediction format.

    Every heading and comment also carries DiscussionTools' id (``id``; null
    for a comment without a timestamp, which DiscussionTools does not see) and,
    where the older form differs, ``legacy_id``.  ``shown``: the script
    variant of a converted copy (see ``parsers.variants``), None for stored text.
    """
    from parsers.commentids import thread_ids

    ids = thread_ids(page, tz, lang, shown)

    def with_ids(entry: dict, current: str | None, legacy: str | None) -> dict:
        entry["id"] = current
        if legacy is not None:
            entry["legacy_id"] = legacy
        return entry

    return {
        "headings": [with_ids({"level": h.level, "title": h.title}, ids.headings[h.index],
                              ids.headings_legacy[h.index]) for h in page.headings],
        "comments": [
            with_ids({"author": c.author,
                      "timestamp": c.timestamp.strftime("%Y-%m-%dT%H:%M:%SZ") if c.timestamp else None,
                      "level": c.level, "parent": c.parent, "heading": c.heading},
                     ids.comments[c.index], ids.comments_legacy[c.index])
            for c in page.comments
        ],
    }


def _as_json(page, tz: str, lang: str, shown: str | None) -> str:
    return json.dumps(thread_prediction(page, tz, lang, shown), ensure_ascii=False, separators=(",", ":"))


def _shown(text: str, lang: str, variant: str) -> str | None:
    """--variant: ``auto`` detects a converted copy, ``stored`` says the text is the stored text."""
    from parsers.variants import converter, shown_variant

    if variant == "auto":
        return shown_variant(text, lang)
    if variant == "stored":
        return None
    conv = converter(lang)
    if conv is None or variant not in conv.tables:
        raise InputError(f"--variant {variant}: not a script variant of language {lang!r}")
    return variant


def _print_table(page) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(page.headings)} headings, {len(page.comments)} comments")
    for column in ("#", "section", "author", "timestamp (UTC)", "level", "reply to"):
        table.add_column(column)
    for c in page.comments:
        section = " / ".join(page.section_path(c.heading)) if c.heading is not None else "(top)"
        table.add_row(str(c.index), section, c.author or "?",
                      c.timestamp.strftime("%Y-%m-%d %H:%M") if c.timestamp else "-",
                      str(c.level), "" if c.parent is None else str(c.parent))
    Console().print(table)


def check_lang_tz(lang: str, tz: str) -> None:
    """--lang and --tz are the caller's to get right: say which one is wrong."""
    from parsers.timestamps import UnknownLanguageError, language_data, zone

    try:
        language_data(lang)
    except UnknownLanguageError:
        raise InputError(f"--lang {lang}: unknown wiki language code") from None
    try:
        zone(tz)
    except ValueError:
        raise InputError(f"--tz {tz}: unknown IANA time zone (e.g. UTC, Europe/Paris)") from None


@click.command("threads")
@click.argument("file", type=str)
@click.option("--lang", default="en", show_default=True, help="Content language code of the wiki.")
@click.option("--tz", default="UTC", show_default=True, help="The wiki's local IANA time zone.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option("--variant", default="auto", show_default=True,
              help="For languages with script variants (sr): the variant FILE is a converted copy in "
                   "(e.g. sr-el), 'stored' for the page's stored text, 'auto' to tell from the links.")
def threads(file: str, lang: str, tz: str, as_json: bool, variant: str) -> None:
    """Parse the talk page in FILE ("-" for stdin) into headings and signed comments."""
    from parsers.threads import parse_talk_page

    try:
        check_lang_tz(lang, tz)
        text = _read(file)
        shown = _shown(text, lang, variant)
    except InputError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(exc.exit_code)
    page = parse_talk_page(text, lang, tz)
    if as_json:
        click.echo(_as_json(page, tz, lang, shown))
    else:
        _print_table(page)
