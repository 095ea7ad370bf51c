"""The stage folders install under the palimpsest namespace (pyproject's package-dir)."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOT_INSTALLED = {"tests", "bench", ".venv", ".venv-pywb", "build"}
# folders of package data (no __init__.py), each declared so setuptools installs it as one
DATA_ONLY = {
    "palimpsest.seeds": "*.txt",
    "palimpsest.demo_pages": "*.html",
    "palimpsest.viewer.templates": "*.html",
    "palimpsest.viewer.static": "*.css",
}


def _declared() -> tuple[set[str], dict[str, str]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    return set(config["packages"]), config["package-dir"]


def _folder_of(package: str, package_dir: dict[str, str]) -> Path:
    parts = package.split(".")
    for cut in range(len(parts), 0, -1):
        head = ".".join(parts[:cut])
        if head in package_dir:
            return ROOT / package_dir[head] / Path(*parts[cut:])
    raise AssertionError(f"{package} has no package-dir mapping")


def test_every_package_folder_is_declared_and_every_declared_package_exists() -> None:
    packages, package_dir = _declared()
    on_disk = {
        init.parent.relative_to(ROOT)
        for init in ROOT.rglob("__init__.py")
        if init.relative_to(ROOT).parts[0] not in NOT_INSTALLED
    }
    declared = {_folder_of(p, package_dir).relative_to(ROOT) for p in packages - set(DATA_ONLY)}
    assert on_disk == declared
    for package, pattern in DATA_ONLY.items():
        assert package in packages and any(_folder_of(package, package_dir).glob(pattern))


def test_stage_packages_import_under_the_namespace() -> None:
    import palimpsest.diffing
    import palimpsest.extractors
    import palimpsest.fetchers
    import palimpsest.flows
    import palimpsest.storage

    for module, folder in [
        (palimpsest.diffing, "diffing"),
        (palimpsest.extractors, "extractors"),
        (palimpsest.fetchers, "fetchers"),
        (palimpsest.flows, "flows"),
        (palimpsest.storage, "storage"),
    ]:
        assert Path(module.__file__).parent == ROOT / folder


# DESIGN.md "Dependencies point one way": what each folder may import of ours.
LEAVES = {"text": set(), "palimpsest.errors": set()}  # nothing of ours
STAGES = ("fetchers", "extractors", "storage", "diffing", "catalog", "discovery", "notify")


def _imports(folder: Path) -> dict[str, set[str]]:
    """For each module file under `folder`: the palimpsest.* (and prefect) modules it imports."""
    found: dict[str, set[str]] = {}
    for path in folder.rglob("*.py") if folder.is_dir() else [folder]:
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module)
        found[str(path.relative_to(ROOT))] = {
            n for n in names if n.startswith("palimpsest.") or n.split(".")[0] == "prefect"
        }
    return found


def _area(module: str) -> str:
    """The folder (stage, leaf, or a module of palimpsest/) a palimpsest.* module lives in."""
    if module.split(".")[0] == "prefect":
        return "prefect"
    part = module.split(".")[1]
    return part if (ROOT / part / "__init__.py").exists() else f"palimpsest.{part}"


def test_dependencies_point_one_way() -> None:
    wrong = []
    for name in [*STAGES, *LEAVES]:
        folder = ROOT / "palimpsest" / "errors.py" if name == "palimpsest.errors" else ROOT / name
        allowed = {name} | LEAVES.get(name, set(LEAVES))
        for path, names in _imports(folder).items():
            wrong += [f"{path} imports {n}" for n in names if _area(n) not in allowed]
    for path, names in _imports(ROOT / "flows").items():  # the stages, never the CLI or settings
        up = {n for n in names if _area(n).startswith("palimpsest.")} - {"palimpsest.errors"}
        wrong += [f"{path} imports {n}" for n in sorted(up)]
    assert not wrong
