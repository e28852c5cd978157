"""Rule 4 of tests/architecture_rules.py: no import cycles between modules of ``assessment``.

In the graph of every import (top level or inside a function), ``from . import x``
is an edge to the module ``x`` if there is one, else to the package; importing a
submodule adds no edge to its package's ``__init__``.  Each strongly connected
component (Tarjan) is one failure, naming the shortest cycle hop by hop.
"""

from __future__ import annotations

from itertools import pairwise

from .architecture_rules import CYCLES_RULE, Source, imports


def _owner(name: str, modules: set[str]) -> str | None:
    """The longest prefix of ``name`` that is a module of the package."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in modules:
            return candidate
    return None


def import_graph(sources: list[Source]) -> dict[str, dict[str, int]]:
    """Module -> the package's modules it imports -> the first line importing each."""
    modules = {module.module for module in sources}
    graph: dict[str, dict[str, int]] = {module.module: {} for module in sources}
    for module in sources:
        for found in imports(module):
            for name in found.names:
                target = _owner(name, modules)
                if target is not None and target != module.module:
                    graph[module.module].setdefault(target, found.line)
    return graph


def strongly_connected(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """Tarjan's components of more than one module, each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(components)


def _shortest_cycle(graph: dict[str, dict[str, int]], start: str, within: set[str]) -> list[str]:
    """The shortest path start -> ... -> start inside one component."""
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for target in sorted(graph[node]):
            if target == start:
                return [*paths[node], start]
            if target in within and target not in paths:
                paths[target] = [*paths[node], target]
                queue.append(target)
    raise AssertionError(f"{start} is in no cycle")  # pragma: no cover - Tarjan says it is


def cycle_problems(sources: list[Source]) -> list[str]:
    graph = import_graph(sources)
    path_of = {module.module: module.path for module in sources}
    found = []
    for component in strongly_connected(graph):
        cycle = _shortest_cycle(graph, component[0], set(component))
        hops = [f"{path_of[a]}:{graph[a][b]} imports {b}" for a, b in pairwise(cycle)]
        first, second = cycle[0], cycle[1]
        found.append(f"{path_of[first]}:{graph[first][second]}: [{CYCLES_RULE}] {first} imports "
                     f"{second}, which leads back to it: {'; '.join(hops)}")
    return found
