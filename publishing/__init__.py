"""Pure decisions and rendering: what the bot would write, and whether it may.

Nothing here talks to the wiki or the state database (``bots/`` does the
wiki I/O, ``jobs/`` the orchestration).  Every function takes what it needs,
``now`` included, and returns values:

* :mod:`publishing.statuspage`: the status table, its pages, the JSON copy;
* :mod:`publishing.reminders`: the reminder policy and its wording;
* :mod:`publishing.escape`: wiki text from untrusted strings;
* :mod:`publishing.blocks`: the bot's own block inside a page;
* :mod:`publishing.outcomes`: what an attempted edit did, as a value;
* :mod:`publishing.safety`: the hard allowlist, the shutoff page, opt-outs.
"""
