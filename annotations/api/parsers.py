"""JSON request bodies, read strictly: bodies nested absurdly deep or holding text no
database can store are a 400 that says where, never a 500."""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from annotations import validators

MAX_DEPTH = 32  # our deepest input (a claim's sources) is 3 levels
TOO_DEEP = f"JSON parse error - nested more than {MAX_DEPTH} levels deep"
BAD_TEXT = "JSON parse error - {where}: {reason}"


def _check(data) -> None:
    stack = [(data, "", 1)]
    while stack:
        value, where, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ParseError(TOO_DEEP)
        if isinstance(value, str):
            try:
                validators.storable_text(value)
            except validators.ValidationError as error:
                raise ParseError(
                    BAD_TEXT.format(where=where or "the body", reason=error.messages[0])
                ) from None
        elif isinstance(value, dict):
            for key, item in value.items():
                stack.append((key, f"{where}{key} (a key)", depth))
                stack.append((item, f"{where}.{key}" if where else key, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, f"{where}[{i}]", depth + 1) for i, item in enumerate(value))


class StrictJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(TOO_DEEP) from None
        _check(data)
        return data
