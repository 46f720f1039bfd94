"""Who may use each economy URL: the head of service and finance keep the budget and import the
ledger's costs; unit managers read their own units' economy."""

from accounts import roles
from tests.access import Rule, roles_

READERS = roles_(roles.UNIT_MANAGER, roles.HEAD_OF_SERVICE, roles.FINANCE, roles.ADMINISTRATOR)
KEEPERS = roles_(roles.HEAD_OF_SERVICE, roles.FINANCE, roles.ADMINISTRATOR)

RULES = {
    "economy:economy": Rule(allowed=READERS),
    "economy:cost_budget": Rule(allowed=READERS),
    "economy:cost_budget_import": Rule(allowed=KEEPERS),
    "economy:actual_cost_import": Rule(allowed=KEEPERS),
}
