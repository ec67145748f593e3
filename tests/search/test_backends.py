"""One contract for every search backend. The suite runs on SQLite locally and on
PostgreSQL and SQLite in CI, so this class runs against both backends."""

import pytest
from django.db import connection

from annotations import roles, services
from annotations.models import Article
from annotations.search import find_related, get_backend
from annotations.search.base import BOTH, DENSE_ONLY, NOT_EMBEDDED
from annotations.search.query import query_terms
from annotations.tasks import embed_article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

ARCHIVE = [
    (
        "Fact check: no, the new bridge did not cost three billion euros",
        "Claims that the harbour bridge cost three billion euros are false. The city paid "
        "410 million euros, according to the audit office.",
    ),
    (
        "Measles vaccination rates fall in rural districts",
        "Vaccination against measles fell below 90 percent in three rural districts last year.",
    ),
    (
        "Council approves new bus lanes on the ring road",
        "The council voted to add bus lanes to the ring road from next spring.",
    ),
    (
        "Fact check: wind turbines do not cause cancer",
        "A viral post claimed that living near wind turbines causes cancer. No study supports "
        "the claim, health researchers said.",
    ),
]


@pytest.fixture
def archive():
    articles = [
        services.article_create(
            title=title,
            body=body,
            url=f"https://archive.example/{n}",
            is_archive=True,
            actor=roles.SYSTEM,
        )
        for n, (title, body) in enumerate(ARCHIVE)
    ]
    services.prior_fact_check_create(
        article=articles[3],
        quote="living near wind turbines causes cancer",
        verdict=services.verdict_lookup("false"),
        note="test archive",
    )
    services.vectors_embed_pending()  # what import_articles and the embedding job do
    return articles


class TestSearchBackendContract:
    def test_the_backend_matches_the_database_engine(self):
        assert get_backend().vendor == connection.vendor

    def test_a_paraphrase_ranks_its_source_first(self, archive):
        matches = find_related("Is it true that wind farms give people cancer?")
        assert matches[0].article_id == archive[3].id
        matches = find_related("The harbour bridge cost 3 billion euros, says the mayor")
        assert matches[0].article_id == archive[0].id

    def test_a_paraphrase_sharing_no_content_word_finds_its_fact_check_by_meaning(self, archive):
        query = "Residing beside windmills makes folks develop tumours"
        assert get_backend().lexical(query_terms(query), limit=10, exclude_article_id=None) == []
        top = find_related(query)[0]
        assert top.article_id == archive[3].id
        assert top.method == DENSE_ONLY and top.verdict == "false"
        assert top.snippet.startswith("A viral post claimed")  # no words matched: its lead

    def test_words_and_meaning_together_say_so(self, archive):
        top = find_related("wind turbines give people cancer")[0]
        assert top.article_id == archive[3].id and top.method == BOTH

    def test_an_article_not_yet_embedded_is_found_by_its_words_and_says_so(self, archive):
        fresh = services.article_create(
            title="Tramway depot planned", body="A tramway depot is planned.", actor=roles.SYSTEM
        )
        top = find_related("tramway depot")[0]
        assert top.article_id == fresh.id and top.method == NOT_EMBEDDED

    def test_an_edited_article_is_re_embedded_and_found_by_its_new_meaning(
        self, archive, editor_user
    ):
        query = "Cyclists get a protected path alongside the motorway loop"
        assert archive[2].id not in [m.article_id for m in find_related(query)]
        services.article_update(
            article=archive[2],
            actor=editor_user,
            title="Council approves a separated bike lane on the ring road",
            body="The council voted for a separated bicycle lane beside the ring road.",
        )
        embed_article(archive[2].id)  # the job article_update queues, run here in-process
        top = find_related(query)[0]
        assert top.article_id == archive[2].id and "dense" in top.method

    def test_a_prior_fact_check_comes_with_its_verdict(self, archive):
        top = find_related("wind turbines cause cancer")[0]
        assert top.claim_id is not None and top.verdict == "false"

    def test_the_claims_own_article_never_appears(self, archive):
        matches = find_related("wind turbines cancer", exclude_article_id=archive[3].id)
        assert archive[3].id not in [m.article_id for m in matches]

    @pytest.mark.parametrize(
        "text",
        [
            'He said: "turbines" & (cancer) OR NOT -- ; DROP TABLE; * ^ ~ \\ NEAR/3 {x}',
            "“wind” – ‘cancer’ … 🚀",
            "",
            "   ",
            "the of and",
            "&&&",
            '"',
            "AND OR NOT",
            "*",
            ":",
        ],
    )
    def test_punctuation_heavy_and_empty_queries_return_cleanly(self, archive, text):
        matches = find_related(text)
        assert isinstance(matches, list)

    def test_an_archive_article_edited_after_import_is_found_by_its_new_words(
        self, archive, editor_user
    ):
        assert not any(m.article_id == archive[2].id for m in find_related("tramway depot"))
        services.article_update(
            article=archive[2],
            actor=editor_user,
            body=archive[2].body + " A tramway depot is planned too.",
        )
        assert find_related("tramway depot")[0].article_id == archive[2].id

    def test_the_snippet_marks_the_matched_words(self, archive):
        snippet = find_related("measles vaccination")[0].snippet
        assert "[[" in snippet and "]]" in snippet
        assert "easles" in snippet

    def test_limit_and_result_shape(self, archive):
        ArticleFactory.create_batch(5, title="Wind turbines and health", body="Wind turbines.")
        matches = find_related("wind turbines", limit=3)
        assert len(matches) == 3
        first = matches[0].as_json()
        assert set(first) == {
            "article_id",
            "claim_id",
            "title",
            "url",
            "score",
            "method",
            "snippet",
        }
        assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
        assert Article.objects.filter(pk=first["article_id"]).exists()


def test_word_statistics_keep_the_rarest_words_of_a_long_query(archive):
    """After the statistics refresh (import_articles runs it) a long query keeps its rarest
    words; the source is still found first, and words sharing a stem are one term."""
    from annotations.search import refresh_statistics

    refresh_statistics()
    chatter = "the council city year people said news report today " * 3
    matches = find_related(chatter + " wind turbines turbine cancer cancers study")
    assert matches[0].article_id == archive[3].id


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
