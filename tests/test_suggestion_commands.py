"""train_suggestions and suggest_sentences: what the jobs run, by hand."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from annotations.models import ArticleSentence, SuggestionModel
from tests.factories import ArticleFactory
from tests.suggestions.desk import write_desk

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_suggest_sentences_scores_one_article_or_all():
    first, second = ArticleFactory(), ArticleFactory()
    ArticleFactory(is_archive=True)
    out, _ = run("suggest_sentences", "--article", str(first.id))
    assert out.strip() == f"Article {first.id}: 3 sentence(s) scored."
    out, err = run("suggest_sentences", "--all")
    assert out.strip() == "Scored 3 sentence(s)."  # the first was scored already
    assert "2/2 articles" in err
    assert set(ArticleSentence.objects.values_list("article_id", flat=True)) == {
        first.id,
        second.id,
    }


def test_suggest_sentences_names_a_bad_id():
    with pytest.raises(CommandError, match="No article with id 424242"):
        run("suggest_sentences", "--article", "424242")
    archived = ArticleFactory(is_archive=True)
    with pytest.raises(CommandError, match="in the archive"):
        run("suggest_sentences", "--article", str(archived.id))
    with pytest.raises(CommandError):
        run("suggest_sentences")


def test_train_suggestions_reports_its_cross_validated_figures(settings):
    settings.SUGGESTIONS_MIN_CLAIMS = 10
    write_desk(10)
    out, _ = run("train_suggestions", "--report")
    model = SuggestionModel.objects.get()
    assert out.splitlines()[0].startswith(f"Model {model.id}: 90 sentences (30 marked)")
    assert "learned model   F1" in out and "cue heuristic   F1" in out
    assert "Labels: 30 claims, 0 dismissed suggestions." in out


def test_train_suggestions_below_the_minimum_says_why(settings):
    settings.SUGGESTIONS_MIN_CLAIMS = 30
    write_desk(2)
    with pytest.raises(CommandError, match=r"6 claim.*from 30 on"):
        run("train_suggestions")
