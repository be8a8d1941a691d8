#!/usr/bin/env python3
"""Instructions per request in a callgrind profile, and the functions that spend the most.

Usage: callgrind_costs.py PROFILE REQUESTS [TOP]

A function's own cost is its lines' counts without the calls it makes (callgrind writes a
call's inclusive cost on the line after its `calls=` line). `callgrind_annotate` is not used:
it reads a profile dumped after `callgrind_control -z` as if every cost were `clone`'s.
"""

import collections
import re
import sys

FUNCTION_NAME = re.compile(r"^fn=\((\d+)\)(?: (.*))?$")
CALLEE_NAME = re.compile(r"^cfn=\((\d+)\)(?: (.*))?$")


def own_costs(path):
    names, own = {}, collections.Counter()
    current, after_call = None, False
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            m = FUNCTION_NAME.match(line)
            if m:
                current = m.group(1)
                if m.group(2):
                    names[current] = m.group(2)
                continue
            m = CALLEE_NAME.match(line)
            if m:
                if m.group(2):
                    names[m.group(1)] = m.group(2)
                continue
            if line.startswith("calls="):
                after_call = True
                continue
            if line[:1].isdigit() or line[:1] in "+-*":
                if after_call:
                    after_call = False
                elif current is not None:
                    parts = line.split()
                    if len(parts) >= 2:
                        own[current] += int(parts[1])
    return names, own


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    path, requests = sys.argv[1], int(sys.argv[2])
    top = int(sys.argv[3]) if len(sys.argv) > 3 else 30
    names, own = own_costs(path)
    total = sum(own.values())
    per = max(requests, 1)
    print(f"requests counted: {requests}")
    print(f"instructions: {total:,} in all, {total / per:,.0f} per request")
    for fid, cost in own.most_common(top):
        name = names.get(fid, fid)
        print(f"{cost / per:10,.0f} {100 * cost / total:5.1f} %  {name[:110]}")


if __name__ == "__main__":
    main()
