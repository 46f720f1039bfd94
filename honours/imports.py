"""Importing an agency's list of employees who reach 25 years of service in a year.

Columns ``personnummer;agency`` and optionally ``employed_since;name`` (see the README). A row's
``employed_since`` must give 25 years in the year; a person already awarded (any year), or twice in
the file, is refused. Everything is checked first; then the awards are written in one transaction.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.importing import Importer, ImportResult
from people.identity import normalize_personnummer
from people.models import Person
from people.services import upsert_people

from .models import SERVICE_YEARS, HonourAward

NAME_MAX = Person._meta.get_field("name").max_length


class HonourListImporter(Importer):
    columns = ["personnummer", "agency"]
    optional = ["employed_since", "name"]
    empty_message = gettext_lazy("the file has no employees")

    def __init__(self, *, year: int, agencies, user=None):
        super().__init__()
        self.year, self.user = year, user
        self.agencies = {a.code.lower(): a for a in agencies}
        self.awarded = {}
        self.seen: dict[str, int] = {}

    def check_start(self):
        self.awarded = dict(HonourAward.objects.values_list("person__personnummer", "year"))

    def check_row(self, line, row):
        ok = True
        try:
            number = normalize_personnummer(row["personnummer"])
        except ValidationError:
            self.errors.add(line, "personnummer", _("not a valid personal identity number"))
            number, ok = None, False
        agency = self.agencies.get(row["agency"].lower())
        if agency is None:
            self.errors.add(
                line, "agency", _("no agency of yours has the code %(code)s") % {"code": row["agency"][:40]}
            )
            ok = False
        since = None
        if row.get("employed_since"):
            try:
                since = dt.date.fromisoformat(row["employed_since"])
            except ValueError:
                self.errors.add(line, "employed_since", _("not a date (YYYY-MM-DD)"))
                ok = False
            else:
                if since.year + SERVICE_YEARS != self.year:
                    self.errors.add(
                        line,
                        "employed_since",
                        _("does not give %(years)d years of service in %(year)d")
                        % {"years": SERVICE_YEARS, "year": self.year},
                    )
                    ok = False
        name = (row.get("name") or "").strip()
        if len(name) > NAME_MAX:
            self.errors.add(line, "name", _("longer than %d characters") % NAME_MAX)
            ok = False
        if number in self.awarded:
            self.errors.add(
                line, "personnummer", _("already has the award (%(year)d)") % {"year": self.awarded[number]}
            )
            ok = False
        elif number in self.seen:
            self.errors.add(line, "personnummer", _("the same person is already on row %d") % self.seen[number])
            ok = False
        if not ok:
            return None
        self.seen[number] = line
        return number, agency, since, name

    def write(self) -> ImportResult:
        people = upsert_people({number: name for number, _agency, _since, name in self.rows})
        for number, agency, since, _name in self.rows:
            award = HonourAward(
                year=self.year,
                person=people[number],
                agency=agency,
                employed_since=since,
                source=HonourAward.Source.LIST,
            )
            award._history_user = self.user
            award.save()
        count = len(self.rows)
        return ImportResult(
            counts={"awards": count},
            message=ngettext(
                "%(count)d employee was added to the honour awards of %(year)d.",
                "%(count)d employees were added to the honour awards of %(year)d.",
                count,
            )
            % {"count": count, "year": self.year},
        )


def import_honour_list(*, file, year: int, agencies, user=None) -> ImportResult:
    return HonourListImporter(year=year, agencies=agencies, user=user).run(file)
