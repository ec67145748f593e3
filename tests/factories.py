"""factory_boy factories that keep related objects consistent (a claim's quote is always in
its article's text)."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from annotations import anchoring
from annotations.models import AnchorState, Article, Claim, ClaimStatus, Source, Verdict

ARTICLE_BODY = (
    "The finance minister said on Monday that taxes fell by 10 percent last year.\n"
    "Opposition parties disputed the figure and said most households paid more.\n"
    "The statistics office will publish its own estimate in March."
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*(Group.objects.get(name=name) for name in extracted))


def editor(**kwargs):
    return UserFactory(groups=["editor"], **kwargs)


def reviewer(**kwargs):
    return UserFactory(groups=["reviewer"], **kwargs)


def staff(**kwargs):
    """Staff without a role: the admin's door opens, and that is all."""
    return UserFactory(is_staff=True, **kwargs)


def superuser(**kwargs):
    return UserFactory(is_staff=True, is_superuser=True, **kwargs)


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Minister's tax claim, part {n}")
    url = factory.Sequence(lambda n: f"https://news.example.org/articles/{n}")
    publisher = "Example News"
    body = ARTICLE_BODY


class ClaimFactory(factory.django.DjangoModelFactory):
    """A claim on `quote`, which must occur in the article's body."""

    class Meta:
        model = Claim
        exclude = ["quote", "anchor"]
        skip_postgeneration_save = True

    article = factory.SubFactory(ArticleFactory)
    quote = "taxes fell by 10 percent last year"
    anchor = factory.LazyAttribute(
        lambda o: anchoring.locate(o.article.body, anchoring.Selector(o.quote))
    )
    exact = factory.LazyAttribute(lambda o: o.anchor.exact)
    prefix = factory.LazyAttribute(lambda o: o.anchor.prefix)
    suffix = factory.LazyAttribute(lambda o: o.anchor.suffix)
    start = factory.LazyAttribute(lambda o: o.anchor.start)
    end = factory.LazyAttribute(lambda o: o.anchor.end)
    claimant = "Finance minister"
    verdict = factory.LazyFunction(lambda: Verdict.objects.get(slug="false"))
    summary = "Tax receipts rose; the minister compared different years."
    status = ClaimStatus.DRAFT

    class Params:
        # With a source too: everything approval needs (FACTCHECK_APPROVAL_REQUIRES).
        ready = factory.Trait(
            source=factory.RelatedFactory("tests.factories.SourceFactory", "claim")
        )


def claim_with_proposed_place(**kwargs) -> Claim:
    """A claim the article's text changed under (anchor_state `changed`), its own words
    proposed as its new place."""
    claim = ClaimFactory(**kwargs)
    Claim.objects.filter(pk=claim.pk).update(
        anchor_state=AnchorState.CHANGED,
        proposed_exact=claim.exact,
        proposed_start=claim.start,
        proposed_end=claim.end,
    )
    return claim


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    claim = factory.SubFactory(ClaimFactory)
    url = factory.Sequence(lambda n: f"https://stats.example.org/tables/{n}")
    title = "Tax receipts by year"
    relation = "refutes"
