#!/usr/bin/env python3
"""Places outside the catalog (`src/catalog.rs`) and the policy engine that spell an IAM action
(`"iam:CreateUser"`, `"sts:AssumeRole"`, ...) in a string: each is a copy of a fact the catalog
owns. Prints them and exits 1 when there is one. Unit-test blocks are not counted (they hold
hand-kept fixtures, which must not come from the catalog).

Usage: scripts/action-literals.py [SRC_DIR]   (default: src)
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from importlib import import_module

cycles = import_module("module-cycles")

ACTION = re.compile(r'"(?:iam|sts|cloudtrail):[A-Z][A-Za-z]*"')


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else "src"
    found = []
    for folder, _, files in os.walk(src):
        for name in files:
            path = os.path.join(folder, name)
            if not name.endswith(".rs") or path == os.path.join(src, "catalog.rs"):
                continue
            with open(path, encoding="utf-8") as f:
                text = cycles.test_free(cycles.strip_comments(f.read()))
            found += [(path, m.group(0)) for m in ACTION.finditer(text)]
    for path, literal in found:
        print(f"{path}: {literal}")
    print(f"{len(found)} action string(s) outside the catalog")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
