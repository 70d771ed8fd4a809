#!/usr/bin/env python3
"""Writes the C and C++ examples of a doc page to files, so a test compiles them.

Every ```c or ```cpp block must be preceded (on the line before its fence) by
`<!-- file: NAME -->`; it is written to OUTDIR/NAME. A C or C++ block
without one is an error: code in the page that no test compiles would drift
from the runtime's API unnoticed.
"""

import os
import re
import sys


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: extract_doc_files.py PAGE.md OUTDIR")
    page, outdir = sys.argv[1], sys.argv[2]
    lines = open(page, encoding="utf-8").read().split("\n")
    marker = re.compile(r"^<!-- file: ([A-Za-z0-9_.-]+) -->$")
    written = []
    i = 0
    while i < len(lines):
        fence = re.match(r"^```(\w*)\s*$", lines[i])
        if not fence:
            i += 1
            continue
        end = i + 1
        while end < len(lines) and lines[end] != "```":
            end += 1
        if end == len(lines):
            sys.exit(f"{page}:{i + 1}: error: unterminated code block")
        if fence.group(1) in ("c", "cpp"):
            named = marker.match(lines[i - 1]) if i > 0 else None
            if not named:
                sys.exit(f"{page}:{i + 1}: error: a {fence.group(1)} block "
                         "without a `<!-- file: NAME -->` line before it")
            name = named.group(1)
            if name in written:
                sys.exit(f"{page}:{i}: error: file {name} appears twice")
            with open(os.path.join(outdir, name), "w", encoding="utf-8") as f:
                f.write("\n".join(lines[i + 1:end]) + "\n")
            written.append(name)
        i = end + 1
    for name in written:
        print(name)


if __name__ == "__main__":
    main()
