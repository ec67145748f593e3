"""The API answers what its OpenAPI schema says, for every operation, as an editor and as a
reviewer: schemathesis generates requests from the schema the app serves and checks each
response for a server error, an undocumented status or content type, and a body or headers
that break the schema. SCHEMA_FUZZ_EXAMPLES sets the examples per operation (CI: the
default; locally, more for a deeper run)."""

import json
import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from annotations import services
from tests.api.conftest import client_for
from tests.factories import ClaimFactory, SourceFactory, editor, reviewer

pytestmark = pytest.mark.django_db
EXAMPLES = int(os.environ.get("SCHEMA_FUZZ_EXAMPLES", "15"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]

# The schema the app serves at /api/v1/schema/ (the same generator, without a request).
served = SchemaGenerator().get_schema(request=None, public=True)
schema = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(served)))
schema.app = get_wsgi_application()


@pytest.fixture(params=["editor", "reviewer"])
def token_header(request, db):
    """A user of the role with a token, and a desk with data for the ids to hit."""
    user = (editor if request.param == "editor" else reviewer)(username="fuzz")
    claim = ClaimFactory(created_by=user, assignee=user)
    SourceFactory(claim=claim)
    services.note_create(claim=claim, actor=user, text="Which year is the baseline?")
    ClaimFactory(ready=True, status="published", reviewed_by=reviewer(), reviewed_at=timezone.now())
    # The schemathesis client calls the app directly: keep the test's connection open
    # across its requests, as Django's own test client does.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield {"Authorization": client_for(user)._credentials["HTTP_AUTHORIZATION"]}
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_answers_as_its_schema_says(case, token_header):
    case.call_and_validate(headers=token_header, checks=CHECKS)
