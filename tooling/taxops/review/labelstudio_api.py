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

PAGE = 100


@dataclass(frozen=True)
class LabelStudioClient:
    url: str
    token: str

    def call(self, method: str, path: str, body: Any = None) -> Any:
        request = urllib.request.Request(
            self.url.rstrip("/") + path,
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Authorization": f"Token {self.token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                raw = response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace")[:600]
            hint = (
                "check the token (LABEL_STUDIO_API_KEY); Label Studio 1.23 needs "
                "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN=true for legacy tokens"
                if exc.code in (401, 403)
                else None
            )
            raise TaxopsError(
                f"Label Studio answered {exc.code} to {method} {path}: {detail}", hint
            ) from None
        except (urllib.error.URLError, OSError) as exc:
            raise TaxopsError(
                f"cannot reach Label Studio at {self.url}: {getattr(exc, 'reason', exc)}",
                "pass --url (or set LABEL_STUDIO_URL) to the server's address",
            ) from None
        return json.loads(raw) if raw else None

    def projects(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        page = 1
        while True:
            body = self.call("GET", f"/api/projects?page={page}&page_size={PAGE}")
            items = body.get("results", []) if isinstance(body, dict) else body or []
            found += items
            if not isinstance(body, dict) or not body.get("next"):
                return found
            page += 1

    def find_project(self, title: str) -> dict[str, Any] | None:
        return next((p for p in self.projects() if p.get("title") == title), None)

    def tasks(self, project: int) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        page = 1
        while True:
            body = self.call("GET", f"/api/tasks?project={project}&page={page}&page_size={PAGE}")
            items = body.get("tasks", []) if isinstance(body, dict) else body or []
            found += items
            total = body.get("total", len(found)) if isinstance(body, dict) else len(found)
            if not items or len(found) >= total:
                return found
            page += 1

    def export(self, project: int) -> list[dict[str, Any]]:
        query = urllib.parse.urlencode({"exportType": "JSON", "download_all_tasks": "true"})
        body = self.call("GET", f"/api/projects/{project}/export?{query}")
        if not isinstance(body, list):
            raise TaxopsError(f"Label Studio's export of project {project} is not a list of tasks")
        return body
