"""The console script: every command group registered on the shared app, and the entry point."""

import sys

# Importing a command module registers its commands, in this order in `essay-kg --help`.
# isort: off
from essay_kg.cli import build, query, evaluate, link, store, trust, draw, rules  # noqa: F401
# isort: on
from essay_kg.cli.shared import app


def main() -> None:
    """Console-script entry point. SIGTERM ends the run like Ctrl-C: temporary files are removed, outputs kept whole."""
    import signal

    def terminated(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, terminated)
    app(prog_name="essay-kg")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
