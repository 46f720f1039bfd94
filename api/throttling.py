"""Rate limits per token (API_RATE_LIMIT). File uploads also count against the pages' hourly limit
(IMPORT_UPLOADS_PER_HOUR, core.uploads), per account."""

from rest_framework.throttling import SimpleRateThrottle


class TokenRateThrottle(SimpleRateThrottle):
    scope = "api"

    def get_cache_key(self, request, view):
        token = request.auth
        if token is None or not hasattr(token, "pk"):
            return None
        return self.cache_format % {"scope": self.scope, "ident": token.pk}
