"""The Label Studio client against a server that is not what it claims: real
HTTP servers in threads answering as an attacker (or a misconfigured proxy)
would. The token never leaves for another address, a server's answer never
becomes a traceback, and an id the server chose never goes into a URL unless
it is a whole number."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from taxops.diagnostics import TaxopsError
from taxops.review.labelstudio_api import LabelStudioClient

Answer = Callable[[http.server.BaseHTTPRequestHandler], tuple[int, dict[str, str], bytes]]


class _Server:
    def __init__(self, answer: Answer) -> None:
        self.seen: list[dict[str, str]] = []
        seen = self.seen

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                seen.append(dict(self.headers))
                status, headers, body = answer(self)
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_GET

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


@pytest.fixture
def serve() -> Iterator[Callable[[Answer], _Server]]:
    servers: list[_Server] = []

    def start(answer: Answer) -> _Server:
        servers.append(_Server(answer))
        return servers[-1]

    yield start
    for s in servers:
        s.httpd.shutdown()
        s.httpd.server_close()


def _json(body: object) -> tuple[int, dict[str, str], bytes]:
    return 200, {"Content-Type": "application/json"}, json.dumps(body).encode()


def test_a_redirect_is_refused_and_the_token_stays_home(
    serve: Callable[[Answer], _Server],
) -> None:
    elsewhere = serve(lambda h: _json({"results": []}))
    home = serve(lambda h: (302, {"Location": elsewhere.url + "/api/projects"}, b""))
    with pytest.raises(TaxopsError) as error:
        LabelStudioClient(home.url, "secret-token").projects()
    assert "302" in error.value.message and "redirects" in (error.value.hint or "")
    assert home.seen and home.seen[0].get("Authorization") == "Token secret-token"
    assert elsewhere.seen == []  # never asked, so never given the token


@pytest.mark.parametrize(
    "answer",
    [
        {"results": [{"title": "review", "id": "../../admin"}]},
        {"results": [{"title": "review", "id": True}]},
        {"results": [{"title": "review"}]},
    ],
    ids=["a path", "a boolean", "missing"],
)
def test_a_project_id_that_is_not_a_number_is_an_error(
    serve: Callable[[Answer], _Server], answer: object
) -> None:
    server = serve(lambda h: _json(answer))
    with pytest.raises(TaxopsError, match="has no project id"):
        LabelStudioClient(server.url, "t").find_project("review")


@pytest.mark.parametrize(
    "body",
    [b"<html>a login page</html>", b"[" * 100_000 + b"]" * 100_000, b"\xff\xfe\x00"],
    ids=["html", "nested", "binary"],
)
def test_an_answer_that_is_not_json_is_an_error_naming_the_server(
    serve: Callable[[Answer], _Server], body: bytes
) -> None:
    server = serve(lambda h: (200, {}, body))
    with pytest.raises(TaxopsError) as error:
        LabelStudioClient(server.url, "t").projects()
    assert "Label Studio's answer" in error.value.message
    assert "--url" in (error.value.hint or "")


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://x", "localhost:8080", ""])
def test_an_address_that_is_not_http_is_refused_before_any_request(url: str) -> None:
    with pytest.raises(TaxopsError, match="is not the address of a Label Studio server"):
        LabelStudioClient(url, "t")
