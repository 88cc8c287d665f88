"""The guest's serial console on an emulator's stdin and stdout, for the
scripts that drive Linux: tests/linux and bench/linux_bench.py."""
import os
import select
import signal
import subprocess
import time


class Console:
    def __init__(self, argv, log_path=os.devnull):
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        self.seen = b""               # output not yet consumed by expect()
        self.text = b""               # everything since the last send()
        # The console's whole output, for when something goes wrong.
        self.log = open(log_path, "ab")

    def expect(self, pattern, timeout):
        """Wait for bytes `pattern`; True if they came, consuming up to them."""
        deadline = time.monotonic() + timeout
        while True:
            i = self.seen.find(pattern)
            if i >= 0:
                self.seen = self.seen[i + len(pattern):]
                return True
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            ready, _, _ = select.select([self.proc.stdout], [], [], min(left, 1.0))
            if ready:
                data = os.read(self.proc.stdout.fileno(), 65536)
                if not data:
                    return False      # the emulator ended
                self.log.write(data)
                self.log.flush()
                self.seen += data
                self.text += data

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
