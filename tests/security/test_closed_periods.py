"""A closed billing period is permanent (issue 14, item 7).

An administrator could delete a closed period in the admin site; the month could then never be
closed again (unique-constraint error) and work billed to it was never invoiced. Nobody can
change or delete one: not the admin site, not the model or its queryset, not SQL (PostgreSQL).
"""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from core.models import ClosedPeriod, PermanentRecordError

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed():
    return ClosedPeriod.objects.create(period="2012-03")


def test_the_admin_site_offers_no_delete_or_change(client, administrator, closed):
    administrator.is_superuser = True
    administrator.save()
    client.force_login(administrator)
    delete = reverse("admin:core_closedperiod_delete", args=[closed.pk])
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:core_closedperiod_changelist")
    response = client.post(changelist, {"action": "delete_selected", "_selected_action": [closed.pk], "post": "yes"})
    assert response.status_code in (200, 302)
    change = client.post(reverse("admin:core_closedperiod_change", args=[closed.pk]), {"period": "2012-04"})
    assert change.status_code == 403
    assert list(ClosedPeriod.objects.values_list("period", flat=True)) == ["2012-03"]


def test_the_model_refuses_change_and_delete(closed):
    with pytest.raises(PermanentRecordError):
        closed.delete()
    with pytest.raises(PermanentRecordError):
        ClosedPeriod.objects.filter(period="2012-03").delete()
    with pytest.raises(PermanentRecordError):
        ClosedPeriod.objects.update(period="2012-04")
    closed.period = "2012-04"
    with pytest.raises(PermanentRecordError):
        closed.save()
    assert list(ClosedPeriod.objects.values_list("period", flat=True)) == ["2012-03"]


@pytest.mark.postgres
@pytest.mark.parametrize("sql", ["DELETE FROM core_closedperiod", "UPDATE core_closedperiod SET period = '2012-04'"])
def test_the_database_refuses_change_and_delete(closed, sql):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert list(ClosedPeriod.objects.values_list("period", flat=True)) == ["2012-03"]
