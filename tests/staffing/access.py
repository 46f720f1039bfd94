from tests.access import Rule  # noqa: F401

RULES: dict = {}
