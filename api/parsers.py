"""The API's request parsers: DRF's, with every malformed JSON body answered as a 400."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers


class JSONParser(parsers.JSONParser):
    """A body nested deeper than Python's parser goes (100,000 ``[``) raised RecursionError, a 500; it is a parse
    error like any other malformed JSON."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise exceptions.ParseError(_("JSON parse error: the body is nested too deeply.")) from exc
