"""Write a course's JupyterHub setup: hub config, the Jupyter config users run with, permissions.

Login is the instructor's choice: system accounts (PAM; every 学号 is a Linux account and the
per-student data is readable by that account only), JupyterHub's test login, or any
authenticator class (an LMS's LTI, the school's OAuth) given by name. Users' servers get the
nbgrader exchange of the course, Chinese validation and Lab; nbgrader's formgrader and
create-assignment panels are switched off for them. The instructor grades in formgrader, run as a
hub service in the course root that only the instructor may open.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from jianlab.course.build import read_manifest
from jianlab.grading import courseroot
from jianlab.labs.models import SpecError
from jianlab.labs.paths import repo_root

HUB_DIR = "hub"
PROXY_NAME = "configurable-http-proxy"
SYSTEM = "system"
# --auth name → (authenticator class, spawner class, note for the config file)
AUTHENTICATORS = {
    SYSTEM: (
        "jupyterhub.auth.PAMAuthenticator",
        "jupyterhub.spawner.LocalProcessSpawner",
        "系统用户（PAM）：每个学号是一个 Linux 账户，本人数据只有本人账户可读",
    ),
    "dummy": (
        "jupyterhub.auth.DummyAuthenticator",
        "jupyterhub.spawner.SimpleLocalProcessSpawner",
        "测试用登录（共享口令，所有用户以 Hub 的账户运行）：只用于试用和自动测试",
    ),
}
STUDENT_DISABLED_LAB = ("@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment")
STUDENT_DISABLED_SERVER = ("nbgrader.server_extensions.formgrader",)
# nbgrader names a submission after the OS account; when hub users share one account (the test
# login, containers running as jovyan) that would file every submission under the same name.
STUDENT_ID_FROM_HUB = (
    "\n# 提交记在 Hub 的用户名（学号）下，而不是操作系统账户名下\n"
    "import os\n\n"
    'if os.environ.get("JUPYTERHUB_USER"):\n'
    '    c.CourseDirectory.student_id = os.environ["JUPYTERHUB_USER"]\n'
)


@dataclass(frozen=True)
class HubOptions:
    instructor: str
    auth: str = SYSTEM
    spawner: str | None = None
    ip: str = "0.0.0.0"
    port: int = 8000
    password: str | None = None

    @property
    def internal_ports(self) -> tuple[int, int, int]:
        """(hub API, proxy API, formgrader): beside the public port, so two hubs do not collide."""
        return self.port + 1, self.port + 2, self.port + 3


def find_proxy() -> Path | None:
    """configurable-http-proxy from the project (`make hub-proxy`) or PATH."""
    local = repo_root() / ".hub" / "node_modules" / ".bin" / PROXY_NAME
    if local.is_file():
        return local
    found = shutil.which(PROXY_NAME)
    return Path(found) if found else None


def _user_config(root: Path, dest: Path, course_id: str, student: bool) -> None:
    """The Jupyter config directory a user's (or the formgrader's) server runs with."""
    dest.mkdir(parents=True, exist_ok=True)
    exchange = courseroot.load_config(root).Exchange.root
    (dest / "nbgrader_config.py").write_text(
        "# 由 jianlab hub 生成：本课程的 nbgrader 交换区与中文校验\n"
        "from jianlab.grading import validator_zh\n\n"
        "c = get_config()  # noqa: F821\n"
        f"c.CourseDirectory.course_id = {course_id!r}\n"
        f"c.Exchange.root = {str(exchange)!r}\n"
        "c.Exchange.path_includes_course = True\n"
        'c.ExchangeFactory.fetch_assignment = "jianlab.course.exchange.PersonalFetchAssignment"\n'
        "validator_zh.install(c)\n",
        encoding="utf-8",
    )
    if not student:
        return
    with (dest / "nbgrader_config.py").open("a", encoding="utf-8") as fh:
        fh.write(STUDENT_ID_FROM_HUB)
    server = {"ServerApp": {"jpserver_extensions": dict.fromkeys(STUDENT_DISABLED_SERVER, False)}}
    (dest / "jupyter_server_config.json").write_text(json.dumps(server, indent=1), "utf-8")
    page = {"disabledExtensions": dict.fromkeys(STUDENT_DISABLED_LAB, True)}
    (dest / "labconfig").mkdir(exist_ok=True)
    (dest / "labconfig" / "page_config.json").write_text(json.dumps(page, indent=1), "utf-8")


def harden(root: Path) -> None:
    """Users may pass through the course root to the exchange, and see nothing else in it."""
    root.chmod(0o711)
    for name in ("source", "release", "instructor", "handout", "submitted", "autograded",
                 "feedback", "exports", "reports", ".jianlab"):  # fmt: skip
        if (root / name).is_dir():
            (root / name).chmod(0o700)
    for name in ("gradebook.db", courseroot.CONFIG_NAME):
        if (root / name).is_file():
            (root / name).chmod(0o600)
    hub = root / HUB_DIR
    if hub.is_dir():  # users' servers read their config here; the hub's secrets are 0600 inside
        hub.chmod(0o711)
        for item in hub.glob("*-config"):
            for path in [item, *item.rglob("*")]:
                path.chmod(0o755 if path.is_dir() else 0o644)


def _auth(opts: HubOptions, home: Path) -> tuple[str, str, str, list[str]]:
    if opts.auth in AUTHENTICATORS:
        cls, spawner, note = AUTHENTICATORS[opts.auth]
    else:
        cls, spawner, note = opts.auth, AUTHENTICATORS[SYSTEM][1], f"自选的登录方式 {opts.auth}"
    extra = []
    if opts.auth == "dummy":
        if opts.password:
            extra.append(f"c.DummyAuthenticator.password = {opts.password!r}")
        extra.append(
            f"c.SimpleLocalProcessSpawner.home_dir_template = {str(home)!r} + '/{{username}}'"
        )
    return cls, opts.spawner or spawner, note, extra


def write_hub(root: Path, opts: HubOptions) -> Path:
    """Write <course>/hub/ (config, user configs) and return the jupyterhub_config.py path."""
    spec = read_manifest(root)
    ids = [s.id for s in spec.roster]
    if opts.instructor in ids:
        raise SpecError(f"教师账户 {opts.instructor} 与学生学号重名")
    proxy = find_proxy()
    if proxy is None:
        raise SpecError(
            "找不到 configurable-http-proxy：运行 make hub-proxy（用 npm 安装到 .hub/）"
        )
    hub = root / HUB_DIR
    hub.mkdir(exist_ok=True)
    _user_config(root, hub / "student-config", spec.id, student=True)
    _user_config(root, hub / "instructor-config", spec.id, student=False)
    cls, spawner, note, extra = _auth(opts, hub / "homes")
    bindir = Path(sys.executable).parent
    env = Environment(loader=FileSystemLoader(Path(__file__).parent), undefined=StrictUndefined)
    text = env.get_template("jupyterhub_config.py.j2").render(
        course_id=spec.id,
        title=spec.title,
        bind_url=f"http://{opts.ip}:{opts.port}",
        hub_dir=str(hub),
        proxy=str(proxy),
        authenticator=cls,
        authenticator_note=note,
        extra_auth=extra,
        users=sorted([*ids, opts.instructor]),
        instructor=opts.instructor,
        spawner=spawner,
        singleuser=str(bindir / "jupyterhub-singleuser"),
        lab_settings=str(repo_root() / "tools" / "jianlab" / "lab_settings"),
        student_config=str(hub / "student-config"),
        instructor_config=str(hub / "instructor-config"),
        notebook_root=None,
        service=f"formgrader-{spec.id}",
        templates=str(Path(__file__).parent / "templates"),
        hub_port=opts.internal_ports[0],
        proxy_api_port=opts.internal_ports[1],
        formgrader_port=opts.internal_ports[2],
        course_root=str(root),
        # jupyter refuses to run as root without the flag (containers, CI); real users are not root
        root_flag=', "--allow-root"' if os.geteuid() == 0 else "",
        service_user=opts.instructor if opts.auth == SYSTEM and os.geteuid() == 0 else None,
    )
    out = hub / "jupyterhub_config.py"
    out.write_text(text, encoding="utf-8")
    return out
