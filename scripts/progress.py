#!/usr/bin/env python3
"""Progress for long runs (make bench, the Linux boots, the differential
tests): one status line on stderr, rewritten in place, only when stderr is
a terminal and CI is not set, so logs and CI output stay as they were.

From Python (put this folder on sys.path):

    import progress
    progress.show("diff", "12 of 400 programs compared")
    progress.clear()          # before printing anything else, and at the end

From a shell script:

    python3 scripts/progress.py LABEL TEXT     show "LABEL: TEXT"
    python3 scripts/progress.py                clear the line
"""
import os
import shutil
import sys

_shown = False


def enabled():
    """A status line would reach a person: stderr is a terminal, not CI."""
    return sys.stderr.isatty() and not os.environ.get("CI")


def show(label, text):
    """Replace the status line with "LABEL: TEXT" (cut to the terminal's width)."""
    global _shown
    if not enabled():
        return
    line = "  %s: %s" % (label, " ".join(str(text).split()))
    width = shutil.get_terminal_size().columns - 1
    sys.stderr.write("\r\033[K" + line[:max(width, 10)])
    sys.stderr.flush()
    _shown = True


def clear(force=False):
    """Remove the status line, if one is shown (force: whatever showed it)."""
    global _shown
    if (_shown or force) and enabled():
        sys.stderr.write("\r\033[K")
        sys.stderr.flush()
    _shown = False


if __name__ == "__main__":
    if len(sys.argv) == 1:
        clear(force=True)
    elif len(sys.argv) == 3:
        show(sys.argv[1], sys.argv[2])
    else:
        sys.exit(__doc__)
