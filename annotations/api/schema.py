"""The OpenAPI schema says every status an operation can answer: drf-spectacular documents
the successes the views declare, and this hook adds the errors every operation shares, in
one place, so the schema and the responses cannot drift apart (schemathesis checks them in
tests/api/test_schema_fuzz.py)."""

ERROR_SCHEMA = {
    "type": "object",
    "description": "`detail` for the request as a whole, or each field mapped to its reasons "
    "(nested for `selector` and `sources`); `code` where a client may act on it.",
    "properties": {
        "detail": {"type": "string"},
        "code": {"type": "string"},
    },
    "additionalProperties": True,
}
SHARED_ERRORS = {
    "400": "Invalid input: each field with its reasons",
    "401": "Not logged in",
    "403": "Not allowed for your role",
    "404": "No such object, or a page past the last",
    "413": "The request body is larger than the limit",
    "429": "Too many failed logins: try again later (Retry-After)",
}


def add_shared_errors(result, generator, request, public):
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR_SCHEMA)
    reference = {"$ref": "#/components/schemas/Error"}
    for path in result.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            for status, description in SHARED_ERRORS.items():
                responses.setdefault(
                    status,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": reference}},
                    },
                )
    return result
