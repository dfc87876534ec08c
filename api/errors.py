"""API errors: every error carries a stable, machine-readable ``code`` beside its translated message.

The body keeps DRF's shape (``{"field": ["message"]}``, ``{"detail": "message"}``; a bare list of messages becomes
``{"non_field_errors": [...]}``) and adds ``errors``: one ``{"field", "code", "message"}`` per problem (``field`` is
null for the request as a whole).
Codes come from the ``ValidationError(code=…)`` a service raises — each app keeps its codes in an enum in
``<app>/error_codes.py`` — or from DRF and Django (``required``, ``does_not_exist``, ``not_found``,
``permission_denied``, ``not_authenticated``, ``throttled`` …); a message raised without one has ``invalid``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler


class ErrorCode(StrEnum):
    """Codes of the API itself (the apps add theirs: ``demands.error_codes`` …)."""

    INVALID = "invalid"
    NOT_FOUND = "not_found"  # also what an object outside the scope answers
    PERMISSION_DENIED = "permission_denied"
    NOT_AUTHENTICATED = "not_authenticated"
    OUT_OF_SCOPE = "out_of_scope"  # a write would move the record outside the writer's scope
    REQUEST_TOO_LARGE = "request_too_large"  # the body is over DATA_UPLOAD_MAX_MEMORY_SIZE
    BAD_REQUEST = "bad_request"  # a request Django refuses as malformed (too many fields …)


def _details(exc: DjangoValidationError) -> Any:
    """A Django ValidationError as DRF's detail, each message keeping its code."""
    def detail(error: DjangoValidationError) -> ErrorDetail:
        message = error.message % error.params if error.params else error.message
        return ErrorDetail(str(message), code=error.code or ErrorCode.INVALID)

    if hasattr(exc, "error_dict"):
        return {field: [detail(e) for e in errors] for field, errors in exc.error_dict.items()}
    return {api_settings.NON_FIELD_ERRORS_KEY: [detail(e) for e in exc.error_list]}


def _flatten(detail: Any, field: str | None = None) -> list[dict[str, Any]]:
    if isinstance(detail, dict):
        return [item for key, value in detail.items()
                for item in _flatten(value, None if key in (api_settings.NON_FIELD_ERRORS_KEY, "detail") else
                                     (f"{field}.{key}" if field else str(key)))]
    if isinstance(detail, list):
        return [item for value in detail for item in _flatten(value, field)]
    code = getattr(detail, "code", None) or ErrorCode.INVALID
    return [{"field": field, "code": str(code), "message": str(detail)}]


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(detail=_details(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    elif isinstance(exc, RequestDataTooBig):
        # Django would answer an HTML page; an API client gets the error in the API's format.
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024
        exc = exceptions.ParseError(_("The request body is larger than %(limit)d KB.") % {"limit": limit},
                                    code=ErrorCode.REQUEST_TOO_LARGE)
    elif isinstance(exc, SuspiciousOperation):
        exc = exceptions.ParseError(_("The request was refused as malformed."), code=ErrorCode.BAD_REQUEST)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict | list) and isinstance(exc, exceptions.APIException):
        errors = _flatten(exc.detail)
        if isinstance(response.data, dict):
            response.data["errors"] = errors
            if "detail" in response.data and len(errors) == 1:
                response.data["code"] = errors[0]["code"]
        else:
            response.data = {api_settings.NON_FIELD_ERRORS_KEY: response.data, "errors": errors}
    return response
