"""The backend contract (annotations.search.testing) run against the engine's own backend.
The suite runs on SQLite locally and on PostgreSQL and SQLite in CI, so both backends keep it;
a custom backend's tests subclass the same contract."""

import pytest
from django.db import connection

from annotations import roles, services
from annotations.search import find_related, get_backend
from annotations.search.postgres import PostgresSearchBackend
from annotations.search.sqlite import SQLiteSearchBackend
from annotations.search.testing import SearchBackendContract, write_archive

pytestmark = pytest.mark.django_db


ENGINE_BACKENDS = {"sqlite": SQLiteSearchBackend, "postgresql": PostgresSearchBackend}


class TestEngineSearchBackend(SearchBackendContract):
    """The contract against the backend of the engine this run uses (both in CI)."""

    @pytest.fixture
    def backend(self):
        return ENGINE_BACKENDS[connection.vendor]()


def test_the_default_backend_matches_the_database_engine():
    assert get_backend().vendor == connection.vendor


def test_find_related_searches_through_the_engines_backend():
    archive = write_archive()
    top = find_related("wind turbines give people cancer", limit=1)
    assert [m.article_id for m in top] == [archive[3].id]


def test_find_related_keeps_its_limit_within_bounds():
    write_archive()
    assert len(find_related("wind turbines", limit=0)) == 1
    assert len(find_related("wind bridge measles council", limit=10_000)) == 4


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 is SQLite's index")
def test_sqlite_looks_up_statistics_by_the_terms_fts5_indexes():
    """Statistics are keyed by FTS5's Porter stems: the query side must stem the same way,
    or every word looks unknown and nothing is pruned."""
    from annotations.search import refresh_statistics
    from annotations.search.sqlite import indexed_term

    words = "Vaccinations governments happily ponies naïve café referendums occupied".split()
    services.article_create(title="Stems", body=" ".join(words), actor=roles.SYSTEM)
    refresh_statistics()
    with connection.cursor() as cursor:
        cursor.execute("SELECT word FROM annotations_search_lexeme")
        indexed = {row[0] for row in cursor.fetchall()}
    assert {indexed_term(word.lower()) for word in words} <= indexed


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL planner setting")
def test_the_index_hint_ends_with_the_search_in_a_callers_transaction():
    """PostgreSQL's lexical query turns sequential scans off for its own transaction; inside a
    caller's transaction (a job's) it turns them back on for what the caller does next."""
    from django.db import transaction

    write_archive()
    with transaction.atomic(), connection.cursor() as cursor:
        assert PostgresSearchBackend().lexical(["wind"], limit=5, exclude_article_id=None)
        cursor.execute("SELECT current_setting('enable_seqscan')")
        assert cursor.fetchone()[0] == "on"
