"""The apps stand on floors (STYLE.md): each imports only from itself and the floors below.

Read from the source with `ast`, so imports inside functions count as much as those at the top.
"""

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "readiness"

# Lowest floor first. The top floor's apps may import everything below them, not each other.
FLOORS = [
    ["core"],
    ["projects"],
    ["registers"],
    ["reviews", "transfer"],
    ["dossiers"],
    ["portal", "demo"],
]
LEVEL = {app: level for level, apps in enumerate(FLOORS) for app in apps}


def imported_modules(source: str, package: str) -> Iterator[tuple[int, str]]:
    """(line, module) for every import in `source`, a module of `package`; relative ones made
    absolute, and `from readiness import x` read as an import of readiness.x."""
    package_parts = package.split(".")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package_parts[: len(package_parts) - node.level + 1]
                module = ".".join(base + [node.module] if node.module else base)
            else:
                module = node.module
            yield node.lineno, module
            if module == "readiness":
                for alias in node.names:
                    yield node.lineno, f"readiness.{alias.name}"


def app_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "readiness" else None


def python_files() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_every_app_stands_on_a_floor():
    apps = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert apps == set(LEVEL)


def test_no_app_imports_from_a_floor_above_it_or_beside_it():
    reaching_up = []
    for path in python_files():
        relative = path.relative_to(PACKAGE.parent)
        package = ".".join(relative.parent.parts)
        own = app_of(package)
        if own is None:
            continue
        for line, module in imported_modules(path.read_text(), package):
            target = app_of(module)
            if target is None or target == own:
                continue
            if LEVEL.get(target, len(FLOORS)) >= LEVEL[own]:
                reaching_up.append(f"{relative}:{line} ({own}) imports {module}")
    assert not reaching_up, "\n".join(reaching_up)


def test_it_sees_late_relative_and_package_imports():
    source = """
import readiness.dossiers.models
from readiness import portal
from .definitions import CheckDefinition
from .. import projects

def f():
    from readiness.core.http import htmx_redirect
"""
    modules = [module for _, module in imported_modules(source, "readiness.reviews")]
    assert "readiness.reviews.definitions" in modules
    assert {app_of(module) for module in modules} == {
        None,  # the bare `readiness` of the package imports
        "dossiers",
        "portal",
        "reviews",
        "projects",
        "core",
    }
