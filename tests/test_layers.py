"""The layers hold by imports only (README, Project layout).

import-linter's layers contract (``make lint``) checks the direction of every import; this test
checks that no product code goes round it: no module imported by a name built at run time, no
model looked up by its label, no other app's module or model named in a string.
"""

import ast
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["root_packages"]
# The shell's configuration names code by dotted path because Django and Celery read it so.
CONFIGURATION = {"lonservice/settings.py", "lonservice/celery.py", "lonservice/wsgi.py", "lonservice/asgi.py"}
LOOKUPS = {"import_module", "get_model", "get_models", "__import__", "find_spec"}
APP = "|".join(APPS)
MODEL_LABEL = re.compile(rf"^({APP})\.[A-Z]\w*$")  # "customers.Agency"
DOTTED_PATH = re.compile(rf"^({APP})(\.\w+)+$")  # "reporting.selectors.volumes", "customers.urls"


def _product_files():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" not in relative and relative not in CONFIGURATION:
                yield relative, ast.parse(path.read_text(), filename=relative)


def _names_another_app(text: str, own_app: str) -> bool:
    """A label of another app's model, or a dotted path to a module of another app (a permission
    such as "payroll.view_payrollcase" names no module and is fine; an app names its own)."""
    label = MODEL_LABEL.match(text)
    if label:
        return label.group(1) != own_app
    match = DOTTED_PATH.match(text)
    if not match or match.group(1) == own_app:
        return False
    first = text.split(".")[1]
    return (ROOT / match.group(1) / f"{first}.py").exists() or (ROOT / match.group(1) / first).is_dir()


def _offences(relative: str, tree: ast.AST) -> list[str]:
    own_app = relative.split("/")[0]
    found = []
    for node in ast.walk(tree):
        where = f"{relative}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Import | ast.ImportFrom):
            modules = [alias.name for alias in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            if any(module.split(".")[0] == "importlib" for module in modules):
                found.append(f"{where} imports importlib")
        elif isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in LOOKUPS:
                found.append(f"{where} calls {name}()")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and _names_another_app(node.value, own_app):
            found.append(f"{where} names {node.value!r} in a string")
    return found


def test_no_product_code_looks_up_code_or_models_by_name():
    offences = [offence for relative, tree in _product_files() for offence in _offences(relative, tree)]
    assert not offences, "look-ups by name between apps (use an import):\n" + "\n".join(offences)


def test_the_check_finds_each_kind_of_look_up():
    code = (
        "import importlib\n"
        "from django.apps import apps\n"
        "apps.get_model('customers', 'Agency')\n"
        "importlib.import_module('pricing.services')\n"
        "LABEL = 'customers.Agency'\n"
        "SELECTOR = 'staffing.selectors.average_fte'\n"
        "URLS = 'customers.urls'\n"
        "PERMISSION = 'customers.view_agency'\n"
        "OWN = 'reporting.Report'\n"
    )
    offences = _offences("reporting/example.py", ast.parse(code))
    assert len(offences) == 7, offences  # the import, two calls, four strings (one inside a call)
    assert not any("view_agency" in offence for offence in offences)


def test_the_contract_names_every_project_app():
    from django.apps import apps

    here = {Path(config.path).name for config in apps.get_app_configs() if Path(config.path).parent == ROOT}
    assert here == set(APPS)
