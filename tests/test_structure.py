"""The code's shape: no import circles inside an app, template tags never lean on views, and
no view shares its name with a service (tracebacks and grep then point at one thing)."""

import ast
import inspect
from importlib import import_module
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ["articles", "comments", "api", "demo"]


def modules_of(app: str) -> dict[str, Path]:
    """Every module of the app except migrations, by dotted name."""
    found = {}
    for path in sorted((ROOT / app).rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if "migrations" in parts:
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imported_modules(path: Path, known: set[str]) -> set[str]:
    """The app's modules this file imports, at the top or inside any function."""
    imported = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # "from package import module" imports the module; "from module import name" not.
            names = [f"{node.module}.{alias.name}" for alias in node.names] + [node.module]
        else:
            continue
        imported.update(name for name in names if name in known)
    return imported


def import_graph(app: str) -> dict[str, set[str]]:
    modules = modules_of(app)
    # A package's own __init__ holds no code here, so importing a submodule through it
    # adds no edge worth following.
    return {name: imported_modules(path, set(modules)) - {name} for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import circle in the graph, as the list of modules around it, or []."""
    visiting, done = [], set()

    def visit(module: str) -> list[str]:
        if module in visiting:
            return [*visiting[visiting.index(module) :], module]
        if module in done:
            return []
        visiting.append(module)
        for target in sorted(graph[module]):
            if cycle := visit(target):
                return cycle
        visiting.pop()
        done.add(module)
        return []

    for module in sorted(graph):
        if cycle := visit(module):
            return cycle
    return []


def test_the_cycle_finder_finds_a_circle_through_a_function_local_import(tmp_path):
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}

    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) == []


@pytest.mark.parametrize("app", APPS)
def test_no_module_of_the_app_imports_itself_in_a_circle(app):
    assert find_cycle(import_graph(app)) == []


def test_articles_never_imports_comments():
    for path in modules_of("articles").values():
        assert not imported_modules(path, set(modules_of("comments"))), path


@pytest.mark.parametrize("app", APPS)
def test_no_template_tag_imports_a_view(app):
    graph = import_graph(app)
    for module, targets in graph.items():
        if ".templatetags." in module:
            assert not [target for target in targets if ".views" in target], module


def public_functions(module_names) -> set[str]:
    names = set()
    for module_name in module_names:
        module = import_module(module_name)
        names.update(
            name
            for name, value in vars(module).items()
            if inspect.isfunction(value)
            and value.__module__ == module_name
            and not name.startswith("_")
        )
    return names


def test_no_view_shares_its_name_with_a_service():
    modules = [*modules_of("articles"), *modules_of("comments")]
    views = public_functions(name for name in modules if ".views" in name)
    services = public_functions(name for name in modules if ".services" in name)

    assert views and services
    assert views.isdisjoint(services), views & services
