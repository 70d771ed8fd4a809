"""Prints, sorted, the option names in `nncc --help` (help) or in
docs/compiler.md's option table (doc), read from stdin."""
import re
import sys

names = set()
for line in sys.stdin:
    if sys.argv[1] == "help":
        m = re.match(r"^  (-{1,2}[a-z0-9-]+)", line)
    else:
        m = re.match(r"^\| `(-{1,2}[a-z0-9-]+)", line)
    if m:
        names.add(m.group(1))
print("\n".join(sorted(names)))
