"""Templates the sample pages use, so they render like they would on Meta-Wiki.

The wording is ours; only the parameter names follow common wiki usage,
because grantbot reads those parameters (``status=``, ``optout=``).
"""

from __future__ import annotations

from localwiki.seed.model import PageSpec, Step

_ADMIN = (Step("Admin", 400.0, "template for the local wiki"),)

SUPPORT_PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        "Template:Unsigned",
        _ADMIN,
        ((0, "<small>(comment left without a signature by [[User:{{{1}}}|{{{1}}}]]"
             "{{#if:{{{2|}}}|, {{{2}}}}})</small><noinclude>\n"
             "Add after a comment someone forgot to sign: <code><nowiki>{{unsigned|User name|time}}"
             "</nowiki></code>.</noinclude>\n"),),
    ),
    PageSpec(
        "Template:Nobots",
        _ADMIN,
        ((0, "<noinclude>Asks every bot to leave the page alone.</noinclude>\n"),),
    ),
    PageSpec(
        "Template:Bots",
        _ADMIN,
        ((0, "<noinclude>Lets a page allow or deny bots: <code>allow=</code>, <code>deny=</code>, "
             "<code>optout=</code> (kinds of messages).</noinclude>\n"),),
    ),
    PageSpec(
        "Template:Grant report status",
        _ADMIN,
        ((0, '{| class="wikitable"\n! Report status\n| {{{status|not given}}}\n|-\n'
             "! Program officer\n| {{{officer|}}}\n|-\n! Due\n| {{{due|}}}\n|}"
             "<noinclude>\nShows where a grant report stands. Parameters: status, officer, due."
             "</noinclude>\n"),),
    ),
)


def grant_pages(specs: tuple[PageSpec, ...]) -> tuple[PageSpec, ...]:
    """The grant's own page for every sample report, so no status-page link is red."""
    out = []
    for spec in specs:
        if spec.title.startswith("Grants:") and spec.title.endswith("/Report"):
            base = spec.title.removesuffix("/Report")
            name = base.rsplit("/", 1)[-1]
            talk = "Grants talk:" + spec.title.removeprefix("Grants:")
            out.append(PageSpec(
                base, (Step(spec.steps[0].author, spec.steps[0].days_ago + 120, "grant page"),),
                ((0, f"'''{name}''' is a sample grant of the local test wiki.\n\n"
                     f"* Report: [[{spec.title}]]\n* Discussion: [[{talk}]]\n"),),
                notes="the grant's own page (linked from the status page)",
            ))
    return tuple(out)


GRANTBOT_TEMPLATE = PageSpec(
    "Template:Grantbot",
    _ADMIN,
    ((0, "<onlyinclude><small>(note for the bot: item {{{2|?}}} {{#switch:{{{1|}}}|answered=answered "
         "elsewhere|not-a-question=is not a question|reopen=reopened|#default={{{1|}}}}})</small></onlyinclude>"
         "<noinclude>\n"
         "Tells GrantBot that a reviewer item was handled elsewhere, is not a question, or must be "
         "reopened: <code><nowiki>{{grantbot|answered|item id}}</nowiki></code>, then sign the line."
         "</noinclude>\n"),),  # onlyinclude: the note stays inline with the signed line
)
