"""Lists, in address order, the functions of BINARY that callgrind profiles PROFILE... ran.

Usage: text_layout.py BINARY PROFILE...   (see text-layout.sh)
"""
import re
import subprocess
import sys


def executed(profiles):
    """Every function name a callgrind profile defines (as caller or callee)."""
    names = set()
    for path in profiles:
        ids = {}
        with open(path, errors="replace") as f:
            for line in f:
                m = re.match(r"c?fn=\((\d+)\)(?: (\S+))?", line)
                if m:
                    if m.group(2):
                        ids[m.group(1)] = m.group(2)
                    if m.group(1) in ids:
                        names.add(ids[m.group(1)])
    return names


def main():
    binary, profiles = sys.argv[1], sys.argv[2:]
    ran = executed(profiles)
    symbols = subprocess.run(["nm", binary], capture_output=True, text=True, check=True)
    rows = []
    for line in symbols.stdout.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "tT" and parts[2] in ran:
            rows.append((int(parts[0], 16), parts[2]))
    seen = set()
    for _, name in sorted(rows):
        if name not in seen:
            seen.add(name)
            print(name)


main()
