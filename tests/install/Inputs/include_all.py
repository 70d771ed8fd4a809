#!/usr/bin/env python3
"""Prints a C++ file that includes every header of an installed include/nncc.

Compiled against the installed prefix alone, it shows that the public headers
need nothing from the source tree (no private header leaked into them).
"""

import os
import sys

headers = sorted(h for h in os.listdir(sys.argv[1]) if h.endswith(".h"))
if not headers:
    sys.exit(f"error: no headers in {sys.argv[1]}")
for h in headers:
    print(f"#include <nncc/{h}>")
print("int main() { return 0; }")
