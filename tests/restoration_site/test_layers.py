"""The package layers (pyproject's import contracts) fail `make lint` when broken: each case
adds one wrong import to a copy of the code and runs the same linter."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ["restoration_site", "blog", "bookings", "portfolio"]


@pytest.fixture
def code_copy(tmp_path) -> Path:
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def lint_imports(folder: Path) -> subprocess.CompletedProcess:
    linter = Path(sys.executable).with_name("lint-imports")
    return subprocess.run(
        [str(linter), "--no-cache"],
        cwd=folder,
        env={"PYTHONPATH": str(folder), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_code_as_it_is_keeps_every_layer_contract(code_copy):
    result = lint_imports(code_copy)
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize(
    ("module", "wrong_import", "broken_contract"),
    [
        ("blog/selectors.py", "import bookings.models", "Portfolio above blog and bookings"),
        ("bookings/routing_rules.py", "import blog.models", "Portfolio above blog and bookings"),
        ("restoration_site/common/pagination.py", "import blog.models", "Portfolio above"),
        ("bookings/forms.py", "import restoration_site.health", "No app imports the project"),
        ("blog/views.py", "import restoration_site.urls", "No app imports the project"),
        ("restoration_site/common/images.py", "import restoration_site.health", "Development"),
        ("restoration_site/urls.py", "import restoration_site.devtools.serving", "Development"),
        ("portfolio/views.py", "import blog.models", "Portfolio reads the blog only"),
    ],
)
def test_a_wrong_import_breaks_the_layers(code_copy, module, wrong_import, broken_contract):
    path = code_copy / module
    existing = path.read_text() if path.exists() else ""
    path.write_text(f"{existing}\n{wrong_import}  # noqa\n")

    result = lint_imports(code_copy)

    assert result.returncode == 1
    assert broken_contract in result.stdout.split("Broken contracts")[1]


def test_a_project_module_left_out_of_the_layers_breaks_the_lint(code_copy):
    (code_copy / "restoration_site" / "payments.py").write_text('"""A new project module."""\n')

    result = lint_imports(code_copy)

    assert result.returncode == 1
    assert "restoration_site.payments" in result.stdout
