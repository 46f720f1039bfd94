"""The contract test: schemathesis generates requests from the OpenAPI schema the app serves, for
every operation, with a bounded number of examples, and the app answers none with a server error
(and every answer's status is one the schema documents, or a problem detail)."""

import json

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from accounts import roles
from invoicing.services.close import close_month
from tests import factories

from .conftest import make_token

RAW = json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
schema = schemathesis.openapi.from_dict(RAW)
schema.app = WSGIHandler()

EXAMPLES = 5


@pytest.fixture
def contract_token(db, unit):
    """An administrator's account (every scope) and a little of everything to find."""
    import datetime as dt

    factories.price_list_2012()
    agency = factories.AgencyFactory(code="SDF01", unit=unit)
    factories.add_cases(agency, "2012-03", self_service=2)
    close_month(period="2012-03", invoice_date=dt.date(2012, 4, 10))
    account = factories.UserFactory(username="contract", role=roles.ADMINISTRATOR)
    # The app is called in-process, not through Django's test client: keep Django from closing the
    # test's database connection at the end of each request (the test client does the same).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield make_token(account, list(roles.API_SCOPES))
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_the_schema_covers_every_operation():
    operations = {(path, method) for path, item in RAW["paths"].items() for method in item}
    assert len(operations) == 25
    assert RAW["components"]["securitySchemes"]["token"] == {
        "type": "http",
        "scheme": "bearer",
        "description": RAW["components"]["securitySchemes"]["token"]["description"],
    }


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_no_server_errors(case, contract_token):
    response = case.call(headers={"Authorization": f"Bearer {contract_token}"})
    case.validate_response(response, checks=[not_a_server_error])
    # The token has every scope: sent, it is never refused (schemathesis leaves it out on purpose in
    # some negative cases, which must then get 401).
    if "Authorization" in response.request.headers:
        assert response.status_code not in (401, 403), response.text
    else:
        assert response.status_code == 401
