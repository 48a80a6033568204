"""The one exception hierarchy of grantbot.

Everything grantbot raises on purpose derives from :class:`GrantbotError`, so
the command line can turn any of them into one clear line and exit code 2
(bad input) or 1 (the wiki or the environment failed), never a traceback.
Outcomes of an edit (edited, unchanged, simulated, refused) are values, not
exceptions: see ``publishing.outcomes``.
"""

from __future__ import annotations


class GrantbotError(Exception):
    """Base of every error grantbot raises deliberately."""

    exit_code = 1


class ConfigError(GrantbotError):
    """The configuration file is missing, unreadable or invalid."""

    exit_code = 2


class InputError(GrantbotError):
    """A file or argument given on the command line cannot be used."""

    exit_code = 2


class WikiError(GrantbotError):
    """The wiki could not be reached or answered with an error."""


class LoginError(WikiError):
    """The wiki refused the bot's credentials."""


class WikiUnavailableError(WikiError):
    """The wiki is down, overloaded or unreachable after retries."""


class NotAllowedError(GrantbotError):
    """The bot was asked to edit a page outside its allowlist: the
    configuration named it, so it is a configuration error (exit 2)."""

    exit_code = 2


class ShutoffError(GrantbotError):
    """The on-wiki shutoff page says stop."""


class LocalWikiError(GrantbotError):
    """The embedded local MediaWiki could not be installed, started or stopped."""


class LeaseBusyError(GrantbotError):
    """Another run holds the lease on this grant."""
