"""W3C Web Annotation Data Model: an AnnotationCollection whose first page embeds the
annotations (https://www.w3.org/TR/annotation-model/)."""

from .native import iso

CONTEXT = "http://www.w3.org/ns/anno.jsonld"


def collection_open(site: str, total: int, generated_at, dumps) -> str:
    """The text before the first annotation: the collection and its embedded first page,
    whose `items` the writer streams."""
    collection = f"{site}/api/v1/export/?format=w3c"
    head = dumps(
        {
            "@context": CONTEXT,
            "id": collection,
            "type": "AnnotationCollection",
            "label": "factcheck claims",
            "total": total,
            "generated": iso(generated_at),
        }
    )
    page = dumps({"id": f"{collection}&page=1", "type": "AnnotationPage", "startIndex": 0})
    return f'{head[:-1]},"first":{page[:-1]},"items":['


COLLECTION_CLOSE = "]}}\n"


def annotation(claim, site: str) -> dict:
    article = claim.article
    bodies = []
    if claim.verdict is not None:
        bodies.append(
            {
                "type": "TextualBody",
                "purpose": "assessing",
                "value": claim.verdict.label,
                "format": "text/plain",
            }
        )
    if claim.summary:
        bodies.append(
            {
                "type": "TextualBody",
                "purpose": "commenting",
                "value": claim.summary,
                "format": "text/plain",
            }
        )
    bodies += [
        {"type": "SpecificResource", "purpose": "linking", "source": source.url}
        for source in claim.sources
    ]
    result = {
        "id": f"{site}/api/v1/claims/{claim.id}/",
        "type": "Annotation",
        "motivation": "assessing",
        "created": claim.created_at,
        "modified": claim.updated_at,
        "target": {
            "source": article.url or f"{site}/articles/{article.id}/",
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": claim.exact,
                    "prefix": claim.prefix,
                    "suffix": claim.suffix,
                },
                {"type": "TextPositionSelector", "start": claim.start, "end": claim.end},
            ],
        },
    }
    if claim.created_by:
        result["creator"] = {"type": "Person", "nickname": claim.created_by}
    if bodies:
        result["body"] = bodies
    return result
