"""Request and response shapes. Responses follow the DESIGN contract (a claim is a `native`
export item plus `version`); requests are strict: unknown fields are refused by name."""

from django.contrib.auth import get_user_model
from rest_framework import serializers

from annotations.models import (
    Article,
    Claim,
    ClaimStatus,
    CoverageMatch,
    CoverageSearch,
    Source,
    SourceRelation,
    Verdict,
)

from . import limits

POSITION_HELP = (
    "Offset in Unicode code points (Python str indices, not UTF-16 units) into the article's "
    "body; end is exclusive."
)
UNKNOWN_FIELD = "Unknown field."
NOT_HTTP = "Enter a URL that starts with http:// or https://."
END_BEFORE_START = "end must be greater than start."


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know, so a typo is a 400 rather than silently ignored."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: [UNKNOWN_FIELD] for name in unknown})
        return super().to_internal_value(data)


def http_url(value: str) -> str:
    if not value.lower().startswith(("http://", "https://")):
        raise serializers.ValidationError(NOT_HTTP)
    return value


# -- responses ---------------------------------------------------------------------------


class VerdictSerializer(serializers.ModelSerializer):
    class Meta:
        model = Verdict
        fields = ["slug", "label", "rating_value", "colour", "position"]


class VerdictRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Verdict
        fields = ["slug", "label", "rating_value", "colour"]


class ArticleRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Article
        fields = ["id", "title", "url", "published_at"]


class SelectorSerializer(serializers.Serializer):
    exact = serializers.CharField()
    prefix = serializers.CharField()
    suffix = serializers.CharField()
    start = serializers.IntegerField(help_text=POSITION_HELP)
    end = serializers.IntegerField(help_text=POSITION_HELP)


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["id", "url", "title", "publisher", "relation", "quote", "accessed_at"]


class ClaimSerializer(serializers.ModelSerializer):
    article = ArticleRefSerializer(read_only=True)
    selector = SelectorSerializer(source="*", read_only=True)
    verdict = VerdictRefSerializer(read_only=True, allow_null=True)
    sources = SourceSerializer(many=True, read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    reviewed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    assignee = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Claim
        fields = [
            "id", "article", "selector", "claimant", "claim_date", "verdict", "summary",
            "status", "anchor_state", "sources", "created_by", "reviewed_by", "reviewed_at",
            "created_at", "updated_at", "version", "assignee",
        ]  # fmt: skip
        read_only_fields = fields


class ArticleSerializer(serializers.ModelSerializer):
    class Meta:
        model = Article
        fields = [
            "id", "title", "url", "publisher", "published_at", "language", "body", "byline",
            "is_archive", "revision", "reanchor_report", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class CoverageMatchSerializer(serializers.ModelSerializer):
    article = ArticleRefSerializer(read_only=True)
    prior_claim = serializers.SerializerMethodField()
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = CoverageMatch
        fields = [
            "id",
            "rank",
            "article",
            "prior_claim",
            "score",
            "method",
            "snippet",
            "decision",
            "decided_by",
            "decided_at",
        ]

    def get_prior_claim(self, match) -> dict | None:
        claim = match.prior_claim
        if claim is None:
            return None
        verdict = VerdictRefSerializer(claim.verdict).data if claim.verdict else None
        return {
            "id": claim.id,
            "exact": claim.exact,
            "claimant": claim.claimant,
            "verdict": verdict,
        }


class CoverageSearchSerializer(serializers.ModelSerializer):
    matches = CoverageMatchSerializer(many=True, read_only=True)

    class Meta:
        model = CoverageSearch
        fields = [
            "id",
            "claim",
            "status",
            "attempts",
            "error",
            "queued_at",
            "started_at",
            "finished_at",
            "matches",
        ]


# -- requests ----------------------------------------------------------------------------


class SelectorInput(StrictSerializer):
    exact = serializers.CharField(max_length=limits.MAX_QUOTE, trim_whitespace=False)
    prefix = serializers.CharField(
        max_length=limits.MAX_CONTEXT, required=False, allow_blank=True, trim_whitespace=False
    )
    suffix = serializers.CharField(
        max_length=limits.MAX_CONTEXT, required=False, allow_blank=True, trim_whitespace=False
    )
    start = serializers.IntegerField(min_value=0, required=False, help_text=POSITION_HELP)
    end = serializers.IntegerField(min_value=1, required=False, help_text=POSITION_HELP)

    def validate(self, data):
        start, end = data.get("start"), data.get("end")
        if start is not None and end is not None and end <= start:
            raise serializers.ValidationError({"end": [END_BEFORE_START]})
        return data


class SourceInput(StrictSerializer):
    url = serializers.URLField(max_length=limits.MAX_URL, validators=[http_url])
    title = serializers.CharField(max_length=limits.MAX_TITLE, required=False, allow_blank=True)
    publisher = serializers.CharField(max_length=200, required=False, allow_blank=True)
    quote = serializers.CharField(
        max_length=limits.MAX_SOURCE_QUOTE, required=False, allow_blank=True
    )
    relation = serializers.ChoiceField(SourceRelation.choices, default=SourceRelation.CONTEXT)
    accessed_at = serializers.DateTimeField(required=False, allow_null=True)


class ClaimWriteInput(StrictSerializer):
    selector = SelectorInput()
    claimant = serializers.CharField(
        max_length=limits.MAX_CLAIMANT, required=False, allow_blank=True
    )
    claim_date = serializers.DateField(required=False, allow_null=True)
    verdict = serializers.SlugRelatedField(
        slug_field="slug", queryset=Verdict.objects.all(), required=False, allow_null=True
    )
    summary = serializers.CharField(
        max_length=limits.MAX_SUMMARY, required=False, allow_blank=True, trim_whitespace=False
    )
    sources = SourceInput(many=True, required=False, max_length=limits.MAX_SOURCES)
    assignee = serializers.SlugRelatedField(
        slug_field="username",
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        allow_null=True,
    )


class ClaimCreateInput(ClaimWriteInput):
    article = serializers.PrimaryKeyRelatedField(queryset=Article.objects.all())


class ClaimUpdateInput(ClaimWriteInput):
    version = serializers.IntegerField(
        min_value=1, help_text="The version you read; a stale one gets 409 and changes nothing."
    )


class TransitionInput(StrictSerializer):
    to = serializers.ChoiceField(ClaimStatus.choices)
    reason = serializers.CharField(
        max_length=limits.MAX_REASON, required=False, allow_blank=True, default=""
    )


class ArticleInput(StrictSerializer):
    title = serializers.CharField(max_length=limits.MAX_TITLE)
    body = serializers.CharField(max_length=limits.MAX_BODY, trim_whitespace=False)
    url = serializers.URLField(
        max_length=limits.MAX_URL, required=False, allow_blank=True, validators=[http_url]
    )
    publisher = serializers.CharField(max_length=200, required=False, allow_blank=True)
    byline = serializers.CharField(max_length=300, required=False, allow_blank=True)
    published_at = serializers.DateTimeField(required=False, allow_null=True)
    language = serializers.CharField(max_length=16, required=False)
    is_archive = serializers.BooleanField(required=False)

    def validate_url(self, value: str) -> str:
        others = Article.objects.filter(url=value.strip())
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if value and others.exists():
            raise serializers.ValidationError("An article with this url already exists.")
        return value


class DecisionInput(StrictSerializer):
    decision = serializers.ChoiceField(
        [("confirmed", "Confirmed"), ("dismissed", "Dismissed"), ("", "Undecided")],
        allow_blank=True,
    )


class ExportQuery(StrictSerializer):
    format = serializers.ChoiceField(
        ["native", "native-jsonl", "claimreview", "w3c"], default="native"
    )
    status = serializers.ChoiceField(ClaimStatus.choices, required=False)
    article = serializers.IntegerField(min_value=1, required=False)
    since = serializers.DateTimeField(required=False)


class ErrorSerializer(serializers.Serializer):
    """Every 4xx body: `detail` for the request as a whole, or field names mapped to the
    reasons (nested for `selector` and `sources`)."""

    detail = serializers.CharField(required=False)


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    current = ClaimSerializer()
