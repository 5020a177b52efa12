"""Entry point of the ``babble`` command: the command group and error reporting."""

from __future__ import annotations

import sys

import click

from babble.cli.annotate import annotate
from babble.cli.data import data
from babble.cli.endmodel import register as register_endmodel
from babble.cli.filter import filter_command
from babble.cli.parse import parse
from babble.cli.run import run
from babble.cli.serve import serve
from babble.errors import BabbleError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="babble")
def cli() -> None:
    """babble: train classifiers from natural-language explanations."""


cli.add_command(data)
cli.add_command(parse)
cli.add_command(run)
cli.add_command(filter_command)
cli.add_command(serve)
cli.add_command(annotate)
register_endmodel(cli)


def main() -> None:
    """Run the CLI; a :class:`BabbleError` prints its message (no traceback) and exits with 2."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except BabbleError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
