#!/usr/bin/env python3
"""Check a peer machine trace (--trace): it must be valid trace-event JSON
that Perfetto opens, and hold what the traced program did.

    check.py TRACE.json EXPECT...

Each EXPECT is NAME[:N]: at least N (default 1) events of that kind, where
NAME is an instant event's name (fault, grant, revoke, interrupt, thread
switch), "call" (a gate call slice), "counter" (instructions per space) or
"protection cache" (a space's PLB hits and misses).  Prints one line per
check and ends with "trace: N passed, N failed"."""
import json
import sys
from collections import Counter

def main():
    path, expects = sys.argv[1], sys.argv[2:]
    passed = failed = 0

    def check(ok, what):
        nonlocal passed, failed
        print(("PASS " if ok else "FAIL ") + what)
        if ok:
            passed += 1
        else:
            failed += 1

    try:
        with open(path) as f:
            doc = json.load(f)
        events = doc["traceEvents"]
        check(True, "the file is trace-event JSON")
    except (OSError, ValueError, KeyError) as e:
        check(False, f"the file is trace-event JSON ({e})")
        print(f"trace: {passed} passed, {failed} failed")
        return 1

    # Slices nest properly per track, and time never runs backwards there.
    depth, last_ts, ok_nest, ok_time = Counter(), {}, True, True
    for e in events:
        tid, ph = e.get("tid", 0), e.get("ph")
        if "ts" in e:
            if e["ts"] < last_ts.get(tid, 0):
                ok_time = False
            last_ts[tid] = e["ts"]
        if ph == "B":
            depth[tid] += 1
        elif ph == "E":
            depth[tid] -= 1
            ok_nest &= depth[tid] >= 0
    check(ok_nest, "every slice end has a beginning")
    check(ok_time, "time runs forward on every track")

    kinds = Counter()
    for e in events:
        ph = e.get("ph")
        if ph == "i":
            kinds[e["name"]] += 1
        elif ph == "B":
            kinds[e["name"].split(" into ")[0]] += 1
        elif ph == "C" and e["name"].startswith("protection cache of space "):
            kinds["protection cache"] += 1
        elif ph == "C":
            kinds["counter"] += 1
    for x in expects:
        name, _, n = x.partition(":")
        n = int(n or 1)
        check(kinds[name] >= n, f"at least {n} '{name}' events (found {kinds[name]})")
    # A space's protection cache counts only grow, and some space hits.
    plb = [e for e in events if e.get("ph") == "C" and e["name"].startswith("protection cache of space ")]
    last, grows = {}, True
    for e in plb:
        now = (e["args"]["hits"], e["args"]["misses"])
        prev = last.get(e["name"], (0, 0))
        grows &= now[0] >= prev[0] and now[1] >= prev[1]
        last[e["name"]] = now
    check(grows, "every space's protection cache hits and misses only grow")
    if plb:
        check(any(h > 0 for h, _ in last.values()), "some space's loads and stores hit its protection cache")
    faults = [e for e in events if e.get("name") == "fault"]
    check(all({"cause", "pc", "address", "missing", "space"} <= set(e.get("args", {})) for e in faults),
          "every fault names its cause, pc, address, missing right and space")
    print(f"trace: {passed} passed, {failed} failed")
    return 1 if failed else 0

sys.exit(main())
