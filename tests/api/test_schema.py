from io import StringIO

import pytest
import yaml
from django.core.management import call_command
from openapi_spec_validator import validate

from tests.api.conftest import client_for
from tests.factories import editor

pytestmark = pytest.mark.django_db


def test_schema_generates_without_warnings_and_validates_as_openapi_3():
    out = StringIO()
    call_command("spectacular", "--fail-on-warn", "--validate", stdout=out)
    schema = yaml.safe_load(out.getvalue())
    validate(schema)
    assert schema["openapi"].startswith("3.")
    selector = schema["components"]["schemas"]["SelectorInputRequest"]["properties"]
    assert "code points" in selector["start"]["description"]
    assert "/api/v1/claims/{id}/transition/" in schema["paths"]
    assert "409" in schema["paths"]["/api/v1/claims/{id}/"]["patch"]["responses"]


def test_docs_page_works_without_internet():
    response = client_for(editor()).get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn." not in html and "unpkg" not in html
