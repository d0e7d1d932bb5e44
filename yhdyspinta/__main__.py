"""``python -m yhdyspinta`` runs the CLI."""

from yhdyspinta.api.cli import main

main()
