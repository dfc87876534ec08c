"""API authentication: DRF's token scheme, its look-up kept between requests (``core.authz_cache``)."""

from __future__ import annotations

from typing import Any

from rest_framework.authentication import TokenAuthentication

from core import authz_cache


class CachedTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>``, as DRF's ``TokenAuthentication``; the token and its user come from the
    authorization cache until a token or an account changes. A missing token or an inactive user is never cached:
    it fails as before, on every request."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        def read() -> tuple[Any, Any]:
            return super(CachedTokenAuthentication, self).authenticate_credentials(key)

        # The key is a secret: the cache sees only its digest.
        return authz_cache.cached(f"token:{authz_cache.digest(key)}", read)
