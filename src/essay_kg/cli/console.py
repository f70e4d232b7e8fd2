"""The console script: every command group registered on the shared app, and the entry point."""

import errno
import os
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
    try:
        app(prog_name="essay-kg")
        sys.stdout.flush()
    except OSError as err:  # no traceback, whatever the operating system refused
        if err.errno in OUTPUT_ERRORS:  # the answer could not be written: a full device, a closed pipe
            sys.stdout = open(os.devnull, "w")  # nothing more is written there, not even at exit
            sys.stderr.write(f"error: cannot write the output ({err.strerror or err})\n"
                             "hint: free some space, or write to another file or device\n")
        else:
            sys.stderr.write(f"error: {' '.join(str(err.strerror or err).split())[:300]}\n"
                             "hint: an error of the operating system; check the files, the disk and the network\n")
        raise SystemExit(3) from None


OUTPUT_ERRORS = {errno.ENOSPC, errno.EPIPE, errno.EFBIG, errno.EDQUOT, errno.EIO}

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
