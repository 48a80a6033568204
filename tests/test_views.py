"""The per-reviewer and per-program views and the detail pages speak the status page's language."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

from publishing import statuspage as sp
from publishing.catalogue import BUILTIN, LANGUAGES, PLACEHOLDERS
from publishing.messages import Messages
from publishing.views import by_program, by_reviewer
from parsers.model import WaitingOn
from test_statuspage import NOW, item, rows, talk

# Words of the English wording that must not survive into a Spanish page.
ENGLISH = ("Back to", "Last updated", "open question", "owed", "Your questions", "Grantees replied",
           "the grantee replied", "since", "Open reviewer items", "Asked by", "Why the bot",
           "No open items", "Empty sections", "left out")


def spanish_rows() -> list[sp.GrantRow]:
    waiting = sp.GrantRow("Grants:R", "Grants talk:R/Report", talk=talk(item("r1", 30), waiting=WaitingOn.REVIEWER))
    return [*rows(), waiting]


def test_every_message_exists_in_every_language_with_its_placeholders() -> None:
    assert set(BUILTIN) == set(PLACEHOLDERS)
    for key in PLACEHOLDERS:
        assert set(BUILTIN[key]) == set(LANGUAGES), key
        required, allowed = PLACEHOLDERS[key]
        for lang, text in BUILTIN[key].items():
            used = set(re.findall(r"\{(\w+)\}", text)) - {"PLURAL"}
            assert required <= used <= allowed, (key, lang)


def test_reviewer_view_in_spanish() -> None:
    spec = sp.StatusPageSpec(lang="es")
    out = by_reviewer(spanish_rows(), spec, NOW, 14)
    assert out.startswith(f"Volver a [[:{spec.title}]]. Última actualización: ")
    assert "⚠: esperando más de 14 días." in out
    assert "1 respuesta pendiente, 3 preguntas abiertas." in out
    assert "; Sus preguntas aún abiertas" in out and "; Los beneficiarios respondieron" in out
    assert "el beneficiario respondió el " in out
    assert not [w for w in ENGLISH if w in out]
    english = by_reviewer(spanish_rows(), sp.StatusPageSpec(), NOW, 1)
    assert "1 reply owed, 3 open questions asked." in english
    assert "waiting longer than 1 day." in english  # plural forms, not "1 days"


def test_program_view_and_empty_reviewer_view_in_spanish() -> None:
    spec = sp.StatusPageSpec(lang="es")
    out = by_program(spanish_rows(), spec, NOW)
    assert re.search(r"\* .* \[\[:Grants:A\|Grants:A\]\]: retrasado \(beneficiario\), 2 abiertos, desde el 2024-", out), out
    assert not [w for w in ENGLISH if w in out]
    none = by_reviewer([], spec, NOW, 14)
    assert "Ningún revisor debe una respuesta y no hay preguntas abiertas." in none


def test_detail_page_in_spanish_and_an_on_wiki_override() -> None:
    spec = sp.StatusPageSpec(lang="es")
    row = rows()[1]
    out = sp.render_detail(row, spec, NOW)
    assert out.startswith("Puntos abiertos de los revisores en [[:Grants talk:A/Report|")
    assert "! # !! Punto !! Tipo !! Planteado por" in out
    assert re.search(r"Secciones vacías de \[\[:Grants:A/Report\|[^\]]*\]\]:", out)
    assert not [w for w in ENGLISH if w in out]
    assert "No hay puntos abiertos." in sp.render_detail(replace(row, talk=talk()), spec, NOW)
    wiki = Messages.from_pages([("User:GrantBot/messages/detail-none/es", "Nada pendiente aquí.")],
                               "User:GrantBot/messages/")
    mine = replace(spec, messages=wiki)
    assert "Nada pendiente aquí." in sp.render_detail(replace(row, talk=talk()), mine, NOW)
    # sections on the table's page: heading and the table's link share the translated anchor
    inline = replace(spec, detail_subpages=False)
    table = sp.render_table(rows(), inline, NOW)
    assert "=== <nowiki>Puntos abiertos: A</nowiki> ===" in table
    assert "[[#Puntos abiertos&#58; A|2]]" in table


def test_no_reviewer_line_for_a_settled_report() -> None:
    from parsers.model import ReportAnalysis

    accepted = replace(spanish_rows()[-1], report=ReportAnalysis("Grants:R/Report", (("status", "accepted"),), ()),
                       last_checked=NOW - timedelta(days=1))
    assert "Grants:R" not in by_reviewer([accepted], sp.StatusPageSpec(), NOW, 14)
