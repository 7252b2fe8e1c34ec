"""`python -m mmplan` and the `mmplan` console script.

The CLI is imported here, inside the guard: Ctrl-C during the start-up imports, before the
CLI's own error boundary stands, still ends with `Error: interrupted` and status 130.
"""

import sys

INTERRUPTED_STATUS = 130  # 128 + SIGINT, as a shell reports a program ended by Ctrl-C


def main() -> None:
    """Entry point of the `mmplan` console script."""
    try:
        from mmplan.cli import main as run_cli

        run_cli()
    except KeyboardInterrupt:
        try:
            sys.stderr.write("Error: interrupted\n")
            sys.stderr.flush()
        except (OSError, ValueError, AttributeError):  # no stderr left to say it on
            pass
        sys.exit(INTERRUPTED_STATUS)


if __name__ == "__main__":
    main()
