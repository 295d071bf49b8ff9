#!/usr/bin/env python3
"""Import cycles between the modules of a crate's `src/`: prints each group of modules that
reach one another through `use` and path references (`crate::…`, `super::…`, `self::…`), and
exits 1 when there are more than `--allow N` of them (default 0). A module's references to its own ancestors and descendants do not
count (a `mod.rs` re-exporting its children, a child using its parent's re-exports): only
modules that are neither above nor below one another can form a cycle.

Usage: scripts/module-cycles.py [--allow N] [SRC_DIR ...]   (default: src)
"""

import os
import re
import sys


def modules(src):
    """Maps each module path (tuple of names, () for the crate root) to its file."""
    found = {}
    for folder, _, files in os.walk(src):
        for name in files:
            if not name.endswith(".rs"):
                continue
            rel = os.path.relpath(os.path.join(folder, name), src)
            parts = rel[:-3].split(os.sep)
            if parts[-1] in ("mod", "lib", "main"):
                parts = parts[:-1]
            found[tuple(parts)] = os.path.join(folder, name)
    return found


def strip_comments(text):
    text = re.sub(r"//[^\n]*", "", text)
    return re.sub(r"/\*.*?\*/", "", text, flags=re.S)


def test_free(text):
    """The text without `#[cfg(test)] mod … { … }` blocks (tests may reach anywhere)."""
    out, i = [], 0
    for match in re.finditer(r"#\[cfg\(test\)\]\s*mod\s+\w+\s*\{", text):
        if match.start() < i:
            continue
        out.append(text[i : match.start()])
        depth, j = 1, match.end()
        while j < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            j += 1
        i = j
    out.append(text[i:])
    return "".join(out)


def expand_use(tree):
    """`a::{b, c::{d, e}}` → [`a::b`, `a::c::d`, `a::c::e`]."""
    tree = re.sub(r"\s+", "", tree)
    depth, start = 0, None
    for i, ch in enumerate(tree):
        if ch == "{":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                prefix, inner, rest = tree[:start], tree[start + 1 : i], tree[i + 1 :]
                parts, level, last = [], 0, 0
                for k, c in enumerate(inner):
                    level += {"{": 1, "}": -1}.get(c, 0)
                    if c == "," and level == 0:
                        parts.append(inner[last:k])
                        last = k + 1
                parts.append(inner[last:])
                paths = []
                for part in parts:
                    if part:
                        paths += expand_use(prefix + part + rest)
                return paths
    return [re.sub(r"\bas\w+$", "", tree)]


def references(text):
    """Every path a module names: the expanded `use` trees and inline `crate::`/`super::` paths."""
    paths = []
    for match in re.finditer(r"\buse\s+([^;]+);", text):
        paths += expand_use(match.group(1))
    paths += re.findall(r"\b(?:crate|super|self)(?:::\w+)+", text)
    return paths


def resolve(path, here, known, crate_names):
    parts = [p for p in path.split("::") if p]
    if not parts:
        return None
    base = list(here)
    if parts[0] == "crate" or parts[0] in crate_names:
        base, parts = [], parts[1:]
    elif parts[0] in ("super", "self"):
        while parts and parts[0] in ("super", "self"):
            if parts[0] == "super":
                base = base[:-1]
            parts = parts[1:]
    else:
        return None
    target = tuple(base)
    for name in parts:
        if target + (name,) in known:
            target = target + (name,)
        else:
            break
    return target if target in known else None


def related(a, b):
    return a[: len(b)] == b or b[: len(a)] == a


def cycles(graph):
    index, low, stack, on, groups, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    sys.setrecursionlimit(10000)
    for v in list(graph):
        if v not in index:
            visit(v)
    return groups


def main():
    args, allowed = sys.argv[1:], 0
    if "--allow" in args:
        at = args.index("--allow")
        try:
            allowed = int(args[at + 1])
        except (IndexError, ValueError):
            sys.exit("--allow takes a number of cycles")
        del args[at : at + 2]
    total = 0
    for src in args or ["src"]:
        known = modules(src)
        graph = {}
        for module, path in known.items():
            with open(path, encoding="utf-8") as f:
                text = test_free(strip_comments(f.read()))
            # Inside a `mod.rs` (or lib.rs), `self` is the module itself; in `x.rs`, too.
            for ref in references(text):
                target = resolve(ref, module, known, ("ferriam", "ferriam_core"))
                if target is None or related(module, target):
                    continue
                graph.setdefault(module, set()).add(target)
        groups = cycles(graph)
        for group in groups:
            names = ["/".join(m) or "(root)" for m in group]
            edges = [
                f"{'/'.join(a)} → {'/'.join(b)}"
                for a in group
                for b in sorted(graph.get(a, ()))
                if b in group
            ]
            print(f"{src}: cycle of {len(group)}: {', '.join(names)}")
            for edge in edges:
                print(f"    {edge}")
        total += len(groups)
    print(f"{total} import cycle(s), {allowed} allowed")
    return 1 if total > allowed else 0


if __name__ == "__main__":
    sys.exit(main())
