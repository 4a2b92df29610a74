"""The development tools sit beside the project: they may import every app, and no app imports
them (or anything of the project but the shared library)."""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = ("blog", "bookings", "portfolio")
SHARED = "restoration_site.common"


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module)
    return names


def test_apps_import_nothing_of_the_project_but_the_shared_library():
    wrong = {
        f"{path.relative_to(ROOT)}: {name}"
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        for name in imported_modules(path)
        if name.split(".")[0] == "restoration_site"
        and name != SHARED
        and not name.startswith(SHARED + ".")
    }
    assert wrong == set()


def test_the_apps_keep_no_demo_content_of_their_own():
    assert [path for app in APPS for path in (ROOT / app).glob("demo*.py")] == []
