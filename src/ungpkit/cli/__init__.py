"""The ``ungpkit`` command: one entry point, one subcommand per job."""

from __future__ import annotations

import click

from ungpkit import __version__
from ungpkit.cli.framework import framework


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "-V", "--version", prog_name="ungpkit")
def cli() -> None:
    """ungpkit: the UN Guiding Principles on Business and Human Rights, applied to technology.

    Check a draft law against the UNGPs, browse the framework, run the web platform.
    Run `ungpkit COMMAND --help` for the options of each command.
    """


cli.add_command(framework)


def _register_optional() -> None:
    """Add the commands of the check engine and the web platform."""
    from ungpkit.cli import check, evaluate, grievances, reporting, web

    cli.add_command(check.check)
    cli.add_command(check.compare_command)
    cli.add_command(check.overlap_command)
    cli.add_command(evaluate.eval_command)
    cli.add_command(reporting.train_command)
    cli.add_command(reporting.classify_command)
    cli.add_command(grievances.grievances)
    cli.add_command(web.demo)
    cli.add_command(web.manage)
    cli.add_command(web.worker)


_register_optional()


def main() -> None:
    """Console entry point."""
    cli(prog_name="ungpkit")
