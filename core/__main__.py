"""``python -m yhdyspinta`` runs the CLI."""

from yhdyspinta.api.cli.main import main

main()
