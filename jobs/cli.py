"""The ``grantbot`` command line.

Sub-commands live in the modules that own them and are imported only when
used, so ``grantbot threads`` never pays for pywikibot or SQLAlchemy.
"""

from __future__ import annotations

import importlib

import click

# name -> "module:attribute"; each attribute is a click.Command.
COMMANDS: dict[str, str] = {
    "threads": "jobs.cli_threads:threads",
    "questions": "jobs.cli_questions:questions",
    "report": "jobs.cli_questions:report",
    "wiki": "jobs.cli_wiki:wiki",
    "run": "jobs.cli_run:run",
    "status": "jobs.cli_run:status",
    "serve": "jobs.cli_run:serve",
    "db": "jobs.cli_run:db",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                return None  # not built yet
            raise
        command = getattr(module, attr)
        assert isinstance(command, click.Command)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="grantbot")
def cli() -> None:
    """grantbot: finds open reviewer questions on grant talk pages and reports them on the wiki."""


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
