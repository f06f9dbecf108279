"""`jianlab hub`: the written configuration, and a real JupyterHub on localhost (slow)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
import requests
import yaml
from traitlets.config.loader import PyFileConfigLoader
from typer.testing import CliRunner

from jianlab.cli import app
from jianlab.hub.config import find_proxy

LAB = "lab00-fixture"
STUDENTS = ("stu1", "stu2", "stu3")


def course(tmp_path: Path) -> Path:
    spec = {
        "id": "jl-hub",
        "title": "Hub 课程",
        "term": "2026 秋",
        "labs": [{"id": LAB, "due": "2030-12-20T23:59:00+08:00", "weight": 1}],
        "roster": [{"id": s, "last_name": "王", "first_name": s[-1]} for s in STUDENTS],
    }
    path = tmp_path / "course.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    root = tmp_path / "course"
    labs = str(Path(__file__).parent / "fixtures" / "labs")
    result = CliRunner().invoke(
        app, ["course", "build", str(path), "--out", str(root), "--labs-dir", labs]
    )
    assert result.exit_code == 0, result.output
    return root


def write(root: Path, port: int, *extra: str) -> Path:
    args = ["hub", "--course", str(root), "--instructor", "teacher", "--port", str(port)]
    result = CliRunner().invoke(app, [*args, "--ip", "127.0.0.1", "--write-only", *extra])
    assert result.exit_code == 0, result.output
    return root / "hub" / "jupyterhub_config.py"


def load(path: Path) -> object:
    return PyFileConfigLoader(path.name, path=str(path.parent)).load_config()


@pytest.mark.skipif(find_proxy() is None, reason="configurable-http-proxy 未安装（make hub-proxy）")
def test_hub_config(tmp_path: Path) -> None:
    root = course(tmp_path)
    config = load(write(root, 8800, "--auth", "dummy", "--password", "pw"))
    hub = config.JupyterHub  # type: ignore[attr-defined]
    assert hub.bind_url == "http://127.0.0.1:8800" and hub.hub_bind_url.endswith(":8801")
    assert hub.authenticator_class == "jupyterhub.auth.DummyAuthenticator"
    assert config.Authenticator.allowed_users == {*STUDENTS, "teacher"}  # type: ignore[attr-defined]
    assert config.Authenticator.admin_users == {"teacher"}  # type: ignore[attr-defined]
    (service,) = hub.services
    assert service["name"] == "formgrader-jl-hub" and service["cwd"] == str(root.resolve())
    (role, _) = hub.load_roles
    assert role["users"] == ["teacher"] and role["scopes"] == [
        "access:services!service=formgrader-jl-hub"
    ]
    student = root / "hub" / "student-config"
    env = config.Spawner.environment  # type: ignore[attr-defined]
    assert env["JUPYTER_CONFIG_PATH"] == str(student.resolve())
    page = json.loads((student / "labconfig" / "page_config.json").read_text(encoding="utf-8"))
    assert page["disabledExtensions"]["@jupyter/nbgrader:formgrader"] is True
    nbg = load(student / "nbgrader_config.py")
    assert nbg.Exchange.root == str((root / "exchange").resolve())  # type: ignore[attr-defined]
    assert "PersonalFetchAssignment" in str(nbg.ExchangeFactory.fetch_assignment)  # type: ignore[attr-defined]
    assert "student_id" not in nbg.CourseDirectory  # type: ignore[attr-defined]
    os.environ["JUPYTERHUB_USER"] = "stu2"
    try:
        as_user = load(student / "nbgrader_config.py")
    finally:
        del os.environ["JUPYTERHUB_USER"]
    assert as_user.CourseDirectory.student_id == "stu2"  # type: ignore[attr-defined]
    assert root.stat().st_mode & 0o777 == 0o711
    assert (root / "gradebook.db").stat().st_mode & 0o077 == 0
    assert (root / "instructor").stat().st_mode & 0o077 == 0
    pam = load(write(root, 8800))
    assert pam.JupyterHub.authenticator_class.endswith("PAMAuthenticator")  # type: ignore[attr-defined]
    clash = CliRunner().invoke(
        app, ["hub", "--course", str(root), "--instructor", "stu1", "--write-only"]
    )
    assert clash.exit_code == 2


def free_port_block(size: int = 4) -> int:
    for _ in range(50):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            base = sock.getsockname()[1]
        if base + size < 65000 and all(_free(base + i) for i in range(size)):
            return base
    raise RuntimeError("没有空闲端口")


def _free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


@pytest.fixture
def running_hub(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    root = course(tmp_path)
    CliRunner().invoke(app, ["course", "release", "--course", str(root), "--lab", LAB])
    port = free_port_block()
    config = write(root, port, "--auth", "dummy", "--password", "pw")
    log = (tmp_path / "hub.log").open("w")
    jupyterhub = Path(sys.executable).parent / "jupyterhub"
    proc = subprocess.Popen(
        [str(jupyterhub), "-f", str(config)],
        cwd=config.parent,
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{base}/hub/api", timeout=5).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert proc.poll() is None, (tmp_path / "hub.log").read_text(encoding="utf-8")[-3000:]
            time.sleep(2)
        yield root, base
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


def login(base: str, user: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/hub/login").content.decode("utf-8")  # no charset in the header
    assert "用户名（学号）" in page and 'value="登录"' in page and "Sign in" not in page
    data = {"username": user, "password": "pw", "_xsrf": xsrf(session, f"{base}/hub/login")}
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
    deadline = time.monotonic() + 240
    while True:
        resp = session.request(method, url, headers={"X-XSRFToken": xsrf(session, url)}, **kw)
        if (resp.status_code == 200 and _is_json(resp)) or time.monotonic() > deadline:
            return resp
        time.sleep(2)


@pytest.mark.slow
@pytest.mark.skipif(find_proxy() is None, reason="configurable-http-proxy 未安装（make hub-proxy）")
def test_real_hub_exchange_and_formgrader(running_hub: tuple[Path, str]) -> None:
    root, base = running_hub
    student = login(base, "stu1")
    listing = call(student, "GET", f"{base}/user/stu1/assignments", params={"course_id": "jl-hub"})
    assert [a["assignment_id"] for a in listing.json()["value"]] == [LAB]
    args = {"course_id": "jl-hub", "assignment_id": LAB}
    fetched = call(student, "POST", f"{base}/user/stu1/assignments/fetch", data=args)
    assert any(a["status"] == "fetched" for a in fetched.json()["value"]), fetched.text
    home = root / "hub" / "homes" / "stu1"
    assert (home / "jl-hub" / LAB / f"{LAB}.ipynb").is_file()
    submitted = call(student, "POST", f"{base}/user/stu1/assignments/submit", data=args)
    assert any(a["status"] == "submitted" for a in submitted.json()["value"]), submitted.text
    collect = CliRunner().invoke(app, ["course", "collect", "--course", str(root), "--lab", LAB])
    assert collect.exit_code == 0 and (root / "submitted" / "stu1" / LAB).is_dir(), collect.output
    teacher = login(base, "teacher")
    grader = call(teacher, "GET", f"{base}/services/formgrader-jl-hub/formgrader/api/assignments")
    assert grader.json()[0]["name"] == LAB, grader.text
    other = login(base, "stu2")
    denied = other.get(f"{base}/services/formgrader-jl-hub/formgrader/api/assignments")
    assert denied.status_code == 403
