import pytest

from tests.browser.conftest import log_in
from tests.factories import ArticleFactory, editor

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_editor_logs_in_and_sees_the_articles_as_links(page):
    editor(username="ed", password="a long enough passphrase")
    ArticleFactory(title="Minister's tax claim")
    log_in(page, "ed", "a long enough passphrase")
    assert page.get_by_role("link", name="Minister's tax claim").is_visible()
    assert page.url.endswith("/articles/")


def test_wrong_password_is_refused_with_a_message(page):
    editor(username="ed", password="a long enough passphrase")
    log_in(page, "ed", "wrong")
    assert page.get_by_role("alert").inner_text().startswith("Your username and password")
    assert "/accounts/login/" in page.url
