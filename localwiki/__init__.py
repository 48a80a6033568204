"""An embedded MediaWiki 1.39 for the demo and the tests.

Built from Debian's ``mediawiki`` package (``make setup`` installs it), with
SQLite, Meta-Wiki's ``Grants:`` (200) / ``Grants talk:`` (201) namespaces,
rate limits off, and three accounts: the bot (``GrantBot``, bot group,
BotPassword with highvolume/editpage/createeditmovepage/basic), a person
(``Alice``) for "human" edits, and a sysop (``Admin``).  Secrets are random,
stored only in files of mode 0600 inside the wiki directory, never printed.

Python API (everything raises :class:`bots.errors.LocalWikiError`)::

    wiki = LocalWiki.create(dir, port=None)  # new wiki from the cached template (<1 s)
    wiki = LocalWiki.open(dir)               # an existing one
    wiki = LocalWiki.ensure(dir, port=None)  # open, or create when missing (`wiki up`)
    wiki.start(); wiki.stop(); wiki.destroy(); wiki.status() -> WikiStatus
    wiki.url, wiki.api_url, wiki.page_url(title), wiki.port
    wiki.family                       # pywikibot family (and code) name of this wiki
    wiki.pywikibot_dir                # PYWIKIBOT_DIR for a process that only uses this wiki
    wiki.bot_user, wiki.human_user, wiki.admin_user
    wiki.pywikibot_site("bot"|"human")  # logged-in APISite; registers the wiki at run time
    wiki.register_pywikibot()         # only declare the families to pywikibot
    wiki.edit_as_human(title, text, summary) -> revid   # plain HTTP, not pywikibot
    wiki.api_session("human"|"bot")   # small plain-HTTP API client
    wiki.maintenance(script, *args); wiki.import_xml(path)
    seed_wiki(wiki, now=..., synthetic=0)  # see localwiki.seed

Human sites use ``localhost`` instead of ``127.0.0.1`` in their URL so the
two accounts' session cookies never collide in pywikibot's single cookie jar.
"""

from __future__ import annotations

from localwiki.harness import ApiSession, LocalWiki, WikiStatus

__all__ = ["ApiSession", "LocalWiki", "WikiStatus"]
