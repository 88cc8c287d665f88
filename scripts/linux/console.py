"""The guest's serial console on an emulator's stdin and stdout, for the
scripts that drive Linux: tests/linux and bench/linux_bench.py.  While it
waits, a terminal shows how long it has waited and the console's last
line (scripts/progress.py)."""
import os
import re
import select
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import progress  # noqa: E402

ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class Console:
    def __init__(self, argv, log_path=os.devnull, label="linux"):
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        self.seen = b""               # output not yet consumed by expect()
        self.text = b""               # everything since the last send()
        # The console's whole output, for when something goes wrong.
        self.log = open(log_path, "ab")
        self.label = label            # what the progress line says this is
        self.last_line = ""           # the console's last line with text, for it

    def expect(self, pattern, timeout):
        """Wait for bytes `pattern`; True if they came, consuming up to them."""
        start = time.monotonic()
        deadline = start + timeout
        try:
            while True:
                i = self.seen.find(pattern)
                if i >= 0:
                    self.seen = self.seen[i + len(pattern):]
                    return True
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                progress.show(self.label, "%.0f s waiting for %r | %s" % (
                    time.monotonic() - start, pattern.decode("utf-8", "replace"), self.last_line))
                ready, _, _ = select.select([self.proc.stdout], [], [], min(left, 1.0))
                if ready:
                    data = os.read(self.proc.stdout.fileno(), 65536)
                    if not data:
                        return False      # the emulator ended
                    self.log.write(data)
                    self.log.flush()
                    self.seen += data
                    self.text += data
                    self.note_line(data)
        finally:
            progress.clear()

    def note_line(self, data):
        """Keep the last line with text in it, for the progress line."""
        lines = [ESCAPES.sub("", x).strip() for x in data.decode("utf-8", "replace").splitlines()]
        lines = [x for x in lines if x]
        if lines:
            self.last_line = lines[-1]

    def send(self, line):
        self.text = b""
        self.proc.stdin.write(line.encode() + b"\n")
        self.proc.stdin.flush()

    def wait_exit(self, timeout):
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def kill(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
