"""Thin API views: parse with an input serializer, call a service, answer with the output
serializer."""

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations import exports, services
from annotations.anchoring import Selector
from annotations.models import Article, Claim, ClaimStatus, Verdict
from annotations.selectors import (
    claim_notes,
    claims_with_details,
    latest_search,
    match_details,
)

from . import claim_list
from . import serializers as s
from .filters import ClaimFilter
from .pagination import Pagination
from .permissions import IsEditor, IsReviewer

NO_SEARCH_YET = "No related-coverage search has been run for this claim yet."


def source_data(items) -> list[services.SourceData]:
    return [services.SourceData(**item) for item in items]


def conflict(detail: str, code: str, **payload) -> Response:
    return Response({"detail": detail, "code": code, **payload}, status=status.HTTP_409_CONFLICT)


@extend_schema_view(
    list=extend_schema(responses={200: s.ArticleSerializer}),
    retrieve=extend_schema(responses={200: s.ArticleSerializer}),
    create=extend_schema(request=s.ArticleInput, responses={201: s.ArticleSerializer}),
    update=extend_schema(
        request=s.ArticleInput,
        responses={200: s.ArticleSerializer, 409: s.ArticleConflictSerializer},
    ),
    partial_update=extend_schema(
        request=s.ArticleInput,
        responses={200: s.ArticleSerializer, 409: s.ArticleConflictSerializer},
    ),
    destroy=extend_schema(responses={204: None}),
)
class ArticleViewSet(viewsets.ModelViewSet):
    """Articles. Updating `body` re-anchors the article's claims; the counts are in
    `reanchor_report`."""

    queryset = Article.objects.order_by("-published_at", "-id")
    serializer_class = s.ArticleSerializer
    pagination_class = Pagination

    def get_permissions(self):
        if self.action == "destroy":
            return [IsReviewer()]
        return [IsEditor()]

    def create(self, request, *args, **kwargs):
        data = self._input(request)
        data.pop("revision", None)
        article = services.article_create(**data, actor=request.user)
        return Response(s.ArticleSerializer(article).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        article = self.get_object()
        data = self._input(request, instance=article, partial=kwargs.get("partial", False))
        try:
            article = services.article_update(article=article, actor=request.user, **data)
        except services.ArticleConflict as stale:
            current = s.ArticleSerializer(stale.current).data
            return conflict(str(stale), "stale_revision", current=current)
        return Response(s.ArticleSerializer(article).data)

    def perform_destroy(self, instance):
        services.article_delete(article=instance, actor=self.request.user)

    @extend_schema(
        responses={200: s.SuggestionSerializer(many=True)},
        description="Every sentence of the article's current text, in order, with its score, "
        "whether it is suggested (the top share by score) and its status. Scores are computed "
        "by a job when the text is created or changed; until it has run, the scores are the "
        "cue heuristic's and the header `Suggestions-Pending: true` is sent.",
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def suggestions(self, request, pk=None):
        article = self.get_object()
        found = services.article_suggestions(article)
        response = Response(s.SuggestionSerializer(found.sentences, many=True).data)
        if found.pending:
            response["Suggestions-Pending"] = "true"
        return response

    @extend_schema(
        request=None,
        parameters=[
            OpenApiParameter("n", int, OpenApiParameter.PATH, description="The sentence's n.")
        ],
        responses={200: s.SuggestionSerializer, 404: s.ErrorSerializer},
        description="Say the sentence is not worth checking: it is no longer suggested (also "
        "after the text is scored again, and wherever the same sentence stands after an edit) "
        "and it teaches the desk's model. Dismissing again changes nothing.",
    )
    @action(detail=True, methods=["post"], url_path=r"suggestions/(?P<n>[0-9]+)/dismiss")
    def dismiss_suggestion(self, request, pk=None, n=None):
        article = self.get_object()
        s.DismissInput(data=request.data or {}).is_valid(raise_exception=True)
        try:
            sentence = services.suggestion_dismiss(article=article, n=int(n), actor=request.user)
        except services.SentenceNotFound as missing:
            raise NotFound(str(missing)) from None
        return Response(s.SuggestionSerializer(sentence).data)

    def _input(self, request, instance=None, partial=False) -> dict:
        serializer = s.ArticleInput(data=request.data, instance=instance, partial=partial)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


@extend_schema_view(
    list=extend_schema(responses={200: s.ClaimSerializer}),
    retrieve=extend_schema(responses={200: s.ClaimSerializer}),
    create=extend_schema(
        request=s.ClaimCreateInput,
        responses={201: s.ClaimSerializer, 409: s.DuplicateSerializer},
    ),
    update=extend_schema(
        request=s.ClaimUpdateInput,
        responses={200: s.ClaimSerializer, 409: s.ConflictSerializer},
        description="A stale `version` gets 409 with code `stale_version`; words and claimant "
        "another claim already marks get 409 with code `duplicate_claim`.",
    ),
    partial_update=extend_schema(
        request=s.ClaimUpdateInput,
        responses={200: s.ClaimSerializer, 409: s.ConflictSerializer},
        description="A stale `version` gets 409 with code `stale_version`; words and claimant "
        "another claim already marks get 409 with code `duplicate_claim`.",
    ),
    destroy=extend_schema(responses={204: None}),
)
class ClaimViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Claims marked in articles, with their selector, verdict and sources."""

    serializer_class = s.ClaimSerializer
    permission_classes = [IsEditor]
    pagination_class = Pagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = ClaimFilter

    def get_queryset(self):
        if self.action in ("notes", "related"):  # only the claim's row is needed
            return Claim.objects.all()
        return claims_with_details().order_by("-created_at", "-id")

    def filter_queryset(self, queryset):
        # The list's filters narrow the list only (DESIGN: `claims/` takes them): a claim's
        # own URL and its notes are found whatever the query says.
        return queryset

    def list(self, request, *args, **kwargs):
        # ClaimFilter checks the query's values (an unknown verdict is a 400); claim_list
        # reads the page (see there why not the ORM).
        query = ClaimFilter.query_form()(request.query_params)
        if not query.is_valid():
            raise translate_validation(query.errors)
        rows = self.paginate_queryset(claim_list.ClaimRows(query.cleaned_data))
        return self.get_paginated_response(claim_list.claim_items(rows, user=request.user))

    def create(self, request, *args, **kwargs):
        serializer = s.ClaimCreateInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        selector = Selector(**data.pop("selector"))
        sources = source_data(data.pop("sources", []))
        try:
            claim = services.claim_create(
                **data, selector=selector, sources=sources, actor=request.user
            )
        except services.ClaimDuplicate as duplicate:
            return conflict(
                str(duplicate), "duplicate_claim", existing=self._read(duplicate.existing)
            )
        return Response(self._read(claim), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        claim = self.get_object()
        partial = kwargs.get("partial", False)
        serializer = s.ClaimUpdateInput(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "version" not in data:
            return Response({"version": ["This field is required."]}, status=400)
        if "selector" in data:
            data["selector"] = Selector(**data["selector"])
        if "sources" in data:
            data["sources"] = services.SourceChanges.replacing(claim, data["sources"])
        try:
            claim = services.claim_update(claim=claim, actor=request.user, **data)
        except services.ClaimConflict as stale:
            return conflict(str(stale), "stale_version", current=self._read(stale.current))
        except services.ClaimDuplicate as duplicate:
            return conflict(
                str(duplicate), "duplicate_claim", existing=self._read(duplicate.existing)
            )
        return Response(self._read(claim))

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def perform_destroy(self, instance):
        services.claim_delete(claim=instance, actor=self.request.user)

    @extend_schema(request=s.TransitionInput, responses={200: s.ClaimSerializer})
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the claim through review: editors submit (`in_review`); reviewers approve,
        publish, or send back to `draft` with a reason."""
        claim = self.get_object()
        serializer = s.TransitionInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        claim = services.claim_transition(
            claim=claim, actor=request.user, **serializer.validated_data
        )
        return Response(self._read(claim))

    @extend_schema(
        methods=["GET"],
        responses={200: s.CoverageSearchSerializer, 404: s.ErrorSerializer},
    )
    @extend_schema(methods=["POST"], request=None, responses={202: s.CoverageSearchSerializer})
    @action(detail=True, methods=["get", "post"])
    def related(self, request, pk=None):
        """GET: the latest related-coverage search of the claim, with its status and matches.
        POST: queue a new search (202 with the job; poll GET for its progress)."""
        claim = self.get_object()
        if request.method == "POST":
            search = services.coverage_search_queue(claim=claim, requested_by=request.user)
            return Response(
                s.CoverageSearchSerializer(search).data, status=status.HTTP_202_ACCEPTED
            )
        search = latest_search(claim, with_matches=True)
        if search is None:
            raise NotFound(NO_SEARCH_YET)
        return Response(s.CoverageSearchSerializer(search).data)

    @extend_schema(
        methods=["GET"],
        responses={200: s.NoteSerializer(many=True), 404: s.ErrorSerializer},
        filters=False,
    )
    @extend_schema(methods=["POST"], request=s.NoteInput, responses={201: s.NoteSerializer})
    @action(detail=True, methods=["get", "post"])
    def notes(self, request, pk=None):
        """GET: the claim's notes, oldest first (paginated). POST `{"text"}`: add one."""
        claim = self.get_object()
        if request.method == "POST":
            serializer = s.NoteInput(data=request.data)
            serializer.is_valid(raise_exception=True)
            note = services.note_create(
                claim=claim, actor=request.user, **serializer.validated_data
            )
            note = claim_notes(claim).get(pk=note.pk)
            return Response(s.NoteSerializer(note).data, status=status.HTTP_201_CREATED)
        page = self.paginate_queryset(claim_notes(claim))
        return self.get_paginated_response(s.NoteSerializer(page, many=True).data)

    def _read(self, claim: Claim) -> dict:
        fresh = self.get_queryset().get(pk=claim.pk)
        return s.ClaimSerializer(fresh, context=self.get_serializer_context()).data


class MatchViewSet(viewsets.GenericViewSet):
    """A match found by a related-coverage search; editors confirm or dismiss it."""

    queryset = match_details()
    serializer_class = s.CoverageMatchSerializer
    permission_classes = [IsEditor]

    @extend_schema(request=s.DecisionInput, responses={200: s.CoverageMatchSerializer})
    @action(detail=True, methods=["post"])
    def decision(self, request, pk=None):
        match = self.get_object()
        serializer = s.DecisionInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        match = services.coverage_match_decide(
            match=match, actor=request.user, **serializer.validated_data
        )
        return Response(s.CoverageMatchSerializer(match_details().get(pk=match.pk)).data)

    @extend_schema(
        request=None,
        responses={200: s.ClaimSerializer, 409: s.ConflictSerializer},
    )
    @action(detail=True, methods=["post"])
    def source(self, request, pk=None):
        """Use this match as a source of its claim (relation `context`, editable after);
        answers with the claim. Adding the same source twice adds it once."""
        match = self.get_object()
        claim = services.claim_add_source_from_match(match=match, actor=request.user)
        fresh = claims_with_details().get(pk=claim.pk)
        return Response(s.ClaimSerializer(fresh, context=self.get_serializer_context()).data)


@extend_schema_view(
    list=extend_schema(responses={200: s.VerdictSerializer}),
    retrieve=extend_schema(responses={200: s.VerdictSerializer}),
)
class VerdictViewSet(viewsets.ReadOnlyModelViewSet):
    """The rating scale, best to worst; ratings outside the ordinal range have no
    rating_value."""

    queryset = Verdict.objects.order_by("position", "id")
    serializer_class = s.VerdictSerializer
    permission_classes = [IsEditor]
    pagination_class = Pagination
    lookup_field = "slug"


class ExportFormatNegotiation(DefaultContentNegotiation):
    """`format` names the export shape here (the contract), not a DRF renderer."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ExportView(APIView):
    """Claims as a streamed JSON download: `format` native (default), native-jsonl,
    claimreview or w3c; filters `status`, `article`, `since` (a date or date-time)."""

    permission_classes = [IsEditor]
    content_negotiation_class = ExportFormatNegotiation

    @extend_schema(
        parameters=[s.ExportQuery],
        responses={(200, "application/json"): OpenApiResponse(description="the export")},
    )
    def get(self, request):
        query = s.ExportQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        fmt = query.validated_data["format"]
        claims = exports.claims_for_export(
            fmt=fmt,
            status=query.validated_data.get("status"),
            article=query.validated_data.get("article"),
            since=query.validated_data.get("since"),
        )
        chunks = exports.write(fmt, claims, report=exports.ExportReport())
        jsonl = fmt == "native-jsonl"
        response = StreamingHttpResponse(
            (chunk.encode() for chunk in chunks),
            content_type="application/x-ndjson" if jsonl else "application/json",
        )
        name = f"factcheck-claims-{fmt}-{timezone.now():%Y%m%d}.{'jsonl' if jsonl else 'json'}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class ArticleClaimReviewView(APIView):
    """The ClaimReview objects of an article's published claims, as a CMS embeds them in the
    published page (JSON-LD)."""

    permission_classes = [IsEditor]

    @extend_schema(responses={200: OpenApiResponse(description="a JSON array")})
    def get(self, request, article_id: int):
        if not Article.objects.filter(pk=article_id).exists():
            raise NotFound("No such article.")
        claims = exports.claims_for_export(fmt="claimreview", article=article_id).filter(
            status=ClaimStatus.PUBLISHED
        )
        text = "".join(exports.write("claimreview", claims, report=exports.ExportReport()))
        return HttpResponse(text, content_type="application/ld+json")


class ObtainTokenView(ObtainAuthToken):
    """DRF's token login, with django-axes' lockout. The serializer authenticates with the
    Django request rather than DRF's wrapper: axes marks a locked-out login on the request it
    is given, and its middleware only sees marks on the Django request."""

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "request": self.request._request}
