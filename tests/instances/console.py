"""The console's server functions over HTTP, as a browser calls them: a POST of URL-encoded
arguments to `/api/<module>/<function>`, answered with JSON, the session in the
`ferriam-session` cookie. Each `Browser` connects from its own loopback address (127.0.x.y), so
the sign-in throttle's count per source address sees only that browser's attempts."""

import http.client
import itertools
import urllib.parse
from dataclasses import dataclass

SESSION_COOKIE = "ferriam-session"
WRONG_PASSWORD = "Your authentication information is incorrect."

_addresses = itertools.count(1)


def fresh_address() -> str:
    """A loopback address no other browser of this test run used."""
    n = next(_addresses)
    return f"127.0.{1 + n // 250}.{1 + n % 250}"


@dataclass
class Answer:
    status: int
    body: str
    headers: http.client.HTTPMessage

    def cookie(self, name: str) -> str | None:
        """The `name=value` part of the `Set-Cookie` for `name`, if the answer sets it."""
        for value in self.headers.get_all("Set-Cookie") or []:
            pair = value.split(";", 1)[0]
            if pair.split("=", 1)[0] == name:
                return pair
        return None

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 400


class Browser:
    def __init__(self):
        self.address = fresh_address()

    def request(self, server, method: str, path: str, body: str = "",
                cookie: str | None = None) -> Answer:
        url = urllib.parse.urlsplit(server.endpoint)
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30,
                                                source_address=(self.address, 0))
        headers = {"Accept": "application/json", "User-Agent": "instances-test/1.0"}
        if method == "POST":
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if cookie:
            headers["Cookie"] = cookie
        try:
            connection.request(method, path, body=body.encode(), headers=headers)
            response = connection.getresponse()
            return Answer(response.status, response.read().decode(), response.headers)
        finally:
            connection.close()

    def call(self, server, function: str, cookie: str | None = None, **arguments) -> Answer:
        """Calls the server function `function` ("auth/sign_in") with `arguments`."""
        return self.request(server, "POST", f"/api/{function}",
                            urllib.parse.urlencode(arguments), cookie)

    def get(self, server, path: str, cookie: str | None = None) -> Answer:
        return self.request(server, "GET", path, cookie=cookie)
