"""The access matrix: what every URL of the project allows each role.

Each app lists its URLs in ``tests/<app>/access.py`` as ``RULES = {url_name: Rule(...)}``.
``tests/test_access_matrix.py`` discovers every URL pattern from the resolver and
fails for one that no rule covers, so a new page cannot ship without a decision.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from accounts import roles

ALL_ROLES = frozenset(roles.ROLES)  # the centre's staff and the agency contacts
# Every role of the centre's own staff. Agency contacts see the portal (tests/portal/access.py) and
# the few pages every signed-in user has (ALL_ROLES); the fence answers them 403 everywhere else.
EVERY_ROLE = frozenset(roles.STAFF_ROLES)
NOBODY = frozenset()


@dataclass(frozen=True)
class Rule:
    allowed: frozenset[str] = NOBODY  # roles that may use the URL
    public: bool = False  # no login needed
    method: str = "get"
    # Builds the URL's kwargs (and any objects they need) in the matrix's world: a
    # unit "lon1" holding an agency, where the unit-bound role users work.
    kwargs: Callable[[dict], dict] | None = None
    data: Callable[[dict], dict] | None = None
    # Extra statuses that count as "allowed" (e.g. 400 for a POST without a file).
    ok_statuses: frozenset[int] = field(default_factory=frozenset)
    # The URL's own answer is a redirect to the login page (log out).
    login_redirect_ok: bool = False


def roles_(*names: str) -> frozenset[str]:
    return frozenset(names)


def collect_rules() -> dict[str, Rule]:
    import importlib

    rules: dict[str, Rule] = {}
    for module_name in [
        "tests.lonservice.access",
        "tests.customers.access",
        "tests.pricing.access",
        "tests.payroll.access",
        "tests.pensions.access",
        "tests.staffing.access",
        "tests.invoicing.access",
        "tests.register.access",
        "tests.certificates.access",
        "tests.honours.access",
        "tests.workplaces.access",
        "tests.training.access",
        "tests.reporting.access",
        "tests.economy.access",
        "tests.audit.access",
        "tests.accounts.access",
        "tests.api.access",
        "tests.portal.access",
    ]:
        module = importlib.import_module(module_name)
        duplicated = set(rules) & set(module.RULES)
        assert not duplicated, f"{module_name} repeats rules for {duplicated}"
        rules.update(module.RULES)
    return rules
