"""Personal identity numbers never leave the process in a log line, metric or error report."""

import re

# Anything shaped like a personal identity number (or an organisation number, which shares the
# shape): 6 or 8 digits, an optional separator (also URL-encoded), 4 digits. No checksum test:
# a mistyped number is still somebody's.
PERSONAL_NUMBER = re.compile(r"(?<!\d)(?:\d{2})?\d{6}(?:[-+ ]|%2[bBdD]|%20)?\d{4}(?!\d)")
REDACTED = "[personnummer]"

# Ids the process generates itself (uuid4): never a person's number, and needed whole to search by.
GENERATED_IDS = frozenset({"request_id", "task_id", "parent_task_id", "child_task_id"})


def redact(value):
    """``value`` with every personal-number-like string inside it replaced, recursively."""
    if isinstance(value, str):
        return PERSONAL_NUMBER.sub(REDACTED, value)
    if isinstance(value, dict):
        return {key: value[key] if key in GENERATED_IDS else redact(value[key]) for key in value}
    if isinstance(value, list | tuple):
        return type(value)(redact(item) for item in value)
    return value
