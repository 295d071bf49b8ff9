#!/usr/bin/env python3
"""Keeps the shared build directory from filling the disk before `make test` builds into it.

Cargo never removes an executable it has replaced: every rebuilt test binary leaves the old one
(hundreds of MB each) beside the new in `debug/deps`. This removes all but the newest executable
of each name, and — when the disk is still short of room — the incremental caches, which cargo
rebuilds on demand. It prints what it freed and the room left.

Usage: scripts/prune-target.py TARGET_DIR [MIN_FREE_GB]
"""

import collections
import os
import re
import shutil
import sys

EXECUTABLE = re.compile(r"^(?P<name>.+)-[0-9a-f]{16}$")


def stale_executables(deps):
    by_name = collections.defaultdict(list)
    for entry in os.scandir(deps):
        match = EXECUTABLE.match(entry.name)
        if match and entry.is_file() and os.access(entry.path, os.X_OK):
            by_name[match["name"]].append(entry)
    for entries in by_name.values():
        entries.sort(key=lambda e: e.stat().st_mtime, reverse=True)
        yield from entries[1:]


def remove(path):
    size = 0
    if os.path.isdir(path):
        for root, _, files in os.walk(path):
            size += sum(os.path.getsize(os.path.join(root, f)) for f in files)
        shutil.rmtree(path, ignore_errors=True)
    elif os.path.exists(path):
        size = os.path.getsize(path)
        os.remove(path)
    return size


def free_gb(path):
    return shutil.disk_usage(path).free / 1e9


def main():
    target = sys.argv[1]
    min_free_gb = float(sys.argv[2]) if len(sys.argv) > 2 else 25
    freed = 0
    for profile in ("debug", "release"):
        deps = os.path.join(target, profile, "deps")
        if os.path.isdir(deps):
            for stale in stale_executables(deps):
                freed += remove(stale.path) + remove(stale.path + ".d")
    if os.path.isdir(target) and free_gb(target) < min_free_gb:
        for profile in ("debug", "release"):
            freed += remove(os.path.join(target, profile, "incremental"))
    room = free_gb(target if os.path.isdir(target) else ".")
    print(f"pruned {freed / 1e9:.1f} GB of stale build output; {room:.1f} GB free")


if __name__ == "__main__":
    main()
