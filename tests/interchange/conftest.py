"""The labeling tools, for real: a Label Studio server (started once per test
session from its own venv), and the SDKs of Label Studio, CVAT, Labelbox and
Argilla (their models, offline) run in venvs of their own, because each pins
libraries taxops must not be tied to. ``.ci/run`` installs both venvs.

Where a venv is missing, tests skip locally and fail in CI (``CI=true``): an
export never checked by the tool that reads it is not tested.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

CACHE = Path(os.environ.get("TAXOPS_TOOLS_CACHE", Path.home() / ".cache" / "taxops"))
LABEL_STUDIO_VENV = Path(os.environ.get("TAXOPS_LABEL_STUDIO_VENV", CACHE / "label-studio-venv"))
SDK_VENV = Path(os.environ.get("TAXOPS_SDK_VENV", CACHE / "sdk-venv"))
STARTUP_SECONDS = 240


def _missing(what: str) -> None:
    message = f"{what} is not installed (.ci/run installs it; see tests/interchange/conftest.py)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def venv_python(venv: Path, what: str) -> Path:
    python = venv / "bin" / "python"
    if not python.exists():
        _missing(what)
    return python


def run_in(python: Path, script: str, payload: object) -> object:
    """Run ``script`` with ``python``; it reads JSON on stdin and prints JSON."""
    done = subprocess.run(
        [str(python), "-c", script],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@dataclass(frozen=True)
class LabelStudio:
    url: str
    token: str

    def call(self, method: str, path: str, body: object | None = None) -> tuple[int, object]:
        request = urllib.request.Request(
            self.url + path,
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Authorization": f"Token {self.token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                raw = response.read()
                return response.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"null")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def label_studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabelStudio]:
    """A real Label Studio server on 127.0.0.1, with a fresh SQLite database."""
    binary = LABEL_STUDIO_VENV / "bin" / "label-studio"
    if not binary.exists():
        _missing("Label Studio")
    data = tmp_path_factory.mktemp("label-studio")
    port, token = _free_port(), secrets.token_hex(16)
    env = {
        **os.environ,
        "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
        "LABEL_STUDIO_BASE_DATA_DIR": str(data),
        "PYTHONWARNINGS": "ignore",
    }
    log = (data / "server.log").open("wb")
    # fmt: off
    server = subprocess.Popen(
        [str(binary), "start", "--no-browser", "--host", "127.0.0.1", "--port", str(port),
         "--username", "reviewer@example.com", "--password", secrets.token_hex(12),
         "--user-token", token],
        env=env, stdout=log, stderr=subprocess.STDOUT, cwd=data,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if server.poll() is not None:
                pytest.fail(f"Label Studio exited: {(data / 'server.log').read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(url + "/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"Label Studio did not answer in {STARTUP_SECONDS} s")
            time.sleep(1)
        yield LabelStudio(url, token)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
