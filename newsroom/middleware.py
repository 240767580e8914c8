from django.conf import settings
from django.urls import reverse
from django.utils.csp import CSP


class AdminScriptNonceMiddleware:
    """Let the admin's rich-text editor run its one inline import map, by nonce.

    Public pages are cached and shared between readers, so they cannot carry a per-request
    nonce and allow only script files. Admin pages are never cached, so they can.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = {**settings.SECURE_CSP, "script-src": [CSP.SELF, CSP.NONCE]}

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(reverse("admin:index")):
            response._csp_config = self.policy
        return response


class PermissionsPolicyMiddleware:
    """Switch off the browser features Newsroom never uses, on every response."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.policy)
        return response
