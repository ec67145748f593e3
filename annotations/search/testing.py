"""The contract every related-coverage backend keeps, as a pytest mixin (the pattern of
wagtail's django-modelsearch `BackendTests`): subclass `SearchBackendContract` in a test
module and set `backend_class` to your backend, or override the `backend` fixture:

    class TestMyBackend(SearchBackendContract):
        backend_class = MyBackend

The tests search through the backend instance itself (`backend.search`, `backend.lexical`),
not through `find_related`, so a backend that the settings do not name yet can be checked.
Needs pytest and pytest-django (the dev dependencies); nothing in the app imports this."""

from __future__ import annotations

import pytest

from .. import roles, services
from ..models import Article
from .base import BOTH, DENSE_ONLY, NOT_EMBEDDED, SearchBackend
from .query import query_terms

# A small archive written here, so the contract needs no data from outside the repository.
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
WIND_FACT_CHECK = "living near wind turbines causes cancer"

# Queries no backend may fail on: its query syntax, quoting and emptiness.
AWKWARD_QUERIES = [
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
]


def write_archive() -> list[Article]:
    """The contract's archive, embedded as import_articles leaves it; the last article holds
    a published fact-check with the verdict `false`."""
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
        quote=WIND_FACT_CHECK,
        verdict=services.verdict_lookup("false"),
        note="test archive",
    )
    services.vectors_embed_pending()
    return articles


@pytest.mark.django_db
class SearchBackendContract:
    backend_class: type[SearchBackend] | None = None

    @pytest.fixture
    def backend(self) -> SearchBackend:
        if self.backend_class is None:
            raise NotImplementedError("set backend_class or override the backend fixture")
        return self.backend_class()

    @pytest.fixture
    def archive(self, db) -> list[Article]:
        return write_archive()

    def test_a_paraphrase_ranks_its_source_first(self, backend, archive):
        matches = backend.search("Is it true that wind farms give people cancer?")
        assert matches[0].article_id == archive[3].id
        matches = backend.search("The harbour bridge cost 3 billion euros, says the mayor")
        assert matches[0].article_id == archive[0].id

    def test_a_paraphrase_sharing_no_content_word_finds_its_fact_check_by_meaning(
        self, backend, archive
    ):
        query = "Residing beside windmills makes folks develop tumours"
        assert backend.lexical(query_terms(query), limit=10, exclude_article_id=None) == []
        top = backend.search(query)[0]
        assert top.article_id == archive[3].id
        assert top.method == DENSE_ONLY and top.verdict == "false"
        assert top.snippet.startswith("A viral post claimed")  # no words matched: its lead

    def test_words_and_meaning_together_say_so(self, backend, archive):
        top = backend.search("wind turbines give people cancer")[0]
        assert top.article_id == archive[3].id and top.method == BOTH

    def test_an_article_not_yet_embedded_is_found_by_its_words_and_says_so(self, backend, archive):
        fresh = services.article_create(
            title="Tramway depot planned", body="A tramway depot is planned.", actor=roles.SYSTEM
        )
        top = backend.search("tramway depot")[0]
        assert top.article_id == fresh.id and top.method == NOT_EMBEDDED

    def test_an_edited_article_is_found_by_its_new_words_and_once_embedded_its_meaning(
        self, backend, archive
    ):
        bike_query = "Cyclists get a protected path alongside the motorway loop"
        assert archive[2].id not in [m.article_id for m in backend.search(bike_query)]
        assert archive[2].id not in [m.article_id for m in backend.search("tramway depot")]
        services.article_update(
            article=archive[2],
            actor=roles.SYSTEM,
            title="Council approves a separated bike lane on the ring road",
            body="The council voted for a separated bicycle lane beside the ring road. "
            "A tramway depot is planned too.",
        )
        # By its words at once (the full-text index is the database's own)...
        assert backend.search("tramway depot")[0].article_id == archive[2].id
        # ...and by its meaning once the job article_update queues has run.
        services.article_vectors_refresh(article_ids=[archive[2].id])
        top = backend.search(bike_query)[0]
        assert top.article_id == archive[2].id and "dense" in top.method

    def test_a_prior_fact_check_comes_with_its_verdict(self, backend, archive):
        top = backend.search("wind turbines cause cancer")[0]
        assert top.claim_id is not None and top.verdict == "false"

    def test_the_claims_own_article_never_appears(self, backend, archive):
        matches = backend.search("wind turbines cancer", exclude_article_id=archive[3].id)
        assert archive[3].id not in [m.article_id for m in matches]

    def test_a_deleted_article_is_never_shown(self, backend, archive):
        assert backend.search("measles vaccination")[0].article_id == archive[1].id
        services.article_delete(article=archive[1], actor=roles.SYSTEM)
        assert archive[1].id not in [m.article_id for m in backend.search("measles vaccination")]

    @pytest.mark.parametrize("text", AWKWARD_QUERIES)
    def test_punctuation_heavy_and_empty_queries_return_cleanly(self, backend, archive, text):
        matches = backend.search(text)
        assert isinstance(matches, list)
        if not query_terms(text):  # nothing but stop words and signs: nothing was asked
            assert matches == []

    def test_the_snippet_marks_the_matched_words(self, backend, archive):
        snippet = backend.search("measles vaccination")[0].snippet
        assert "[[" in snippet and "]]" in snippet
        assert "easles" in snippet

    def test_limit_and_result_shape(self, backend, archive):
        for n in range(5):
            services.article_create(
                title=f"Wind turbines and health {n}", body="Wind turbines.", actor=roles.SYSTEM
            )
        matches = backend.search("wind turbines", limit=3)
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

    def test_word_statistics_keep_the_rarest_words_of_a_long_query(self, backend, archive):
        """After the statistics refresh (imports run it) a long query keeps its rarest
        words; the source is still found first, and words sharing a stem are one term."""
        backend.refresh_statistics()
        chatter = "the council city year people said news report today " * 3
        matches = backend.search(chatter + " wind turbines turbine cancer cancers study")
        assert matches[0].article_id == archive[3].id
