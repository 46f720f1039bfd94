from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class LanguageMiddleware:
    """Swedish for everyone unless the user picked another language in the top bar.

    Unlike Django's LocaleMiddleware, the browser's Accept-Language is ignored:
    the service centre works in Swedish, whatever a computer's settings say.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every page and download the application makes: they hold
    personal data (case lists with personal identity numbers, payslip files, invoices) that must
    not stay in the browser's disk cache after logout. Static files (WhiteNoise, before this) keep
    their long cache; a view that sets its own Cache-Control keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "no-store, private"
        return response
