"""Next year's prices as a draft (from a price scenario): not in force, not offered for a reissue and
never frozen until the decision is recorded; then in force from its first day, after every closed month."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import ClosedPeriod
from pricing import services as pricing
from pricing.models import PriceList
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(db):
    decided = factories.price_list_2012(2013)
    copy = pricing.new_price_list_version(price_list=decided, effective_from=dt.date(2013, 3, 1))
    return pricing.mark_as_draft(price_list=copy)


def test_a_draft_is_not_in_force_nor_offered_for_a_reissue_until_decided(draft, administrator):
    assert pricing.price_list_in_force("2013-03").version == 1
    assert [v.version for v in pricing.versions_of_year("2013-03")] == [1]
    decided = pricing.decide_price_list(price_list=draft, user=administrator)
    assert decided.decided and decided.decided_by == administrator and decided.decided_at is not None
    assert pricing.price_list_in_force("2013-03").version == 2
    assert pricing.price_list_in_force("2013-02").version == 1  # from its first day, not before
    assert [v.version for v in pricing.versions_of_year("2013-03")] == [1, 2]


def test_a_draft_cannot_be_frozen_and_a_decided_list_is_not_decided_twice(draft, administrator):
    with pytest.raises(ValidationError):
        pricing.freeze_price_list(price_list=draft)
    assert PriceList.objects.get(pk=draft.pk).frozen_at is None
    pricing.decide_price_list(price_list=draft, user=administrator)
    with pytest.raises(ValidationError):
        pricing.decide_price_list(price_list=draft, user=administrator)


def test_a_draft_whose_first_day_is_now_in_a_closed_month_cannot_be_decided(draft, administrator):
    ClosedPeriod.objects.create(period="2013-03")
    with pytest.raises(ValidationError, match="2013-03"):
        pricing.decide_price_list(price_list=draft, user=administrator)
    assert not PriceList.objects.get(pk=draft.pk).decided


def test_the_page_shows_a_draft_and_records_the_decision(client, draft, administrator):
    client.force_login(administrator)
    url = reverse("pricing:pricelist_detail", args=[draft.pk])
    page = client.get(url).content.decode()
    assert "Utkast, inte beslutad" in page and reverse("pricing:pricelist_decide", args=[draft.pk]) in page
    response = client.post(reverse("pricing:pricelist_decide", args=[draft.pk]), follow=True)
    assert "2013 v2 är beslutad: den gäller från" in response.content.decode()
    draft.refresh_from_db()
    assert draft.decided and draft.decided_by == administrator
    assert "Utkast, inte beslutad" not in client.get(url).content.decode()
