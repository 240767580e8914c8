"""People using the site over HTTP: an editor, a moderator, readers, each with their cookies."""

import re
from html import unescape

import requests

from tests.browser_forms import form_fields


class Visitor:
    """One person's browser, pointed at one server (an app server, or Varnish in front).

    Production cookies are marked Secure (DEBUG is off) and this test speaks plain HTTP on
    loopback, where a browser would keep them to itself: the cookies are carried by hand,
    as a browser behind the TLS-terminating load balancer would send them.
    """

    def __init__(self, base: str):
        self.base = base
        self.cookies: dict[str, str] = {}
        self.session = requests.Session()

    def at(self, base: str) -> "Visitor":
        """The same person (same cookies), now reaching the site through another server."""
        other = Visitor(base)
        other.cookies = self.cookies
        return other

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = kwargs.pop("headers", {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            # What a browser says about a form posted from the site's own page.
            headers.setdefault("Sec-Fetch-Site", "same-origin")
        self.session.cookies.clear()
        response = self.session.request(
            method,
            self.base + path,
            headers=headers,
            allow_redirects=False,
            timeout=30,
            **kwargs,
        )
        for cookie in response.cookies:
            if cookie.value and not cookie.is_expired():
                self.cookies[cookie.name] = cookie.value
            else:
                self.cookies.pop(cookie.name, None)
        return response

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, data, **kwargs) -> requests.Response:
        return self.request("POST", path, data=data, **kwargs)

    def form(self, path: str, form_id: str | None = None) -> dict:
        page = self.get(path)
        assert page.status_code == 200, (path, page.status_code)
        return form_fields(page.text, form_id)

    def sign_in(self, username: str, password: str) -> None:
        fields = self.form("/admin/login/")
        fields.update(username=username, password=password)
        response = self.post("/admin/login/", fields)
        assert response.status_code == 302, response.text[:2000]
        assert "sessionid" in self.cookies


def comment_form(page: str) -> tuple[str, dict]:
    """The comment form's address and fields, as the reader's browser leaves them."""
    form = re.search(r'<form id="comment-form".*?</form>', page, re.S)
    assert form, "no comment form on the page"
    action = unescape(re.search(r'action="([^"]+)"', form.group(0)).group(1))
    return action, form_fields(form.group(0))
