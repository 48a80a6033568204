"""Deciding whether a grant talk page gets a reminder, and rendering it.

Entry points (pure; ``now`` injected):

* :func:`reminder_history` merges what the page's own hidden markers say
  (:mod:`parsers.markers`) with what the state database remembers.  The
  page wins: if a run crashed after posting and before recording, the
  marker is still there, so the item is not reminded twice.  Per item the
  merge takes the larger count and the later date, so a reminder both
  recorded and still visible counts once, and one archived off the page
  still counts.
* :func:`decide` applies a :class:`ReminderPolicy` and returns a
  :class:`ReminderDecision` (or None).
* :func:`render` turns a decision into ``(section title, body)`` for the
  writer's append-only new-section edit, in the page's language.

Wording is a :class:`ReminderWording` per language (en, es, pt, fr built
in, chosen by ``TalkAnalysis.language``, English as fallback), overridable
through ``ReminderPolicy.wording``.  Placeholders (``str.format``):

* ``heading``: ``{date}`` (YYYY-MM-DD)
* ``intro``: ``{pings}`` (user links), ``{count}`` (items), ``{days}`` (policy age)
* ``item``: ``{link}`` (link to the section), ``{asked_by}``, ``{asked_on}``,
  ``{age}`` (days), ``{excerpt}`` (escaped text), ``{kind}``
* ``outro``: ``{bot}`` (the bot's user name)

Values are escaped before they are substituted; the templates themselves
are trusted configuration.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from publishing import escape
from parsers.markers import ReminderMarker, reminder_marker
from parsers.model import Authorship, ItemStatus, ReviewerItem, TalkAnalysis, WaitingOn


@dataclass(frozen=True)
class ReminderWording:
    heading: str
    intro: str
    item: str
    outro: str
    reviewer_intro: str


DEFAULT_WORDING: Mapping[str, ReminderWording] = {
    "en": ReminderWording(
        heading="Reminder: open reviewer questions ({date})",
        intro="Hello {pings}, {count} question(s) or request(s) on this page have been waiting "
        "for an answer for {days} days or more:",
        item="* {link}, asked by {asked_by} on {asked_on} ({age} days ago): {excerpt}",
        outro="Please answer in the relevant section. This is an automated reminder from {bot}.",
        reviewer_intro="Hello {pings}, the grantee replied here and the following threads have "
        "been waiting for a reviewer's response for {days} days or more:",
    ),
    "es": ReminderWording(
        heading="Recordatorio: preguntas pendientes de revisión ({date})",
        intro="Hola {pings}, {count} pregunta(s) o solicitud(es) de esta página esperan "
        "respuesta desde hace {days} días o más:",
        item="* {link}, planteada por {asked_by} el {asked_on} (hace {age} días): {excerpt}",
        outro="Por favor, respondan en la sección correspondiente. Recordatorio automático de {bot}.",
        reviewer_intro="Hola {pings}, el equipo beneficiario respondió y estos hilos esperan "
        "la respuesta de un revisor desde hace {days} días o más:",
    ),
    "pt": ReminderWording(
        heading="Lembrete: perguntas de revisão em aberto ({date})",
        intro="Olá {pings}, {count} pergunta(s) ou pedido(s) nesta página aguardam resposta "
        "há {days} dias ou mais:",
        item="* {link}, feita por {asked_by} em {asked_on} (há {age} dias): {excerpt}",
        outro="Por favor, respondam na seção correspondente. Lembrete automático de {bot}.",
        reviewer_intro="Olá {pings}, a equipe beneficiária respondeu e estas discussões "
        "aguardam resposta de um revisor há {days} dias ou mais:",
    ),
    "fr": ReminderWording(
        heading="Rappel : questions de relecture en attente ({date})",
        intro="Bonjour {pings}, {count} question(s) ou demande(s) sur cette page attendent "
        "une réponse depuis {days} jours ou plus :",
        item="* {link}, posée par {asked_by} le {asked_on} (il y a {age} jours) : {excerpt}",
        outro="Merci de répondre dans la section concernée. Rappel automatique de {bot}.",
        reviewer_intro="Bonjour {pings}, l'équipe bénéficiaire a répondu et ces discussions "
        "attendent la réponse d'un relecteur depuis {days} jours ou plus :",
    ),
}


@dataclass(frozen=True)
class ReminderPolicy:
    """When to remind; defaults follow the issue.  The runner maps config onto it."""

    min_age_days: int = 14  # an item must have been open this long
    interval_days: int = 14  # at most one reminder of a kind per grant in this window
    max_per_item: int = 2
    reviewer_reminders: bool = False
    reviewer_silence_days: int = 14
    max_items_listed: int = 20
    excerpt_chars: int = 140
    wording: Mapping[str, ReminderWording] = field(default_factory=dict)  # overrides by language

    def wording_for(self, language: str) -> ReminderWording:
        lang = (language or "en").split("-")[0].lower()
        for table in (self.wording, DEFAULT_WORDING):
            if lang in table:
                return table[lang]
        return self.wording.get("en", DEFAULT_WORDING["en"])


@dataclass(frozen=True)
class ItemHistory:
    count: int
    last: datetime | None


@dataclass(frozen=True)
class ReminderDecision:
    kind: str  # "grantee" or "reviewer"
    recipients: tuple[str, ...]
    items: tuple[ReviewerItem, ...]  # grantee reminders
    threads: tuple[tuple[tuple[str, ...], datetime], ...]  # reviewer reminders: (section, since)
    marker_ids: tuple[str, ...]


def reminder_history(
    markers: Sequence[ReminderMarker],
    recorded: Mapping[str, Sequence[datetime]] | None = None,
    kind: str = "grantee",
) -> dict[str, ItemHistory]:
    """Per item id: how many reminders and the latest, page markers merged with state."""
    page: dict[str, list[datetime | None]] = {}
    for marker in markers:
        if marker.kind == kind:
            for item in marker.items:
                page.setdefault(item, []).append(marker.at)
    result: dict[str, ItemHistory] = {}
    for item in set(page) | set(recorded or {}):
        on_page = page.get(item, [])
        in_state = list((recorded or {}).get(item, ()))
        dates = [d for d in on_page + in_state if d is not None]
        result[item] = ItemHistory(max(len(on_page), len(in_state)), max(dates) if dates else None)
    return result


def last_reminder(markers: Sequence[ReminderMarker], kind: str) -> datetime | None:
    dates = [m.at for m in markers if m.kind == kind and m.at is not None]
    return max(dates) if dates else None


def decide(
    analysis: TalkAnalysis,
    markers: Sequence[ReminderMarker],
    policy: ReminderPolicy,
    now: datetime,
    recorded: Mapping[str, Sequence[datetime]] | None = None,
    recorded_last: datetime | None = None,
) -> ReminderDecision | None:
    """The grantee reminder due now, else the reviewer one (if enabled), else None.

    ``recorded``: reminder dates per item id from the state database;
    ``recorded_last``: the last reminder of any kind the state knows for this grant.
    """
    interval = timedelta(days=policy.interval_days)
    grantee = _decide_grantee(analysis, markers, policy, now, recorded, recorded_last)
    if grantee is not None or not policy.reviewer_reminders:
        return grantee
    last = last_reminder(markers, "reviewer")
    if last is not None and now - last < interval:
        return None
    return _decide_reviewer(analysis, policy, now)


def _decide_grantee(
    analysis: TalkAnalysis,
    markers: Sequence[ReminderMarker],
    policy: ReminderPolicy,
    now: datetime,
    recorded: Mapping[str, Sequence[datetime]] | None,
    recorded_last: datetime | None,
) -> ReminderDecision | None:
    interval = timedelta(days=policy.interval_days)
    lasts = [d for d in (last_reminder(markers, "grantee"), recorded_last) if d is not None]
    if lasts and now - max(lasts) < interval:
        return None
    history = reminder_history(markers, recorded, "grantee")
    due = []
    for item in analysis.items:
        if item.status is not ItemStatus.OPEN or item.asked_at is None:
            continue
        if item.authorship is Authorship.UNVERIFIED:  # someone else typed the asker's name
            continue
        if now - item.asked_at < timedelta(days=policy.min_age_days):
            continue
        past = history.get(item.id, ItemHistory(0, None))
        if past.count >= policy.max_per_item:
            continue
        if past.last is not None and now - past.last < interval:
            continue
        due.append(item)
    if not due or not analysis.grantees:
        return None
    due.sort(key=lambda i: (i.asked_at, i.start))
    return ReminderDecision(
        kind="grantee",
        recipients=tuple(analysis.grantees),
        items=tuple(due),
        threads=(),
        marker_ids=tuple(i.id for i in due),
    )


def _decide_reviewer(
    analysis: TalkAnalysis, policy: ReminderPolicy, now: datetime
) -> ReminderDecision | None:
    silence = timedelta(days=policy.reviewer_silence_days)
    waiting = []
    for thread in analysis.threads:
        if thread.waiting_on is not WaitingOn.REVIEWER or thread.last_grantee_at is None:
            continue
        if thread.last_reviewer_at and thread.last_reviewer_at >= thread.last_grantee_at:
            continue
        if now - thread.last_grantee_at >= silence:
            waiting.append((thread.section, thread.last_grantee_at))
    if not waiting or not analysis.reviewers:
        return None
    ids = tuple(escape.anchor(s[-1]) if s else "top" for s, _ in waiting)
    return ReminderDecision(
        kind="reviewer",
        recipients=tuple(analysis.reviewers),
        items=(),
        threads=tuple(waiting),
        marker_ids=tuple(i.replace(" ", "_") for i in ids),
    )


def render(
    decision: ReminderDecision,
    talk_title: str,
    language: str,
    policy: ReminderPolicy,
    now: datetime,
    bot_name: str,
) -> tuple[str, str]:
    """``(section title, body)``; the body starts with the marker and ends signed."""
    words = policy.wording_for(language)
    pings = ", ".join(escape.user_link(u) for u in decision.recipients)
    heading = escape.collapse(words.heading.format(date=now.strftime("%Y-%m-%d")))
    # The marker goes first: a line of its own that thread parsers skip, and
    # it is on the page from the very edit that posts the reminder.
    lines: list[str] = [reminder_marker(decision.kind, decision.marker_ids, now)]
    if decision.kind == "grantee":
        lines.append(
            words.intro.format(pings=pings, count=len(decision.items), days=policy.min_age_days)
        )
        for item in decision.items[: policy.max_items_listed]:
            where = " › ".join(item.section) or item.anchor or talk_title
            lines.append(
                words.item.format(
                    link=escape.link(talk_title, where, escape.anchor(item.anchor) or None),
                    # plain text: a user link in a signed post would ping the reviewer
                    asked_by=escape.text(item.asked_by) if item.asked_by else "?",
                    asked_on=item.asked_at.strftime("%Y-%m-%d") if item.asked_at else "?",
                    age=(now - item.asked_at).days if item.asked_at else "?",
                    excerpt=escape.text(item.text, policy.excerpt_chars),
                    kind=item.kind.value,
                )
            )
    else:
        lines.append(words.reviewer_intro.format(pings=pings, days=policy.reviewer_silence_days))
        for section, since in decision.threads[: policy.max_items_listed]:
            where = " › ".join(section) or talk_title
            target = escape.anchor(section[-1]) if section else None
            lines.append(f"* {escape.link(talk_title, where, target)} ({since:%Y-%m-%d})")
    lines.append("")
    lines.append(f"{words.outro.format(bot=escape.entities(bot_name))} ~~~~")
    return heading, "\n".join(lines)
