"""Request-wide behaviour: JSON errors under /api/, and the language of pages."""

from django.conf import settings
from django.http import JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import gettext as _

API_PREFIX = "/api/"


def _message(status: int) -> tuple[str, str]:
    if status == 404:
        return "not_found", _("There is no such API address. See /api/v1/docs.")
    if status == 405:
        return "method_not_allowed", _("This API address does not accept this method.")
    if status >= 500:
        return "server_error", _("Something went wrong on our side. Try again later.")
    return "error", _("The request could not be handled.")


class ApiJsonErrorsMiddleware:
    """Errors under /api/ are always JSON, even those raised before the API sees the request
    (an unknown path, a method the endpoint does not take)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path.startswith(API_PREFIX)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            code, message = _message(response.status_code)
            body = {"error": {"code": code, "message": message, "fields": {}}}
            replacement = JsonResponse(body, status=response.status_code)
            if response.has_header("Allow"):
                replacement["Allow"] = response["Allow"]
            return replacement
        return response


class LanguageMiddleware(LocaleMiddleware):
    """Indonesian unless the person chose English.

    Pages follow the language switcher's cookie and otherwise speak Indonesian, whatever the
    phone's own language (many ASN phones run an English interface). API clients may ask for
    English with Accept-Language, as programs do.
    """

    def process_request(self, request):
        if request.path.startswith(API_PREFIX):
            return super().process_request(request)
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
