from accounts import roles
from tests.access import Rule, roles_

RULES = {
    # Administrators read every unit's trail; unit managers their own unit's objects (audit.trail).
    "audit:trail": Rule(allowed=roles_(roles.UNIT_MANAGER, roles.ADMINISTRATOR)),
    "audit:identity_access": Rule(allowed=roles_(roles.ADMINISTRATOR)),
}
