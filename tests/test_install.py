"""Issue 11.11: a non-editable install works from any directory (seeds and demo pages inside).

The project is built into a wheel (from a copy of the tree, so the clone stays clean) and
installed into a new virtualenv; then `palimpsest archive URL` and `palimpsest compare FILE`
run from an empty directory, against pages on 127.0.0.1. The new venv borrows this venv's
third-party packages through a .pth line (installing Prefect and its 150 dependencies again
would take minutes); palimpsest itself comes only from the wheel: this venv has it as an
editable finder, which a .pth line does not activate.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from palimpsest.localserver import PageServer

REPO = Path(__file__).resolve().parents[1]
SKIP = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", "archive", ".prefect*"
)


def _run(*args: str | Path, cwd: Path | None = None, env: dict | None = None, timeout=120):  # type: ignore[no-untyped-def]
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ directory of a new venv with the project's wheel installed."""
    work = tmp_path_factory.mktemp("install")
    source = work / "source"
    shutil.copytree(REPO, source, ignore=SKIP)
    built = _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", work, source)
    assert built.returncode == 0, built.stderr
    (wheel,) = work.glob("palimpsest-*.whl")
    venv = work / "venv"
    made = _run(sys.executable, "-m", "venv", "--without-pip", venv)
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    added = _run(sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps",
                 wheel)  # fmt: skip
    assert added.returncode == 0, added.stderr
    site = _run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])")
    borrowed = sysconfig.get_paths()["purelib"]
    (Path(site.stdout.strip()) / "borrowed-dependencies.pth").write_text(borrowed + "\n")
    return venv / "bin"


@pytest.fixture
def empty_dir(tmp_path: Path) -> Path:
    here = tmp_path / "empty"
    here.mkdir()
    return here


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PALIMPSEST_", "PYTHON"))}
    return {**env, "PALIMPSEST_HOST_DELAY": "0", "PALIMPSEST_CACHE_DIR": str(tmp_path / "cache")}


def test_the_wheel_holds_the_seeds_and_demo_pages(installed: Path) -> None:
    code = (
        "import palimpsest, palimpsest.settings as s; from pathlib import Path; "
        "print(palimpsest.__file__); print(s.Settings().seeds_dir); "
        "print(len(list(s.Settings().seeds_dir.glob('*.txt')))); "
        "print(len(list((Path(palimpsest.__file__).parent / 'demo_pages').glob('*.html'))))"
    )
    out = _run(installed / "python", "-c", code, cwd=installed).stdout.split()
    site = Path(out[0]).parent.parent
    assert "site-packages" in str(site) and REPO not in Path(out[0]).parents
    assert Path(out[1]) == site / "palimpsest" / "seeds"
    assert out[2:] == ["5", "3"]
    for name in (REPO / "seeds").glob("*.txt"):
        assert (site / "palimpsest" / "seeds" / name.name).read_bytes() == name.read_bytes()


def test_archive_and_compare_from_an_empty_directory(
    installed: Path, empty_dir: Path, tmp_path: Path
) -> None:
    page = REPO / "palimpsest" / "demo_pages" / "minerals-wire.html"
    server = PageServer()
    server.set("/story", page.read_text(encoding="utf-8"))
    env = _env(tmp_path)
    with server.running():
        url = server.url("/story")
        archived = _run(installed / "palimpsest", "archive", url, cwd=empty_dir, env=env)
    assert archived.returncode == 0, archived.stderr
    assert archived.stdout.startswith(f"new       v1    {url}  ")
    assert archived.stderr == ""
    assert (empty_dir / "archive").is_dir()  # the default store, here

    shutil.copy(page, empty_dir / "page.html")
    compared = _run(installed / "palimpsest", "compare", "page.html", "--json",
                    cwd=empty_dir, env=env)  # fmt: skip
    assert compared.returncode == 0, compared.stderr
    assert '"seed": "002_35ea0cf7cb43ece6"' in compared.stdout


def test_a_missing_corpus_is_a_warning_not_a_failed_archive(
    installed: Path, empty_dir: Path, tmp_path: Path
) -> None:
    server = PageServer()
    server.set("/story", (REPO / "palimpsest" / "demo_pages" / "minerals-rewrite.html").read_text())
    env = {**_env(tmp_path), "PALIMPSEST_SEEDS_DIR": str(tmp_path / "no-seeds")}
    with server.running():
        archived = _run(installed / "palimpsest", "archive", server.url("/story"), "--json",
                        cwd=empty_dir, env=env)  # fmt: skip
    assert archived.returncode == 0, archived.stderr
    assert '"status": "new"' in archived.stdout and '"seeds": []' in archived.stdout
    warning = archived.stderr.strip().splitlines()
    assert len(warning) == 1 and "no-seeds" in warning[0] and "without seed matches" in warning[0]
