"""English sample grants (report pages and their talk pages), written for grantbot.

Every grant, place and person here is invented.  Each talk page's ``notes``
says which reply style it exercises; tests look pages up by title.
"""

from __future__ import annotations

from localwiki.seed.model import PageSpec, Step

MARA = "Mara (WMF)"
KWAME = "Kwame (WMF)"
JONAS = "Jonas (WMF)"
INGRID = "Ingrid Solberg"  # grants committee member
RAVI = "Ravi Menon"  # grants committee member

INLINE = "Conference/Tomas Riverbank/Lakeshore Wiki Meetup 2026/Report"
RESPONSES = "Project/Rapid/Nadia Okafor/Market Photos Drive/Report"
NUMBERED = "APG/Harbour Wikimedians/Annual Plan 2025/Report"
UNANSWERED = "Project/Rapid/Owen Pritchard/Village Histories Editathon/Report"
PROMISE = "Project/Rapid/Fatima Diallo/School Library Articles/Report"
UNSIGNED = "Conference/Wen Li/Open Maps Day 2026/Report"
COSIGNED = "APG/Northern Valleys User Group/Annual Plan 2025/Report"
NOBOTS = "Project/Rapid/Samir Haddad/Radio Archive Transcriptions/Report"
OPTOUT = "Conference/Greta Lindqvist/Nordic Editors Weekend 2026/Report"
EMPTY_REPORT = "APG/Coastal Knowledge Society/Annual Plan 2025/Report"


def _report(base: str, author: str, days_ago: float, status: str, body: str) -> PageSpec:
    return PageSpec(
        f"Grants:{base}",
        (Step(author, days_ago, "report draft"),),
        ((0, f"{{{{Grant report status|status={status}|officer=[[User:{MARA}|{MARA}]]}}}}\n"
             + body),),
        notes=f"report page, status={status}",
    )


_FULL_REPORT = (
    "== Summary ==\nWe held the activity we planned and most volunteers came back for a "
    "second session.\n== Outcomes ==\n* 41 participants\n* 120 articles improved\n"
    "== Budget ==\nWe spent 93% of the grant; the rest is explained below.\n"
    "== Lessons learned ==\nStart the venue booking earlier.\n"
)

SAMPLES_EN: tuple[PageSpec, ...] = (
    # 1. Inline replies under the reviewer's bullets, one answered later in the thread.
    _report(INLINE, "Tomas Riverbank", 45, "under review", _FULL_REPORT),
    PageSpec(
        f"Grants talk:{INLINE}",
        (Step(MARA, 40), Step("Tomas Riverbank", 20), Step(MARA, 12), Step("Tomas Riverbank", 9)),
        (
            (0, "== Questions on the final report ==\n"
                "Hello Tomas, thank you for the clear report. A few points before we close it:\n"),
            (0, "* How many of the participants were editing for the first time? ~SIG~\n"),
            (1, "*: Twenty-three of the 41 had never edited before. ~SIG~\n"),
            (0, "* Please add the attendance sheet to the report page. ~SIG~\n"),
            (1, "*: Done, it is now under the Outcomes heading. ~SIG~\n"),
            (0, "* What happened with the remaining 7% of the budget? ~SIG~\n"),
            (1, "*: We still have it and would like to keep it for the follow-up session, if "
                "that is fine. ~SIG~\n"),
            (2, "*:: That is fine, but which date is the follow-up planned for? ~SIG~\n"),
            (3, "*::: The second Saturday of next month, at the same library. ~SIG~\n"),
        ),
        notes="inline replies under bullets (*:), a later reply in the same thread; all answered",
    ),
    # 2. A separate responses section mirroring bold sub-headings with bold labels.
    _report(RESPONSES, "Nadia Okafor", 50, "needs revision", _FULL_REPORT),
    PageSpec(
        f"Grants talk:{RESPONSES}",
        (Step(KWAME, 38), Step("Nadia Okafor", 21)),
        (
            (0, "== Review of the final report ==\nHi Nadia, congratulations on finishing the "
                "drive. Some questions, grouped by topic.\n\n'''Uploads'''\n"
                "Which licence did the photographers choose, and were all images categorised?\n\n"
                "'''Budget'''\nCould you explain why the printing line doubled?\n\n"
                "'''Next steps'''\nDo you plan to repeat the drive next year? Please also link "
                "the category on Commons. ~SIG~\n"),
            (1, "\n== Responses to the review ==\nThanks Kwame, answers below.\n\n"
                "'''Uploads:''' Everyone used CC BY-SA 4.0, and volunteers categorised every "
                "image during the wrap-up evening.\n\n"
                "'''Budget:''' The printer raised prices after we applied, so the posters cost "
                "twice the estimate.\n\n~SIG~\n"),
        ),
        notes="separate responses section with bold labels; 'Next steps' left unanswered",
    ),
    # 3. Numbered questions answered with a numbered list.
    _report(NUMBERED, "Harbour Admin", 60, "submitted", _FULL_REPORT),
    PageSpec(
        f"Grants talk:{NUMBERED}",
        (Step(INGRID, 41), Step("Harbour Admin", 19), Step(RAVI, 6)),
        (
            (0, "== Committee questions ==\nThe committee read the annual report and has "
                "these questions:\n"
                "# How did you pick the three partner museums?\n"
                "# Why was the staff line higher than planned?\n"
                "# Will the training material be published under a free licence?\n"
                "Thanks in advance. ~SIG~\n"),
            (1, ":Thank you for the careful reading.\n"
                ":# We asked every museum in the region and three said yes.\n"
                ":# Our coordinator worked extra hours during the exhibition month.\n"
                ":# Yes, all slides are already on Commons under CC BY-SA.\n"
                ":~SIG~\n"),
            (2, "::On point 2: was that approved by your board beforehand? ~SIG~\n"),
        ),
        notes="numbered questions, numbered answers; a committee follow-up left open",
    ),
    # 4. Threads nobody answered: the reviewer spoke last.
    _report(UNANSWERED, "Owen Pritchard", 48, "submitted", _FULL_REPORT),
    PageSpec(
        f"Grants talk:{UNANSWERED}",
        (Step(JONAS, 40), Step(JONAS, 5)),
        (
            (0, "== Missing receipts ==\nHi Owen, the report lists catering costs but no "
                "receipts. Could you upload them or send them by email? ~SIG~\n"),
            (1, "\n== Photos ==\nPlease add a few photos of the editathon to the report; "
                "a gallery at the end is enough. ~SIG~\n"),
        ),
        notes="two threads, reviewer spoke last: one asked 40 days ago, one 5 days ago",
    ),
    # 5. A promise instead of an answer.
    _report(PROMISE, "Fatima Diallo", 44, "under review", _FULL_REPORT),
    PageSpec(
        f"Grants talk:{PROMISE}",
        (Step(MARA, 30), Step("Fatima Diallo", 18)),
        (
            (0, "== Receipts and book list ==\n"
                "* Could you share the receipts for the books you bought? ~SIG~\n"),
            (1, ":Hi Mara, the treasurer is travelling; we will send the receipts next week. "
                "~SIG~\n"),
        ),
        notes="answered by a commitment ('we will send the receipts next week')",
    ),
    # 6. A reply somebody forgot to sign.
    _report(UNSIGNED, "Wen Li", 35, "under review", _FULL_REPORT),
    PageSpec(
        f"Grants talk:{UNSIGNED}",
        (Step(KWAME, 28), Step("Wen Li", 14), Step(MARA, 2)),
        (
            (0, "== Mapping results ==\nHow many map edits were made during the day? ~SIG~\n"),
            (1, ":About 2,400 edits by 35 mappers, most of them on footpaths. ~UNSIGNED~\n"),
            (2, "\n== Follow-up survey ==\nDid you send the participant survey? If so, please "
                "summarise the answers here. ~SIG~\n"),
        ),
        notes="an unsigned reply ({{unsigned}}); a newer open question",
    ),
    # 7. A co-signed reply (two grantees sign one comment).
    _report(COSIGNED, "Lena Hofer", 55, "accepted", _FULL_REPORT),
    PageSpec(
        f"Grants talk:{COSIGNED}",
        (Step(RAVI, 37), Step("Lena Hofer", 22), Step("Marco Bianchi", 22 - 0.01)),
        (
            (0, "== Governance ==\nWho signs off on spending in the user group, and how are "
                "members told about it? ~SIG~\n"),
            (1, ":Two board members approve every payment, and the minutes go to the mailing "
                "list each month. ~SIG~"),
            (2, " ~SIGNAME:Marco~\n"),
        ),
        notes="co-signed reply: two signatures on one comment",
    ),
    # 8. {{nobots}} on the talk page: the bot must not edit it.
    _report(NOBOTS, "Samir Haddad", 42, "under review", _FULL_REPORT),
    PageSpec(
        f"Grants talk:{NOBOTS}",
        (Step("Samir Haddad", 41), Step(JONAS, 33)),
        (
            (0, "{{nobots}}\n"),
            (1, "== Transcription numbers ==\nHow many hours of recordings were transcribed? "
                "~SIG~\n"),
        ),
        notes="{{nobots}}: open question, but bots must not edit",
    ),
    # 9. Opted out of reminders only.
    _report(OPTOUT, "Greta Lindqvist", 39, "under review", _FULL_REPORT),
    PageSpec(
        f"Grants talk:{OPTOUT}",
        (Step("Greta Lindqvist", 38), Step(MARA, 31)),
        (
            (0, "{{bots|optout=grantbot-reminders}}\n"),
            (1, "== Travel support ==\nCould you list which participants received travel "
                "support? ~SIG~\n"),
        ),
        notes="{{bots|optout=grantbot-reminders}}: no reminders, status tables still fine",
    ),
    # 10. A report page with unfilled sections; its talk page has no questions yet.
    PageSpec(
        f"Grants:{EMPTY_REPORT}",
        (Step("Coastal Admin", 26, "start report"), Step("Coastal Admin", 25, "summary")),
        (
            (0, f"{{{{Grant report status|status=draft|officer=[[User:{MARA}|{MARA}]]}}}}\n"),
            (1, "== Summary ==\nThe society ran four coastal clean-up photo walks.\n"),
            (0, "== Outcomes ==\n\n== Budget ==\n''(to be completed)''\n"
                "== Lessons learned ==\n<!-- What would you change next time? -->\n"),
        ),
        notes="report sections: empty, placeholder only, HTML comment only",
    ),
    PageSpec(
        f"Grants talk:{EMPTY_REPORT}",
        (Step("Coastal Admin", 24),),
        ((0, "== Draft ==\nWe are still filling in the report and will finish it soon. "
             "~SIG~\n"),),
        notes="grantee spoke last, nothing asked",
    ),
)
