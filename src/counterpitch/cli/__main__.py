"""`python -m counterpitch.cli`: the same command as the `counterpitch` entry point."""

from counterpitch.cli import app

app()
