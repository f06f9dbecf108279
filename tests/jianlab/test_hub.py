"""`jianlab hub`: the written configuration, and a real JupyterHub on localhost (slow)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from traitlets.config.loader import PyFileConfigLoader
from typer.testing import CliRunner

from jianlab.cli import app
from jianlab.hub.config import find_proxy
from support.hub import LAB, STUDENTS, call, course, login, running_hub, write


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


@pytest.fixture
def hub_course(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    root = course(tmp_path)
    CliRunner().invoke(app, ["course", "release", "--course", str(root), "--lab", LAB])
    with running_hub(root, tmp_path / "hub.log") as base:
        yield root, base


@pytest.mark.slow
@pytest.mark.skipif(find_proxy() is None, reason="configurable-http-proxy 未安装（make hub-proxy）")
def test_real_hub_exchange_and_formgrader(hub_course: tuple[Path, str]) -> None:
    root, base = hub_course
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
