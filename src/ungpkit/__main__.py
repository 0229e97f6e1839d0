"""`python -m ungpkit` runs the `ungpkit` command."""

from ungpkit.cli import main

main()
