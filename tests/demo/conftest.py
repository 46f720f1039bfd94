import datetime as dt

import pytest

from demo import calendar

# The seed year on the calendar it came from: "today" is 15 January 2013, so the demo year is 2012 with
# all its twelve months closed and January 2013 open; the tests of the seeds' figures read 2012.
SEED_PRESENT = dt.date(2013, 1, 15)


@pytest.fixture(autouse=True)
def seed_calendar(monkeypatch):
    monkeypatch.setattr(calendar, "present", lambda: SEED_PRESENT)
    return SEED_PRESENT
