"""The package's import graph: data flows one way (no circles), modules share no private names, and the core
(everything outside socins_cli/cli/) imports neither typer nor rich, so the library runs without the CLI's faces."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "socins_cli"
FACES_ONLY = ("typer", "rich")


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _imports(name: str, path: Path, modules: dict) -> list[tuple[str, str | None, int]]:
    """Every import in the module, at any depth: (imported module or package, imported name or None, line)."""
    out = []
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(a.name, None, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
            for a in node.names:
                full = f"{base}.{a.name}"
                out.append((full, None, node.lineno) if full in modules else (base, a.name, node.lineno))
    return out


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: {m for m, _, _ in _imports(name, path, modules) if m in modules and m != name}
            for name, path in modules.items()}


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
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
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_package_has_no_import_circles():
    assert _circles(_graph()) == []


def test_a_circle_is_found_where_there_is_one():
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_private_name_is_imported_from_another_module():
    modules = _modules()
    shared = [f"{path.relative_to(PACKAGE.parent)}:{line}: {base}.{name}"
              for mod, path in modules.items() for base, name, line in _imports(mod, path, modules)
              if name and base in modules and base != mod and name.startswith("_") and not name.startswith("__")]
    assert shared == []


def test_the_core_imports_neither_typer_nor_rich():
    modules = _modules()
    found = [f"{path.relative_to(PACKAGE.parent)}:{line}: {base}"
             for mod, path in modules.items() if not mod.startswith("socins_cli.cli")
             for base, _, line in _imports(mod, path, modules) if base.split(".")[0] in FACES_ONLY]
    assert found == []


def test_command_modules_keep_their_annotations_evaluated():
    """typer reads each command's parameter types at every start; written as strings (``from __future__ import
    annotations``) each is compiled anew, ~0.85 ms of ``check``'s start-up. So the modules of ``COMMANDS`` and
    ``app`` itself (its root callback) do without it."""
    from socins_cli.cli.app import COMMANDS

    for module in {"app", *(m for m, _ in COMMANDS.values())}:
        tree = ast.parse((PACKAGE / "cli" / f"{module}.py").read_text(encoding="utf-8"))
        futures = [a.name for node in tree.body if isinstance(node, ast.ImportFrom) and node.module == "__future__"
                   for a in node.names]
        assert "annotations" not in futures, f"socins_cli/cli/{module}.py"
