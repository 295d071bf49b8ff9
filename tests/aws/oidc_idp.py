"""A real OpenID Connect provider for tests, and a browser-like sign-in against it (stdlib only).

`OidcProvider` owns one `node end2end/oidc/provider.mjs` process (panva's oidc-provider): it
writes the clients and accounts to a temporary directory, starts the provider on a loopback port,
and keeps the signing keys in that directory, so `stop()` then `start()` brings the same issuer
back on the same port with the same keys. `id_token()` walks the authorization-code flow with
PKCE, state and nonce over plain HTTP, as a browser would on the development sign-in pages.

    with OidcProvider(accounts={"alice": {"email": "alice@example.com"}}) as idp:
        token = idp.id_token("alice", "ferriam-sts")
"""

import base64
import hashlib
import html.parser
import http.cookiejar
import json
import os
import secrets
import selectors
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PROVIDER_SCRIPT = REPO / "end2end" / "oidc" / "provider.mjs"
# Never contacted: the sign-in stops at the redirect that carries the code.
REDIRECT_URI = "http://127.0.0.1/callback"
DEFAULT_CLIENTS = [
    {
        "client_id": "ferriam-sts",
        "client_secret": "ferriam-sts-secret",
        "redirect_uris": [REDIRECT_URI],
        "token_endpoint_auth_method": "client_secret_basic",
    }
]


def decode_jwt(token: str) -> tuple[dict, dict]:
    """The header and payload of a compact JWT, without verifying anything."""

    def part(segment: str) -> dict:
        return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))

    header, payload, _signature = token.split(".")
    return part(header), part(payload)


class OidcProvider:
    def __init__(self, clients=None, accounts=None, port=0, id_token_ttl=3600, start_timeout=20):
        self.clients = {c["client_id"]: c for c in (clients if clients is not None else DEFAULT_CLIENTS)}
        self.accounts = accounts or {}
        self.port = port
        self.id_token_ttl = id_token_ttl
        self.start_timeout = start_timeout
        self.issuer = None
        self.process = None
        self.dir = Path(tempfile.mkdtemp(prefix="ferriam-oidc-"))
        config = {"clients": list(self.clients.values()), "accounts": self.accounts}
        (self.dir / "config.json").write_text(json.dumps(config))

    # Lifecycle ----------------------------------------------------------------------------

    def start(self) -> "OidcProvider":
        """Starts the provider (again on the same port and keys after `stop()`)."""
        if self.process is not None:
            return self
        self.log = open(self.dir / "provider.log", "ab")
        env = {k: v for k, v in os.environ.items() if k != "NODE_ENV"}
        env["OIDC_ID_TOKEN_TTL"] = str(self.id_token_ttl)
        self.process = subprocess.Popen(
            [
                "node", str(PROVIDER_SCRIPT),
                "--port", str(self.port),
                "--config", str(self.dir / "config.json"),
                "--keys", str(self.dir / "keys.json"),
            ],
            stdout=subprocess.PIPE,
            stderr=self.log,
            env=env,
        )
        line = self._first_line()
        self.issuer = json.loads(line)["issuer"]
        self.port = urllib.parse.urlsplit(self.issuer).port
        return self

    def _first_line(self) -> bytes:
        deadline = time.monotonic() + self.start_timeout
        with selectors.DefaultSelector() as selector:
            selector.register(self.process.stdout, selectors.EVENT_READ)
            while time.monotonic() < deadline:
                if selector.select(timeout=0.1):
                    line = self.process.stdout.readline()
                    if line:
                        return line
                if self.process.poll() is not None:
                    break
        self.stop()
        raise RuntimeError(f"the OIDC provider did not start:\n{(self.dir / 'provider.log').read_text()}")

    def stop(self) -> None:
        """Stops the provider process; the issuer stops answering until `start()`."""
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()
        self.log.close()
        self.process = None

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> "OidcProvider":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()

    # Sign-in ------------------------------------------------------------------------------

    def tokens(self, login, client_id, client_secret=None, redirect_uri=None, scope="openid") -> dict:
        """The token endpoint's answer (id_token, access_token, ...) after `login` signs in on
        the development pages (any password) and consents, by the code flow with PKCE."""
        client = self.clients[client_id]
        if client_secret is None:
            client_secret = client.get("client_secret")
        redirect_uri = redirect_uri or client["redirect_uris"][0]
        verifier = secrets.token_urlsafe(48)
        state, nonce = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
        browser = Browser()

        url = f"{self.issuer}/auth?" + urllib.parse.urlencode({
            "client_id": client_id,
            "response_type": "code",
            "scope": scope,
            "redirect_uri": redirect_uri,
            "state": state,
            "nonce": nonce,
            "code_challenge": _s256(verifier),
            "code_challenge_method": "S256",
        })
        location = self.sign_in(browser, url, login, redirect_uri)
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query))
        if "code" not in query:
            raise RuntimeError(f"the provider refused the sign-in: {query}")
        assert query["state"] == state, "state changed on the way back"

        body = {
            "grant_type": "authorization_code",
            "code": query["code"],
            "redirect_uri": redirect_uri,
            "code_verifier": verifier,
        }
        headers = {}
        method = client.get("token_endpoint_auth_method", "client_secret_basic")
        if method == "client_secret_basic":
            pair = f"{urllib.parse.quote(client_id, safe='')}:{urllib.parse.quote(client_secret, safe='')}"
            headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
        elif method == "client_secret_post":
            body.update(client_id=client_id, client_secret=client_secret)
        else:
            body["client_id"] = client_id
        answer = browser.post(f"{self.issuer}/token", body, headers)
        tokens = json.loads(answer.body)
        if answer.status != 200:
            raise RuntimeError(f"the token endpoint refused: {tokens}")
        if "id_token" in tokens:
            assert decode_jwt(tokens["id_token"])[1].get("nonce") == nonce, "nonce mismatch"
        return tokens

    @staticmethod
    def sign_in(browser, authorization_url, login, redirect_uri) -> str:
        """Walks `browser` from `authorization_url` through the development sign-in (`login`,
        any password) and consent pages, to the redirect back to `redirect_uri` (not followed):
        its full URL, with the code and state, or the error."""
        response = browser.get(authorization_url)
        for _ in range(10):
            if response.location and response.location.startswith(redirect_uri):
                return response.location
            if response.location:
                response = browser.get(response.location)
                continue
            form = _Form.parse(response.body)
            if form.fields.get("prompt") == "login":
                form.fields.update(login=login, password="any password")
            elif form.fields.get("prompt") != "consent":
                raise RuntimeError(f"unexpected page from {response.url}:\n{response.body[:2000]}")
            response = browser.post(urllib.parse.urljoin(response.url, form.action), form.fields)
        raise RuntimeError("the sign-in did not reach the redirect URI")

    def id_token(self, login, client_id, client_secret=None, redirect_uri=None, scope="openid") -> str:
        return self.tokens(login, client_id, client_secret, redirect_uri, scope)["id_token"]

    def access_token(self, login, client_id, client_secret=None, redirect_uri=None, scope="openid") -> str:
        return self.tokens(login, client_id, client_secret, redirect_uri, scope)["access_token"]


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class _Response:
    def __init__(self, url, status, location, body):
        self.url, self.status, self.location, self.body = url, status, location, body


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Cookies kept, redirects handed back instead of followed."""

    def __init__(self):
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )

    def get(self, url):
        return self._open(urllib.request.Request(url))

    def post(self, url, fields, headers=None):
        data = urllib.parse.urlencode(fields).encode()
        return self._open(urllib.request.Request(url, data=data, headers=headers or {}))

    def _open(self, request):
        try:
            with self.opener.open(request, timeout=10) as r:
                status, headers, body = r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            status, headers, body = e.code, e.headers, e.read()
        location = headers.get("Location")
        # A page that moves on by itself (`Refresh: 0;url=…`) is followed like a redirect.
        refresh = headers.get("Refresh", "")
        if not location and "url=" in refresh:
            location = refresh.split("url=", 1)[1]
        if location:
            location = urllib.parse.urljoin(request.full_url, location)
        return _Response(request.full_url, status, location, body.decode(errors="replace"))


class _Form(html.parser.HTMLParser):
    """The first form of a page: its action and its named inputs' values."""

    def __init__(self):
        super().__init__()
        self.action, self.fields, self.done = None, {}, False

    @classmethod
    def parse(cls, page: str) -> "_Form":
        form = cls()
        form.feed(page)
        if form.action is None:
            raise RuntimeError(f"no form on the page:\n{page[:2000]}")
        return form

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and self.action is None:
            self.action = attrs.get("action", "")
        elif tag == "input" and self.action is not None and not self.done and attrs.get("name"):
            self.fields[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.done = True
