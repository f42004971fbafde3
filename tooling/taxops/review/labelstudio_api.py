"""The few Label Studio REST calls the review round trip needs, with the
standard library (``Authorization: Token ...``). Errors say what the server
said, never a traceback."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from taxops.diagnostics import TaxopsError
from taxops.textfiles import as_list, parse_json

PAGE = 100
#: The most a project listing or task listing is paged through: a server that
#: always says there is a next page must not keep taxops asking forever.
MAX_PAGES = 10_000
#: The largest answer read from the server (an export of a review project of a
#: few hundred thousand tasks is well under this).
MAX_RESPONSE = 1 << 30


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an error: following one would send the token to wherever
    the answer points (urllib keeps the Authorization header across hosts)."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


@dataclass(frozen=True)
class LabelStudioClient:
    url: str
    token: str

    def __post_init__(self) -> None:
        parts = urllib.parse.urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise TaxopsError(
                f"'{self.url}' is not the address of a Label Studio server",
                "pass --url http://HOST:PORT (or https://...), or set LABEL_STUDIO_URL",
            )

    def call(self, method: str, path: str, body: Any = None) -> Any:
        request = urllib.request.Request(
            self.url.rstrip("/") + path,
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Content-Type": "application/json"},
        )
        request.add_unredirected_header("Authorization", f"Token {self.token}")
        try:
            with _OPENER.open(request, timeout=120) as response:
                raw = response.read(MAX_RESPONSE + 1)
        except urllib.error.HTTPError as exc:
            detail = exc.read(600).decode("utf-8", "replace")
            hint = (
                "check the token (LABEL_STUDIO_API_KEY); Label Studio 1.23 needs "
                "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN=true for legacy tokens"
                if exc.code in (401, 403)
                else "taxops does not follow redirects: pass the server's own address with --url"
                if 300 <= exc.code < 400
                else None
            )
            raise TaxopsError(
                f"Label Studio answered {exc.code} to {method} {path}: {detail}", hint
            ) from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise TaxopsError(
                f"cannot reach Label Studio at {self.url}: {getattr(exc, 'reason', exc)}",
                "pass --url (or set LABEL_STUDIO_URL) to the server's address",
            ) from None
        if len(raw) > MAX_RESPONSE:
            raise TaxopsError(
                f"Label Studio's answer to {method} {path} is larger than {MAX_RESPONSE:,} bytes"
            )
        if not raw:
            return None
        try:
            return parse_json(raw.decode("utf-8", "replace"), f"Label Studio's answer to {path}")
        except TaxopsError as exc:
            raise TaxopsError(
                exc.message, f"is {self.url} a Label Studio server? pass its address with --url"
            ) from None

    def projects(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        for page in range(1, MAX_PAGES + 1):
            body = self.call("GET", f"/api/projects?page={page}&page_size={PAGE}")
            items = as_list(body.get("results")) if isinstance(body, dict) else as_list(body)
            found += [p for p in items if isinstance(p, dict)]
            if not isinstance(body, dict) or not body.get("next") or not items:
                break
        return found

    def find_project(self, title: str) -> int | None:
        """The id of the project with this title, if there is one."""
        found = next((p for p in self.projects() if p.get("title") == title), None)
        return None if found is None else _project_id(found, "GET /api/projects")

    def create_project(self, title: str, label_config: str) -> int:
        body = self.call("POST", "/api/projects", {"title": title, "label_config": label_config})
        return _project_id(body, "POST /api/projects")

    def tasks(self, project: int) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        for page in range(1, MAX_PAGES + 1):
            body = self.call("GET", f"/api/tasks?project={project}&page={page}&page_size={PAGE}")
            items = as_list(body.get("tasks")) if isinstance(body, dict) else as_list(body)
            found += [t for t in items if isinstance(t, dict)]
            total = body.get("total") if isinstance(body, dict) else None
            if not items or not isinstance(total, int) or len(found) >= total:
                break
        return found

    def export(self, project: int) -> list[dict[str, Any]]:
        query = urllib.parse.urlencode({"exportType": "JSON", "download_all_tasks": "true"})
        body = self.call("GET", f"/api/projects/{project}/export?{query}")
        if not isinstance(body, list):
            raise TaxopsError(f"Label Studio's export of project {project} is not a list of tasks")
        return body


def _project_id(project: Any, call: str) -> int:
    """A project's id as the server gave it: a whole number, which is then put in
    URLs (never text a server chose)."""
    value = project.get("id") if isinstance(project, dict) else None
    if not isinstance(value, int) or isinstance(value, bool):
        raise TaxopsError(
            f"Label Studio's answer to {call} has no project id",
            "is --url the address of a Label Studio server?",
        )
    return value
