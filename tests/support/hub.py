"""A course and a real JupyterHub on localhost, shared by the hub tests and the browser cycle.

Kept here (not in a conftest) so `tests/jianlab/test_hub.py` and
`tests/jianlab/test_browser_cycle.py` start the hub the same way: the fixture lab, the dummy
login with one shared password, the ports beside each other as `jianlab hub` uses them.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import requests
import yaml
from typer.testing import CliRunner

from jianlab.cli import app

LAB = "lab00-fixture"
STUDENTS = ("stu1", "stu2", "stu3")
INSTRUCTOR = "teacher"
PASSWORD = "pw"
FIXTURE_LABS = Path(__file__).parents[1] / "jianlab" / "fixtures" / "labs"
HUB_START_S = 240


def course_yaml(tmp_path: Path, course_id: str = "jl-hub", **extra: Any) -> Path:
    """course.yaml for the fixture lab and three students; `extra` adds or replaces keys."""
    spec: dict[str, Any] = {
        "id": course_id,
        "title": "Hub 课程",
        "term": "2026 秋",
        "labs": [{"id": LAB, "due": "2030-12-20T23:59:00+08:00", "weight": 1}],
        "roster": [{"id": s, "last_name": "王", "first_name": s[-1]} for s in STUDENTS],
        **extra,
    }
    path = tmp_path / "course.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return path


def jianlab(*args: str) -> str:
    """Run a jianlab command as the instructor would; fail with its output."""
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def build(spec: Path, root: Path) -> Path:
    """`course build` (a new course, or an update of an existing one) with the fixture lab."""
    jianlab("course", "build", str(spec), "--out", str(root), "--labs-dir", str(FIXTURE_LABS))
    return root


def course(tmp_path: Path) -> Path:
    return build(course_yaml(tmp_path), tmp_path / "course")


def write(root: Path, port: int, *extra: str) -> Path:
    args = ["hub", "--course", str(root), "--instructor", INSTRUCTOR, "--port", str(port)]
    jianlab(*args, "--ip", "127.0.0.1", "--write-only", *extra)
    return root / "hub" / "jupyterhub_config.py"


def free_port_block(size: int = 4) -> int:
    for _ in range(50):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            base: int = sock.getsockname()[1]
        if base + size < 65000 and all(_free(base + i) for i in range(size)):
            return base
    raise RuntimeError("没有空闲端口")


def _free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def _wait_up(proc: subprocess.Popen[bytes], base: str, log: Path) -> None:
    deadline = time.monotonic() + HUB_START_S
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/hub/api", timeout=5).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        assert proc.poll() is None, log.read_text(encoding="utf-8")[-3000:]
        time.sleep(1)
    raise AssertionError(f"JupyterHub 在 {HUB_START_S} 秒内没有就绪，日志：{log}")


@contextmanager
def running_hub(root: Path, log: Path) -> Iterator[str]:
    """Write the course's hub config (dummy login), start JupyterHub, yield its base URL."""
    port = free_port_block()
    config = write(root, port, "--auth", "dummy", "--password", PASSWORD)
    jupyterhub = Path(sys.executable).parent / "jupyterhub"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(jupyterhub), "-f", str(config)],
            cwd=config.parent,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # the proxy and users' servers are stopped with the hub
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_up(proc, base, log)
        yield base
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def login(base: str, user: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/hub/login").content.decode("utf-8")  # no charset in the header
    assert "用户名（学号）" in page and 'value="登录"' in page and "Sign in" not in page
    data = {"username": user, "password": PASSWORD, "_xsrf": xsrf(session, f"{base}/hub/login")}
    assert session.post(f"{base}/hub/login", data=data).status_code == 200
    return session


def xsrf(session: requests.Session, url: str) -> str:
    """The hub and each user's server set their own `_xsrf` cookie: take the one for this path."""
    path = urlparse(url).path
    cookies = [c for c in session.cookies if c.name == "_xsrf" and path.startswith(c.path or "/")]
    best = max(cookies, key=lambda c: len(c.path or ""), default=None)
    return best.value or "" if best is not None else ""


def _is_json(resp: requests.Response) -> bool:
    """nbgrader's handlers send JSON as text/html, so look at the body, not the header."""
    try:
        resp.json()
    except ValueError:
        return False
    return True


def call(session: requests.Session, method: str, url: str, **kw: Any) -> requests.Response:
    """The user's own server, through the hub: started on first use, and until it is up the hub
    answers with its "server is starting" HTML page, so wait for a JSON reply."""
    deadline = time.monotonic() + HUB_START_S
    while True:
        resp = session.request(method, url, headers={"X-XSRFToken": xsrf(session, url)}, **kw)
        if (resp.status_code == 200 and _is_json(resp)) or time.monotonic() > deadline:
            return resp
        time.sleep(2)
