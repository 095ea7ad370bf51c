"""The stage folders install under the palimpsest namespace (pyproject's package-dir)."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOT_INSTALLED = {"tests", "bench", ".venv", ".venv-pywb", "build"}
DATA_ONLY = {"palimpsest.seeds"}  # folders of package data (no __init__.py), mapped in


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
    declared = {_folder_of(p, package_dir).relative_to(ROOT) for p in packages - DATA_ONLY}
    assert on_disk == declared
    for package in DATA_ONLY:
        assert package in packages and any(_folder_of(package, package_dir).glob("*.txt"))


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
