"""Status fields and unfilled sections of a grant report page.

Why: reports are filled in from a form (preloaded headings with HTML-comment
instructions, ``''Answer here''`` placeholders, lone bullets).  A section that
still holds only the form's scaffolding is unanswered even though it is not
literally empty, and the report template's ``status=`` says whether the
report was even submitted.  Templates are read with mwparserfromhell because
status values nest templates and links.
"""

from __future__ import annotations

import re

import mwparserfromhell

from parsers.model import ReportAnalysis, ReportSection
from parsers.text import fold, strip_markup

_HEADING = re.compile(r"^(={1,6})[ \t]*(.+?)[ \t]*\1[ \t]*$", re.MULTILINE)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_PLACEHOLDER_TEMPLATE = re.compile(r"placeholder|answer|fill|tbd|todo|to do|respuesta|preencher|remplir",
                                   re.IGNORECASE)
# Whole-line texts the report forms put in a section for the grantee to replace.
_PLACEHOLDER = re.compile(
    r"^(?:(?:your )?(?:answer|response|text|reply|description)(?: goes)? here|add (?:your )?(?:text|answer|"
    r"response|details|information) here|write (?:your answer |your text )?here|type here|fill (?:this )?in"
    r"|to be (?:completed|filled in|determined|added)|tbd|tba|todo|to do|\.\.\.|…|-+|\?+"
    r"|(?:tu |su )?respuesta aqui|responder aqui|escribe(?: aqui| tu respuesta aqui)?|texto aqui|"
    r"agrega(?:r)? (?:el )?texto aqui|por completar|pendiente"
    r"|(?:sua )?resposta aqui|escreva aqui|adicione (?:o )?texto aqui|a preencher|a completar"
    r"|(?:votre )?reponse ici|ecrire ici|ajoutez (?:le |votre )?texte ici|a remplir|a completer)[.:!]*$",
    re.IGNORECASE,
)


def analyse_report_page(text: str, *, title: str | None = None) -> ReportAnalysis:
    """Status template fields (page order) and sections still unfilled; never raises."""
    text = text.replace("\r\n", "\n")
    return ReportAnalysis(title=title, status_fields=_status_fields(text),
                          empty_sections=_empty_sections(text))


def _status_fields(text: str) -> tuple[tuple[str, str], ...]:
    try:
        code = mwparserfromhell.parse(text)
        templates = code.filter_templates(recursive=True)
    except Exception:  # mwparserfromhell can fail on pathological input; report nothing then
        return ()
    found: list[tuple[int, str, str]] = []
    for template in templates:
        for param in template.params:
            name = str(param.name).strip()
            if "status" not in fold(name) and fold(name) not in ("estado", "etat", "statut"):
                continue
            value = strip_markup(str(param.value))
            offset = text.find(str(template))
            found.append((offset, name, value))
    found.sort(key=lambda f: f[0])
    return tuple((name, value) for _, name, value in found)


def _empty_sections(text: str) -> tuple[ReportSection, ...]:
    masked = _mask_nowiki(text)
    heads = [(m.start(), m.end(), len(m.group(1)), m.group(2)) for m in _HEADING.finditer(masked)
             if not _inside_comment(masked, m.start())]
    out: list[ReportSection] = []
    stack: list[tuple[int, str]] = []
    for i, (start, end, level, raw_title) in enumerate(heads):
        title = strip_markup(raw_title) or raw_title.strip()
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, title))
        body_end = heads[i + 1][0] if i + 1 < len(heads) else len(text)
        has_children = i + 1 < len(heads) and heads[i + 1][2] > level
        if has_children:
            continue
        reason = _unfilled(text[end:body_end])
        if reason:
            out.append(ReportSection(path=tuple(t for _, t in stack), anchor=title, reason=reason))
    return tuple(out)


def _mask_nowiki(text: str) -> str:
    return re.sub(r"<(nowiki|pre)\b[^>]*>.*?</\1\s*>", lambda m: " " * len(m.group(0)), text,
                  flags=re.DOTALL | re.IGNORECASE)


def _inside_comment(text: str, pos: int) -> bool:
    opened = text.rfind("<!--", 0, pos)
    return opened >= 0 and text.rfind("-->", opened, pos) < 0


def _unfilled(body: str) -> str | None:
    """"empty", "HTML comment only", "placeholder only", or None when the section has content."""
    had_comment = bool(_COMMENT.search(body))
    rest = _COMMENT.sub("", body)
    if not rest.strip():
        return "HTML comment only" if had_comment else "empty"
    for line in rest.split("\n"):
        if not _placeholder_line(line):
            return None
    return "placeholder only"


def _placeholder_line(line: str) -> bool:
    s = line.strip()
    if not s:
        return True
    s = re.sub(r"^[*#:;]+", "", s).strip()  # a lone bullet is a placeholder
    if not s:
        return True
    templates = re.findall(r"\{\{([^{}|]*)[^{}]*\}\}", s)
    without = re.sub(r"\{\{[^{}]*\}\}", "", s).strip()
    if templates and not without:
        return all(_PLACEHOLDER_TEMPLATE.search(t) for t in templates)
    if re.fullmatch(r"__[A-Z]+__|\[\[\s*Category\s*:[^\]]*\]\]", without):
        return True
    plain = fold(strip_markup(without)).strip().strip("'\"()[]").strip()
    return bool(_PLACEHOLDER.match(plain))
