"""The tally of the Python test drivers (tests/kernel/net_test.py,
tests/linux/linux_test.py): one PASS or FAIL line per check, and the
counts for their closing line."""


class Checks:
    def __init__(self, prefix=""):
        self.prefix = prefix
        self.passed = self.failed = 0

    def __call__(self, name, ok, detail=""):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
        print(f"{'PASS' if ok else 'FAIL'} {self.prefix}{name}{': ' + detail if detail and not ok else ''}", flush=True)
