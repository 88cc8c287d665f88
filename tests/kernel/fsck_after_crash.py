#!/usr/bin/env python3
"""Check a FAT volume after a crash against what kernel/fs/fs.c says a crash
may leave: only damage fsck.fat repairs by freeing or trimming — lost
clusters, a chain longer than its file's size, orphan long-name parts, a
stale FSInfo free count, FAT copies that differ (the first is the newer),
two entries sharing a chain (a rename cut between its steps).  Then repair a copy with fsck.fat -a and check
that it is clean and that the host's files read back unchanged.

Usage: fsck_after_crash.py PARTITION_IMAGE EXPECTED_FILE...
  EXPECTED_FILE is ::/path=text (mtype's output must be exactly the text,
  with \\n for newlines).
Exit 0 when all holds; else the reason on stdout and exit 1.
"""
import re
import shutil
import subprocess
import sys
import tempfile

ALLOWED = [
    r"fsck\.fat \d.*",
    r"Free cluster summary wrong \(\d+ vs\. really \d+\)",
    r"Free cluster summary uninitialized \(should be \d+\)",
    r"  Auto-correcting\.",
    r"Reclaimed \d+ unused clusters? \(\d+ bytes\)( in \d+ chains?)?\.",
    r"  File size is \d+ bytes, cluster chain length is > \d+ bytes\.",
    r"  Truncating file to \d+ bytes\.",
    r"Orphaned long file name part .*",
    r"FATs differ but appear to be intact\.",   # a crash between the FAT copies:
    r"\s*Using first FAT\.",                     # the first is the newer (fs.c)
    r"  Auto-deleting\.",
    r"Leaving filesystem unchanged\.",
    r"Performing changes\.",
    r"/.*",                      # the path a following message is about
    r"/.*  and",                 # a rename cut between its two steps: the new
    r"  share clusters\.",       # entry and the old share the chain; fsck.fat
    r"  Truncating second to \d+ bytes\.",   # keeps it in the first
    r".*: \d+ files, \d+/\d+ clusters",
    r"",
]


def fsck(args):
    p = subprocess.run(["fsck.fat"] + args, capture_output=True, text=True)
    return p.returncode, (p.stdout + p.stderr).splitlines()


def main():
    part, expected = sys.argv[1], sys.argv[2:]
    rc, lines = fsck(["-n", part])
    # After "share clusters", the entry cut to 0 is then shorter than its size.
    shared = any(l == "  share clusters." for l in lines)
    allowed = ALLOWED + ([r"  File size is \d+ bytes, cluster chain length is 0 bytes\."] if shared else [])
    bad = [l for l in lines if not any(re.fullmatch(a, l) for a in allowed)]
    found = [l.strip() for l in lines if l and not re.match(r"fsck\.fat \d|.*: \d+ files, |Leaving filesystem", l)]
    if bad:
        print("damage fs.c does not allow:\n  " + "\n  ".join(bad))
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        copy = tmp + "/part.img"
        shutil.copyfile(part, copy)
        fsck(["-a", copy])
        rc, lines = fsck(["-n", copy])
        if rc != 0:
            print("not clean after fsck.fat -a:\n  " + "\n  ".join(lines))
            return 1
        for e in expected:
            path, text = e.split("=", 1)
            got = subprocess.run(["mtype", "-i", copy, path], capture_output=True, text=True).stdout
            if got.replace("\r", "") != text.replace("\\n", "\n"):
                print("%s reads %r, expected %r" % (path, got, text))
                return 1
    print("damage found (all of it repairable): %s" % ("; ".join(found) or "none"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
