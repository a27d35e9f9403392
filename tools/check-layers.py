#!/usr/bin/env python3
"""The core's layer check (.github/ARCHITECTURE.md, Layers inside the core).

Each folder of core/ may include only the folders below it in LAYERS. Prints the include
edges between folders, the cycles among them and every include that runs up the order, and
exits 1 when an upward include is not one of the KNOWN exceptions (keep that list empty:
move a shared type down rather than include upwards). Also fails when the ui includes
LibTorch or sqlite3.h, or the core includes Qt.

Usage: tools/check-layers.py [--list]   (run from anywhere; reads the repository it is in)
"""
import os
import re
import sys

LAYERS = ["common", "io", "data", "similarity", "models", "eval", "rerank", "stats", "storage", "training", "report", "torch"]

# file -> folders it may include above its own, until issue 12 point 1 moves the vocabulary.
KNOWN = {}

INCLUDE = re.compile(r'^\s*#\s*include\s+"core/([a-z_]+)/')


def sources_matching(folder, pattern):
    """The .h and .cpp files under `folder` whose text matches `pattern`."""
    for dirpath, _, files in os.walk(folder):
        for name in files:
            path = os.path.join(dirpath, name)
            if name.endswith((".h", ".cpp")) and re.search(pattern, open(path, encoding="utf-8").read()):
                yield path


def main() -> int:
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    os.chdir(root)
    edges = {}  # (from, to) -> [files]
    upward = []
    for folder in LAYERS:
        base = os.path.join("core", folder)
        for dirpath, _, files in os.walk(base):
            for name in files:
                if not name.endswith((".h", ".cpp")):
                    continue
                path = os.path.join(dirpath, name)
                with open(path, encoding="utf-8") as f:
                    for line in f:
                        m = INCLUDE.match(line)
                        if not m or m.group(1) == folder or m.group(1) not in LAYERS:
                            continue
                        to = m.group(1)
                        edges.setdefault((folder, to), set()).add(path)
                        if LAYERS.index(to) > LAYERS.index(folder):
                            upward.append((path, folder, to))
    # Folder-level cycles: pairs and longer, via strongly connected components.
    graph = {f: sorted({t for (a, t) in edges if a == f}) for f in LAYERS}
    index, low, stack, on_stack, sccs, counter = {}, {}, [], set(), [], [0]

    def strong(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                sccs.append(sorted(component))

    for v in LAYERS:
        if v not in index:
            strong(v)

    unexplained = [(p, a, t) for (p, a, t) in upward if t not in KNOWN.get(p, set())]
    upward_edges = sorted({(a, t) for (_, a, t) in upward})
    print(f"check-layers: {len(edges)} include edges between core folders, {len(upward_edges)} of them upward "
          f"({len(upward)} includes), {len(sccs)} cycle group(s)")
    for group in sccs:
        print("  cycle among: " + " ".join(group))
    if "--list" in sys.argv:
        for (p, a, t) in sorted(upward):
            print(f"  up: {p} ({a}) includes core/{t}/")

    # The three worlds: no Qt in core, no LibTorch or sqlite3.h in ui.
    world_errors = [f"{path}: the core includes Qt" for path in sources_matching("core", r'#\s*include\s*<Q[A-Za-z]+>')]
    world_errors += [f"{path}: the ui includes LibTorch or sqlite3.h"
                     for path in sources_matching("ui", r'#\s*include\s*[<"](torch/|ATen/|sqlite3\.h)')]
    for error in world_errors:
        print("check-layers: " + error, file=sys.stderr)
    for (p, a, t) in unexplained:
        print(f"check-layers: {p} ({a}) includes core/{t}/, above it in the layer order "
              f"{' < '.join(LAYERS)}; move the shared type down instead", file=sys.stderr)
    return 1 if unexplained or world_errors else 0


if __name__ == "__main__":
    sys.exit(main())
