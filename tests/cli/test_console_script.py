"""The `palimpsest` console script (palimpsest/entry.py): light to import, and its exit
without the interpreter's teardown changes nothing a user sees. The oracle is the plain way
of running the CLI (`app()`, then Python's normal exit): same output, same status."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest

SCRIPT = str(Path(sys.executable).with_name("palimpsest"))
PLAIN = "import sys\nfrom palimpsest.cli import app\nsys.argv[0] = 'palimpsest'\napp()\n"
PAGE = Path(__file__).parents[1] / "extractors" / "fixtures" / "harbour.html"


def test_the_console_script_imports_the_cli_only_when_it_runs() -> None:
    """The script is what a spawned extraction worker runs again: it must stay light."""
    (script,) = entry_points(group="console_scripts", name="palimpsest")
    assert script.value == "palimpsest.entry:main"
    code = (
        f"import sys\nimport {script.module}\n"
        "print(sorted(m for m in ('palimpsest.cli', 'typer') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]", done.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["--version"],
        ["extract", str(PAGE)],  # stdout is a pipe, so block-buffered: it must be flushed
        ["extract", "--json", str(PAGE)],
        ["extract", "/nonexistent/page.html"],  # one line on stderr, status 1
        ["no-such-command"],  # a usage error, status 2
    ],
)
def test_the_script_exits_as_the_plain_cli_does(args: list[str]) -> None:
    fast = subprocess.run([SCRIPT, *args], capture_output=True, text=True, timeout=120)
    plain = subprocess.run(
        [sys.executable, "-c", PLAIN, *args], capture_output=True, text=True, timeout=120
    )
    assert (fast.returncode, fast.stdout, fast.stderr) == (
        plain.returncode,
        plain.stdout,
        plain.stderr,
    )
    assert fast.stdout or fast.stderr


def test_an_atexit_handler_of_a_command_still_runs(tmp_path: Path) -> None:
    """Handlers registered while a command runs (logging's flush, temporary directories)
    run before the process exits."""
    marker = tmp_path / "ran"
    code = (
        "import atexit, sys\nfrom pathlib import Path\nfrom palimpsest import entry, cli\n"
        "real = cli.app\n"
        "def app():\n"
        f"    atexit.register(Path({str(marker)!r}).write_text, 'yes')\n"
        "    real()\n"
        "cli.app = app\nsys.argv = ['palimpsest', '--version']\nentry.main()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("palimpsest ")
    assert marker.read_text() == "yes"
