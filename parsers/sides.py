"""Which side each writer is on: the reviewer side or the grantee side, and why.

Why signals together and not one list: on Meta, program officers sign with
``(WMF)`` accounts, but committee members, grants administrators and
community reviewers use ordinary accounts, and reviewers' text is often cut
before its signature.  A program officer reading the page knows the grantee
from the page title and from who is greeted and who answers; whoever asks
the grantee side something and is not on it is a reviewer.  Configured
reviewers and grantees stay the strongest signals; naming a grantee never
turns an unlisted reviewer into "other".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsers.asks import Ask, classify
from parsers.model import Comment, TalkPage
from parsers.roles import Roles, normalise_user
from parsers.signatures import find_user_links
from parsers.text import fold, split_sentences, strip_markup

REVIEWER = "reviewer"
GRANTEE = "grantee"
OTHER = "other"

OPENING = 1500  # characters at the start of a text where writers say who they are

_TITLE_ACCOUNT = re.compile(r"^Grants(?:[ _]talk)?:Project/Rapid/([^/]+)/.+", re.IGNORECASE)
_STAFF_DISPLAY = re.compile(r"\((?:[^()]*\bWMF\b[^()]*|[^()]*(?:program(?:me)? officer|grants? administrator|"
                            r"grants? (?:team|staff)|wikimedia foundation)[^()]*)\)", re.IGNORECASE)
_GREETING = re.compile(
    r"^[\W_]*(?:hello|hi|hey|dear|greetings|good (?:morning|afternoon|evening)|thanks?|thank you|many thanks|"
    r"hola|estimad[oa]s?|querid[oa]s?|gracias|buen[oa]s (?:dias|tardes)|ola|oi|car[oa]s?|prezad[oa]s?|"
    r"obrigad[oa]|bonjour|bonsoir|salut|cher|chere|chers|cheres|merci|hallo|liebe[rs]?|guten tag|danke|ciao|salve|"
    r"gentile|grazie|halo|terima kasih|selamat|witam|dzien dobry|dziekuje|benvolgut|bon dia|gracies|"
    r"вітаю|привіт|дякую|добрии день|здравствуите|привет|спасибо|مرحبا|شكرا)\b")
# "{{ping|Name}} ..." / "{{re|Name}}": a reply template addresses Name like "@Name".
_PING = re.compile(r"^[\s:*#]*\{\{\s*(?:ping|re|reply ?to|replyto|reply|u|user|yo|respuesta|respondre|notif|"
                   r"mention|an|antwort)\s*\|([^{}]*)\}\}", re.IGNORECASE)
# "Support." / "{{Support}}" / "Je soutiens": an endorsement, not the grantee answering.
_ENDORSES = re.compile(r"^[\W_]*(?:\{\{\s*(?:strong |weak )?(?:support|endorse|pro|за)\s*(?:\|[^{}]*)?\}\}|"
                       r"(?:strong |weak )?(?:support|endorse)\b|i (?:strongly |fully )?(?:support|endorse)\b|"
                       r"apoio\b|apoyo\b|je soutiens|soutien\b|підтримую|поддерживаю|popieram|unterstutze|"
                       r"sostengo|mendukung|\+1\b)")
_TEAM = re.compile(r"\b(?:team|teams|organi[sz]ers?|equipo|equipe|equipa|organizadores|wikimedians|"
                   r"user group|chapter|grantees?)\b")
_COMMITTEE = re.compile(
    r"\b(?:committee|comite|comissao|gac|fdc|grant advisory|funds? dissemination|grants? team|program officers?|"
    r"grants? administrators?)\b")
_REVIEW_SELF = re.compile(
    r"\b(?:(?:i|we) (?:have |'ve )?(?:now )?(?:reviewed|read through|taken a look at|looked at) (?:your|the|this)|"
    r"after (?:reviewing|the first review)|(?<!to )(?<!for )(?<!thank )(?:the|our) committee(?! for\b)|"
    r"as (?:a )?(?:member|members) of|"
    r"on behalf of (?:the |our )?(?:[\w-]+ )*?(?:committee|grants? team|reviewers)|"
    r"(?:i|we) (?:have|'ve) (?:some|a few|the following) (?:questions|comments|follow[- ]up)|"
    r"hemos revisado|revisamos (?:su|tu|el)|avons (?:examine|etudie|lu)|analisamos|o comite|le comite|el comite)")
_REVIEWER_HEADING = re.compile(
    r"\b(?:wmf|committee|comite|gac|fdc|feedback|review|reviewer|questions?|comments?|comentarios?|follow[- ]?up|"
    r"clarifications?|aclaraciones|esclarecimentos|precisions|"
    r"preguntas|perguntas|commentaires|remarques|report accepted|approved|approval|decision|members|"
    r"observacoes|observaciones|observations|avaliacao|evaluacion|evaluation|revisao|revision|aprovacao|aprobacion|"
    r"retours|fundacao|fundacion|fondation|staff|equipe)\b")
_RESPONSE_HEADING = re.compile(r"\b(?:response|responses|answers?|reply|replies|respuestas?|respostas?|"
                               r"reponses?|grantee)\b")
# "Thank you Ilario and Polimerek for the comments": the people thanked for a review reviewed.
_THANKED_FOR_REVIEW = re.compile(
    r"^[\W_]*(?:hi|hello|dear)?[\W_]*(?:many thanks|thanks?|thank you|gracias|obrigad[oa]|merci)\b(?P<who>.{0,120}?)"
    r"\b(?:for|por|pelos?|pelas?|pour) (?:the|your|all the|these|los|las|sus|tus|os|as|seus|suas|vos|les|tes) "
    r"(?:\w+ )?(?:comments?|questions?|feedback|review|remarks|input|comentarios|preguntas|perguntas|comentarios|"
    r"questions|remarques|commentaires|retours)\b")
_THANKS_WORDS = ("thank", "gracias", "obrigad", "merci")
_SECONDING = re.compile(r"\b(?:i agree|agree with|i second|\+1|same concern|i share)\b")


@dataclass(frozen=True)
class Side:
    side: str
    reason: str


def title_account(title: str | None) -> str | None:
    """The account in a Rapid Grant title path (``Grants:Project/Rapid/<User>/<Project>``)."""
    if not title:
        return None
    m = _TITLE_ACCOUNT.match(title.strip())
    return normalise_user(m.group(1)) if m else None


class NameIndex:
    """Names people are called by (folded) -> their account, looked up word by word.

    Why an index: a greeting is matched against every writer's names, and a
    page with thousands of writers must cost no more per greeting than one
    with two."""

    def __init__(self) -> None:
        self.accounts: dict[str, str] = {}
        self.by_first_word: dict[str, list[str]] = {}

    def add(self, key: str, account: str) -> None:
        if len(key) < 3 or key in self.accounts:
            return
        self.accounts[key] = account
        first = re.match(r"\w+", key)
        self.by_first_word.setdefault(first.group(0) if first else key, []).append(key)

    def find(self, text: str) -> list[str]:
        """Accounts whose names occur as whole words in ``text``, in order."""
        folded = fold(text)
        found: list[str] = []
        for m in re.finditer(r"\w+", folded):
            for key in self.by_first_word.get(m.group(0), ()):
                end = m.start() + len(key)
                whole = folded.startswith(key, m.start()) and (end == len(folded) or not folded[end].isalnum())
                if whole and self.accounts[key] not in found:
                    found.append(self.accounts[key])
        return found


def greeted(first_line: str, names: NameIndex) -> tuple[list[str], bool]:
    """(known names greeted, whether a team or group is greeted) at the start of a text."""
    ping = _PING.match(first_line)
    if ping:
        return names.find(ping.group(1).replace("|", ", ")), False
    plain = strip_markup(first_line)
    lead = fold(plain)
    if lead.lstrip().startswith("@"):  # "@Name: ..." addresses Name like a greeting
        head = plain[: (lead.find(":") + 1) or 80]
        return names.find(head), False
    if not _GREETING.match(lead):
        return [], False
    cut = re.search(r"(?<!\bmr)(?<!\bmrs)(?<!\bms)(?<!\bdr)[.!?;]\s|\bfor\b|\bpor\b|\bpara\b|\bpour\b", lead[:160])
    head = plain[: cut.start() if cut else 160]
    return names.find(head), bool(_TEAM.search(fold(head)))


_SECOND_PERSON = re.compile(r"\b(?:you|your|yours|vous|votre|vos|usted|ustedes|vuestr[oa]s?|voce|voces|seu|sua)\b")
# "our" (not "we": reviewers write "we need ...") marks the grantee side speaking of its own grant.
_FIRST_PLURAL = re.compile(r"\b(?:our|ours|notre|nos|nuestr[oa]s?|nosso|nossa|nossos|nossas)\b")


def _asks(text: str) -> bool:
    """Does the text ask someone else for something, in the reviewer's voice?

    "Could you send your receipts?" asks the grantee; "When will our funds
    arrive?" is the grantee side asking, even when nobody named the writer."""
    asks = [s.plain for s in split_sentences(text) if classify(s.plain) in (Ask.QUESTION, Ask.REQUEST)]
    if not asks:
        return False
    words = fold(" ".join(asks))
    return not (_FIRST_PLURAL.search(words) and not _SECOND_PERSON.search(words))


class SideFinder:
    """Decides the side of every author on one page, remembering why."""

    def __init__(self, page: TalkPage, roles: Roles, title: str | None, comments: tuple[Comment, ...],
                 texts: dict[int, str]) -> None:
        self.page, self.roles, self.comments, self.texts = page, roles, comments, texts
        self.sides: dict[str, Side] = {}
        self._greetings: dict[int, tuple[list[str], bool]] = {}
        self._asking: dict[int, bool] = {}
        self._openings: dict[int, str] = {}
        self.names = NameIndex()
        displays: dict[str, str] = {}
        for c in comments:
            for s in c.signatures:
                if s.display:
                    displays.setdefault(s.user, s.display)
        self.displays = displays
        account = title_account(title)
        for name in [c.author for c in comments if c.author] + list(roles.grantees) + ([account] if account else []):
            self._learn(name)
        self._seed(account)
        self._thanked_reviewers()
        self._infer()

    def _learn(self, name: str) -> None:
        """Remember the account, its display name, and the first name people greet it by."""
        self.names.add(fold(name), name)
        display = self.displays.get(name) or name
        self.names.add(fold(display), name)
        bare = re.sub(r"\s*\(.*?\)\s*", " ", display).strip()
        if bare:
            self.names.add(fold(bare), name)
            words = bare.split()
            if len(words) > 1:
                self.names.add(fold(words[0]), name)

    def _seed(self, account: str | None) -> None:
        for name in dict.fromkeys(self.names.accounts.values()):
            if self.roles.is_ignored(name):
                self.sides[name] = Side(OTHER, "an ignored account (a bot)")
            elif name in self.roles.reviewers:
                self.sides[name] = Side(REVIEWER, "a configured reviewer")
            elif name in self.roles.grantees:
                self.sides[name] = Side(GRANTEE, "named as the grantee")
            elif account and name == account:
                self.sides[name] = Side(GRANTEE, "the account in the page title")
            elif self.roles.is_reviewer(name):
                self.sides[name] = Side(REVIEWER, "a Wikimedia Foundation or configured reviewer account")
            elif _STAFF_DISPLAY.search(self.displays.get(name, "")):
                self.sides[name] = Side(REVIEWER, f"signs as \"{self.displays[name]}\"")

    def greeting_of(self, c: Comment) -> tuple[list[str], bool]:
        """Who the comment greets first thing (computed once per comment)."""
        if c.index not in self._greetings:
            self._greetings[c.index] = greeted(first_line(self.texts.get(c.index, "")), self.names)
        return self._greetings[c.index]

    def asks(self, c: Comment) -> bool:
        if c.index not in self._asking:
            self._asking[c.index] = _asks(self.texts.get(c.index, ""))
        return self._asking[c.index]

    def _thanked_reviewers(self) -> None:
        """Whoever is thanked "for the comments/questions" is a reviewer; the one thanking, the grantee."""
        for line in self.page.lines:
            if line.kind.value not in ("text", "list"):
                continue
            opening = self.page.text[line.start + len(line.prefix):line.start + len(line.prefix) + 40].lower()
            if not any(word in opening for word in _THANKS_WORDS):
                continue
            m = _THANKED_FOR_REVIEW.match(fold(strip_markup(self.page.text[line.start + len(line.prefix):line.end][:300])))
            if m is None:
                continue
            for name in self.names.find(m.group("who")):
                self._set(name, REVIEWER, "thanked by the grantee side for the review")

    def side_of(self, name: str | None) -> Side | None:
        return self.sides.get(name) if name else None

    def _set(self, name: str, side: str, reason: str) -> bool:
        if name in self.sides:
            return False
        self.sides[name] = Side(side, reason)
        return True

    def _infer(self) -> None:
        for _ in range(3):
            changed = False
            for c in self.comments:
                changed |= self._from_greeting(c) | self._from_context(c)
            if not changed:
                break
        known_grantees = any(s.side == GRANTEE for s in self.sides.values()) or bool(self.roles.grantees)
        for c in self.comments:
            if c.author and c.author not in self.sides:
                self._default(c, known_grantees)

    def _from_greeting(self, c: Comment) -> bool:
        names, _team = self.greeting_of(c)
        names = [n for n in names if n != c.author]
        me = self.side_of(c.author)
        changed = False
        for n in names:
            other = self.side_of(n)
            if me and me.side in (REVIEWER, GRANTEE) and other is None:
                flip = GRANTEE if me.side == REVIEWER else REVIEWER
                changed |= self._set(n, flip, f"greeted by {c.author}, on the {me.side} side")
            elif me is None and other and other.side in (REVIEWER, GRANTEE) and c.author:
                flip = GRANTEE if other.side == REVIEWER else REVIEWER
                changed |= self._set(c.author, flip, f"greets {n}, who is on the {other.side} side")
        return changed

    def _from_context(self, c: Comment) -> bool:
        if not c.author or c.author in self.sides:
            return False
        if c.index not in self._openings:
            self._openings[c.index] = fold(self.texts.get(c.index, "")[:OPENING])
        text = self._openings[c.index]
        section = fold(" ".join(self.page.section_path(c.heading)))
        if _COMMITTEE.search(text) and _REVIEW_SELF.search(text) or re.search(r"\b(?:gac|committee|fdc) members\b", section):
            return self._set(c.author, REVIEWER, "writes as a member of the reviewing committee")
        parent = self.comments[c.parent] if c.parent is not None and c.parent < len(self.comments) else None
        ps = self.side_of(parent.author) if parent else None
        if _ENDORSES.match(text):
            return self._set(c.author, OTHER, "endorses the grant (a community member, not the grantee)")
        if ps and ps.side == REVIEWER and parent is not None and parent.author != c.author:
            if _SECONDING.search(text):
                return self._set(c.author, REVIEWER, f"seconds {parent.author}'s review")
            return self._set(c.author, GRANTEE, f"answers the reviewer {parent.author}")
        if ps and ps.side == GRANTEE and parent is not None and self.asks(c):
            return self._set(c.author, REVIEWER, f"asks the grantee {parent.author} something in reply")
        return False

    def _default(self, c: Comment, known_grantees: bool) -> None:
        asks = self.asks(c)
        if asks and known_grantees:
            self._set(c.author or "", REVIEWER, "asks the grantee side something and is not on it")
        elif asks and c.parent is None:
            self._set(c.author or "", REVIEWER, "opens the thread with questions for the grantee")
        elif not known_grantees:
            self._set(c.author or "", GRANTEE, "takes part in the grant's discussion without a reviewer's role")

    def roles_for_page(self) -> Roles:
        """The caller's roles plus what this page shows."""
        reviewers = {n for n, s in self.sides.items() if s.side == REVIEWER}
        grantees = {n for n, s in self.sides.items() if s.side == GRANTEE}
        return Roles(reviewers=self.roles.reviewers | frozenset(reviewers),
                     reviewer_patterns=self.roles.reviewer_patterns,
                     grantees=self.roles.grantees | frozenset(grantees - self.roles.reviewers),
                     ignored=self.roles.ignored)


def opens_like_reply(line: str) -> bool:
    """Does a line open like a reply ("Hi, thanks for the questions", "Hola, gracias")?"""
    return bool(_GREETING.match(fold(strip_markup(line))))


def greeted_by_link(line: str) -> list[str]:
    """Accounts ``line`` greets through links to their user pages ("Hi [[User:X|X]], ...").
    Why: the person greeted may not have signed anything on the page (their
    signature is cut off), so only the link says who they are."""
    return list(dict.fromkeys(link.user for link in find_user_links(line)
                              if greets(line, link.user, strip_markup(link.label or "") or None)))


def greets(line: str, account: str | None, display: str | None) -> bool:
    """Does ``line`` greet this person (by account, display or first name)?"""
    names = NameIndex()
    for name in (account, display):
        if name:
            names.add(fold(name), account or name)
            bare = re.sub(r"\s*\(.*?\)\s*", " ", name).strip()
            names.add(fold(bare), account or name)
            if len(bare.split()) > 1:
                names.add(fold(bare.split()[0]), account or name)
    return bool(greeted(line, names)[0])


def asks_like_reviewer(text: str) -> bool:
    return _asks(text)


def asks_anything(text: str) -> bool:
    return any(classify(s.plain) in (Ask.QUESTION, Ask.REQUEST) for s in split_sentences(text))


def heading_side(section: tuple[str, ...]) -> str | None:
    """The side a section heading names: "Comments from WMF" -> reviewer, "Responses" -> grantee."""
    text = fold(" ".join(section))
    if _RESPONSE_HEADING.search(text):
        return GRANTEE
    if _REVIEWER_HEADING.search(text):
        return REVIEWER
    return None


def thanks_for_review(text: str) -> bool:
    """Does the text open by thanking someone for their comments or review (the grantee side does)?"""
    return bool(_THANKED_FOR_REVIEW.match(fold(strip_markup(first_line(text))[:300])))


def self_identifies_reviewer(text: str) -> bool:
    """Does the text open like a reviewer's ("The committee has reviewed ...")?"""
    return bool(_REVIEW_SELF.search(fold(text[:OPENING])))


def first_line(text: str) -> str:
    text = text.lstrip()
    end = text.find("\n")
    return text if end < 0 else text[:end]
