"""Request and response shapes. Responses follow the DESIGN contract (a claim is a `native`
export item plus `version`); requests are strict: unknown fields are refused by name."""

import copy

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import Field
from rest_framework.relations import PKOnlyObject

from annotations import limits, selectors, services, validators
from annotations.models import (
    Article,
    Claim,
    ClaimNote,
    ClaimStatus,
    CoverageMatch,
    CoverageSearch,
    Source,
    SourceRelation,
    Verdict,
)
from annotations.search.base import is_weak

POSITION_HELP = (
    "Offset in Unicode code points (Python str indices, not UTF-16 units) into the article's "
    "body; end is exclusive."
)
UNKNOWN_FIELD = "Unknown field."
END_BEFORE_START = "end must be greater than start."


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know, so a typo is a 400 rather than silently ignored."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: [UNKNOWN_FIELD] for name in unknown})
        return super().to_internal_value(data)


# -- responses ---------------------------------------------------------------------------


class FieldsBuiltOnce:
    """For a read-only ModelSerializer: its fields are worked out from the model once per
    class, not on every serializer made (a list response makes several per request: the
    model introspection was half the time of serialising a page of 10 claims), and which of
    them read a plain attribute is worked out once per serializer, not on every row."""

    _built_fields: dict | None = None

    def get_fields(self):
        cls = type(self)
        if cls.__dict__.get("_built_fields") is None:
            cls._built_fields = super().get_fields()
        return copy.deepcopy(cls._built_fields)

    def to_representation(self, instance):
        # DRF's loop. A field whose source is one plain attribute (a column, a related row,
        # an annotation) is read with getattr; DRF's general path (dotted sources, methods,
        # mappings, defaults) is the third of a page's time and serves the others.
        # tests/api/test_serializers.py holds this to DRF's own output.
        plan = self.__dict__.get("_read_plan")
        if plan is None:
            plan = self._read_plan = [
                (field.field_name, field, _plain_attribute(field, type(instance)))
                for field in self._readable_fields
            ]
        out = {}
        for name, field, attribute in plan:
            try:
                value = _read(field, instance, attribute)
            except serializers.SkipField:
                continue
            empty = value.pk is None if isinstance(value, PKOnlyObject) else value is None
            out[name] = None if empty else field.to_representation(value)
        return out


def _read(field, instance, attribute: str | None):
    if attribute is not None:
        try:
            return getattr(instance, attribute)
        except AttributeError:  # an annotation this row lacks: DRF's default applies
            pass
    return field.get_attribute(instance)


def _plain_attribute(field, model) -> str | None:
    """The attribute `field` reads when DRF would only getattr it (one source name, no
    get_attribute of its own, not a method), else None."""
    if len(field.source_attrs) != 1 or type(field).get_attribute is not Field.get_attribute:
        return None
    name = field.source_attrs[0]
    return None if callable(getattr(model, name, None)) else name


class VerdictSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    class Meta:
        model = Verdict
        fields = ["slug", "label", "rating_value", "colour", "position"]


class VerdictRefSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    class Meta:
        model = Verdict
        fields = ["slug", "label", "rating_value", "colour"]


@extend_schema_field(
    {
        "type": "string",
        "description": "The article's address, or an empty string when it has none.",
        "anyOf": [{"format": "uri"}, {"maxLength": 0}],
    }
)
class ArticleURLField(serializers.CharField):
    """An article's url: an http(s) address or "" (a pasted article may have none), so the
    schema cannot promise a URI."""


class ArticleRefSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    url = ArticleURLField(read_only=True)

    class Meta:
        model = Article
        fields = ["id", "title", "url", "published_at"]


class SelectorSerializer(serializers.Serializer):
    exact = serializers.CharField()
    prefix = serializers.CharField()
    suffix = serializers.CharField()
    start = serializers.IntegerField(help_text=POSITION_HELP)
    end = serializers.IntegerField(help_text=POSITION_HELP)


class ProposedSelectorSerializer(serializers.Serializer):
    exact = serializers.CharField(source="proposed_exact")
    start = serializers.IntegerField(source="proposed_start", help_text=POSITION_HELP)
    end = serializers.IntegerField(source="proposed_end", help_text=POSITION_HELP)


class SourceSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["id", "url", "title", "publisher", "relation", "quote", "accessed_at"]


class TransitionOfferSerializer(serializers.Serializer):
    to = serializers.ChoiceField(ClaimStatus.choices)
    label = serializers.CharField()
    needs_reason = serializers.BooleanField()
    confirm = serializers.CharField(
        help_text="A question to ask before making the move (publishing), or an empty string."
    )


class ClaimSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    """A claim as the API, the editor page and the native export show it. With the request
    in the context, it also says what the requesting user may do with it (the rules as data:
    the editor draws its buttons from `allowed_transitions` and `can_edit`)."""

    article = ArticleRefSerializer(read_only=True)
    selector = SelectorSerializer(source="*", read_only=True)
    proposed_selector = serializers.SerializerMethodField(
        help_text="When the article's text changed under the claim (anchor_state `changed`): "
        "the edited words proposed as its new place. Accept them by sending this selector."
    )
    verdict = VerdictRefSerializer(read_only=True, allow_null=True)
    sources = SourceSerializer(many=True, read_only=True, source="source_list")
    created_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    reviewed_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    assignee = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    allowed_transitions = serializers.SerializerMethodField()
    can_edit = serializers.SerializerMethodField()
    changes_send_back = serializers.SerializerMethodField(
        help_text="Whether changing its quote, claimant, date, verdict, summary or sources "
        "takes it back to draft (it is in review or approved)."
    )
    note_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Claim
        fields = [
            "id", "article", "selector", "proposed_selector", "claimant", "claim_date",
            "verdict", "summary", "status", "anchor_state", "sources", "created_by",
            "reviewed_by", "reviewed_at", "created_at", "updated_at", "version", "assignee",
            "allowed_transitions", "can_edit", "changes_send_back", "note_count",
        ]  # fmt: skip
        read_only_fields = fields

    def _user(self):
        request = self.context.get("request")
        return request.user if request is not None else None

    @extend_schema_field(ProposedSelectorSerializer(allow_null=True))
    def get_proposed_selector(self, claim) -> dict | None:
        if claim.proposed_start is None:
            return None
        return ProposedSelectorSerializer(claim).data

    @extend_schema_field(TransitionOfferSerializer(many=True))
    def get_allowed_transitions(self, claim) -> list[dict]:
        return [
            move.offer() for move in services.claim_transitions_for(claim=claim, user=self._user())
        ]

    def get_can_edit(self, claim) -> bool:
        return services.claim_can_edit(claim=claim, user=self._user())

    def get_changes_send_back(self, claim) -> bool:
        return services.claim_change_sends_back(claim=claim)


class ArticleSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    url = ArticleURLField(read_only=True)

    class Meta:
        model = Article
        fields = [
            "id", "title", "url", "publisher", "published_at", "language", "body", "byline",
            "is_archive", "revision", "reanchor_report", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class PriorClaimSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    exact = serializers.CharField()
    claimant = serializers.CharField()
    verdict = VerdictRefSerializer(allow_null=True)


class VerdictNameSerializer(serializers.Serializer):
    slug = serializers.CharField()
    label = serializers.CharField()


class AlsoCheckedSerializer(serializers.Serializer):
    """A near-duplicate of a match (the same claim checked again), folded under it."""

    article_id = serializers.IntegerField()
    claim_id = serializers.IntegerField(allow_null=True)
    title = serializers.CharField()
    link = serializers.URLField(help_text="The earlier fact-check's page, else the article.")
    verdict = VerdictNameSerializer(allow_null=True)


class CoverageMatchSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    article = ArticleRefSerializer(read_only=True)
    also_checked = AlsoCheckedSerializer(
        many=True,
        read_only=True,
        help_text="Near-duplicates ranked lower (the same claim checked again), folded here.",
    )
    weak = serializers.SerializerMethodField(
        help_text="No closer to the claim than the search's average candidate (its score is "
        "below 0): shown apart, as a weaker match."
    )
    prior_claim = serializers.SerializerMethodField()
    link = serializers.SerializerMethodField(
        help_text="Where to read it: the earlier fact-check's page, else the article."
    )
    decided_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = CoverageMatch
        fields = [
            "id",
            "rank",
            "article",
            "prior_claim",
            "link",
            "score",
            "method",
            "snippet",
            "decision",
            "decided_by",
            "decided_at",
            "also_checked",
            "weak",
        ]

    def get_link(self, match) -> str:
        return selectors.match_link(match)

    def get_weak(self, match) -> bool:
        return is_weak(match.score)

    @extend_schema_field(PriorClaimSerializer(allow_null=True))
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


class NoteSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    transition = serializers.SerializerMethodField(
        help_text="When the note is a transition's reason (a send-back): the status it moved to."
    )

    class Meta:
        model = ClaimNote
        fields = ["id", "author", "text", "created_at", "transition"]

    def get_transition(self, note) -> str | None:
        return note.transition.to_status if note.transition_id else None


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
    id = serializers.IntegerField(
        required=False,
        help_text="In an update: the source to change (fields you leave out are kept). Sources "
        "missing from the list are removed; items without an id are added.",
    )
    url = serializers.URLField(max_length=limits.MAX_URL, validators=[validators.http_url])
    title = serializers.CharField(max_length=limits.MAX_TITLE, required=False, allow_blank=True)
    publisher = serializers.CharField(
        max_length=limits.MAX_PUBLISHER, required=False, allow_blank=True
    )
    quote = serializers.CharField(
        max_length=limits.MAX_SOURCE_QUOTE, required=False, allow_blank=True
    )
    relation = serializers.ChoiceField(SourceRelation.choices, default=SourceRelation.CONTEXT)
    accessed_at = serializers.DateTimeField(required=False, allow_null=True)


class ClaimWriteInput(StrictSerializer):
    selector = SelectorInput()
    exact_characters = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Keep exactly the selected characters even where they cut a word (by "
        "default a quote must start and end on word boundaries).",
    )
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
    revision = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="In an update: the revision of the text you read; a stale one gets 409 with "
        "the current article and changes nothing. Without it the update is applied as is.",
    )
    title = serializers.CharField(max_length=limits.MAX_TITLE)
    body = serializers.CharField(max_length=limits.MAX_BODY, trim_whitespace=False)
    url = serializers.URLField(
        max_length=limits.MAX_URL,
        required=False,
        allow_blank=True,
        validators=[validators.http_url],
    )
    publisher = serializers.CharField(
        max_length=limits.MAX_PUBLISHER, required=False, allow_blank=True
    )
    byline = serializers.CharField(max_length=limits.MAX_BYLINE, required=False, allow_blank=True)
    published_at = serializers.DateTimeField(required=False, allow_null=True)
    language = serializers.CharField(max_length=limits.MAX_LANGUAGE, required=False)
    is_archive = serializers.BooleanField(required=False)

    def validate_url(self, value: str) -> str:
        others = Article.objects.filter(url=value.strip())
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if value and others.exists():
            raise serializers.ValidationError("An article with this url already exists.")
        return value


class NoteInput(StrictSerializer):
    text = serializers.CharField(max_length=limits.MAX_NOTE)


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
    article = serializers.IntegerField(min_value=1, max_value=limits.MAX_ID, required=False)
    since = serializers.DateTimeField(required=False)


class SuggestionSerializer(serializers.Serializer):
    """One sentence of an article's current text, as the suggestion job scored it."""

    n = serializers.IntegerField(help_text="The sentence's number in the text, from 0.")
    start = serializers.IntegerField(help_text=POSITION_HELP)
    end = serializers.IntegerField(help_text=POSITION_HELP)
    text = serializers.CharField()
    score = serializers.FloatField(
        help_text="How likely a claim worth checking, 0 to 1 (the desk's model, or the cue "
        "heuristic before it has one, and until the job has scored this revision of the text)."
    )
    suggested = serializers.BooleanField(
        help_text="In the top share of the article's sentences by score (SUGGESTIONS_TOP_SHARE)."
    )
    status = serializers.ChoiceField(
        [("open", "Open"), ("dismissed", "Dismissed"), ("claimed", "Claimed")],
        help_text="`claimed`: a claim of the article stands on it; `dismissed`: an editor said "
        "it is not worth checking; else `open`.",
    )


class DismissInput(StrictSerializer):
    """Nothing to send: the sentence is named by the address."""


class ErrorSerializer(serializers.Serializer):
    """Every 4xx body: `detail` for the request as a whole, or field names mapped to the
    reasons (nested for `selector` and `sources`)."""

    detail = serializers.CharField(required=False)


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    current = ClaimSerializer()


class DuplicateSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    existing = ClaimSerializer()


class ArticleConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    current = ArticleSerializer()
