#!/usr/bin/env python3
"""Check that a peer test's space code stays in its own pages.

A space is granted X only on its own .libN.text pages, so a direct call
or jump from there to anything outside (a libc function, a helper the
compiler did not inline) would be a fetch fault at run time.  Reads the
disassembly of each .libN.text section and names every such branch.

usage: check_space_code.py OBJDUMP ELF
"""
import re
import subprocess
import sys

BRANCH = re.compile(r"^\s*([0-9a-f]+):\s+[0-9a-f]+\s+(jal|j|call|tail|beq\w*|bne\w*|blt\w*|bge\w*|b\w+z)\s+(\S+)")


def sections(objdump, elf):
    out = subprocess.run([objdump, "-h", elf], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        f = line.split()
        if len(f) >= 4 and re.fullmatch(r"\.lib\d*\.text", f[1]):
            lo = int(f[3], 16)
            yield f[1], lo, lo + int(f[2], 16)


def main():
    objdump, elf = sys.argv[1], sys.argv[2]
    bad = 0
    for name, lo, hi in sections(objdump, elf):
        dis = subprocess.run([objdump, "-d", "-j", name, elf], capture_output=True, text=True, check=True).stdout
        for line in dis.splitlines():
            m = BRANCH.match(line)
            if not m:
                continue
            target = m.group(3).split(",")[-1]
            if not re.fullmatch(r"[0-9a-f]+", target):
                continue
            if not lo <= int(target, 16) < hi:
                print(f"  {name} code leaves its pages: {line.strip()}")
                bad = 1
    return bad


if __name__ == "__main__":
    sys.exit(main())
