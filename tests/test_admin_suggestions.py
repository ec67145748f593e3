"""Staff see the suggestion models in the admin, read-only."""

import pytest

from annotations import roles, services
from tests.factories import UserFactory, reviewer, staff
from tests.suggestions.desk import write_desk

pytestmark = pytest.mark.django_db


@pytest.fixture
def model(settings):
    settings.SUGGESTIONS_MIN_CLAIMS = 10
    write_desk(6)
    return services.suggestions_train(actor=roles.SYSTEM)


def test_staff_see_each_model_with_its_figures_and_cannot_change_it(client, model):
    client.force_login(staff())
    listing = client.get("/admin/annotations/suggestionmodel/")
    assert listing.status_code == 200
    assert f'<td class="field-learned_f1">{model.cv_f1:.3f}</td>' in listing.content.decode()
    page = client.get(f"/admin/annotations/suggestionmodel/{model.id}/change/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "262529 float32 weights" in text and "Save" not in text
    assert client.post(f"/admin/annotations/suggestionmodel/{model.id}/delete/").status_code == 403
    assert client.get("/admin/annotations/suggestionmodel/add/").status_code == 403


def test_a_reviewer_sees_them_and_a_user_without_staff_does_not(client, model):
    client.force_login(reviewer(is_staff=True))
    assert client.get("/admin/annotations/suggestionmodel/").status_code == 200
    client.force_login(UserFactory())
    assert client.get("/admin/annotations/suggestionmodel/").status_code == 302
