"""The bubblewrap command line that confines one student kernel (docs/grading-sandbox.md).

The kernel sees a fresh root: the system libraries, the Python environment and the jianlab
packages read-only, its own private working copy (the only writable host directory, holding
the submission's own data) and the directory holding its ZMQ sockets. The grader's reference
data and its `_truth/` are never mounted: hidden tests and instructor cells read them outside
the sandbox. It gets new
pid, network, IPC and UTS namespaces, a scrubbed environment and a new session; nothing of the
course root, the repository checkout, other students or the instructor's files is mounted.

Two ways to an unprivileged uid:
- as a normal user, bwrap creates a user namespace (uid 65534 inside, the caller's uid outside)
  and forbids nested ones; the process-count limit then counts this sandbox only;
- as root, a user namespace would map the sandbox to host root, which the kernel exempts from
  RLIMIT_NPROC. So bwrap runs without one, keeps only CAP_SETUID/CAP_SETGID, and the launcher
  inside drops to a host uid of its own (`host_uid`) before the student code starts.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass, field
from pathlib import Path

BWRAP = "bwrap"
SANDBOX_UID = 65534
# Host uids for root-run sandboxes: far above any account, one per grading worker process.
HOST_UID_BASE = 2_000_000_000
HOME = "/tmp/home"
WORK_ROOT = "/home/student"
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64")
ETC_FILES = (
    "/etc/ld.so.cache",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
    "/etc/localtime",
    "/etc/fonts",
    "/etc/mime.types",
)
PASSTHROUGH_ENV = (
    "LANG",
    "LC_ALL",
    "TZ",
    "MPLBACKEND",
    "OPENBLAS_NUM_THREADS",
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "NUMEXPR_NUM_THREADS",
)
BYTECODE_SENTINELS = ("ipykernel", "IPython", "zmq", "numpy", "pandas")
INSTALL_HINT = (
    "安装 bubblewrap：sudo apt-get install -y bubblewrap（或在仓库根目录运行 make sandbox）；"
    "若已安装仍失败，请开启非特权用户命名空间：sudo sysctl -w kernel.unprivileged_userns_clone=1"
    "（Debian/Ubuntu）或 sudo sysctl -w user.max_user_namespaces=15000"
)


def running_as_root() -> bool:
    return os.geteuid() == 0


def host_uid() -> int:
    """The host uid of this worker's sandboxes when grading as root (unique per live process)."""
    return HOST_UID_BASE + os.getpid()


def bwrap_path() -> str | None:
    return shutil.which(BWRAP)


@functools.lru_cache(maxsize=1)
def bwrap_version() -> tuple[int, ...]:
    """(0, 8, 0) for "bubblewrap 0.8.0"; (0,) when unknown. Older releases (Ubuntu 22.04 ships
    0.6) lack `--size` (0.7) and `--disable-userns` (0.8); the profile leaves them out there."""
    path = bwrap_path()
    if path is None:
        return (0,)
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=10)
        return tuple(int(x) for x in out.stdout.split()[-1].split("."))
    except (OSError, ValueError, IndexError, subprocess.TimeoutExpired):
        return (0,)


def _editable_roots() -> list[Path]:
    """Source folders that editable installs (`.pth` lines) put on sys.path, e.g. the repo's
    tools/; only these, never the checkout around them, become visible to the kernel."""
    site = Path(sysconfig.get_paths()["purelib"])
    roots: list[Path] = []
    for pth in sorted(site.glob("*.pth")):
        for line in pth.read_text(encoding="utf-8", errors="replace").splitlines():
            candidate = Path(line.strip())
            usable = line.strip() and not line.startswith("import") and candidate.is_absolute()
            if usable and candidate.is_dir() and candidate not in roots:
                roots.append(candidate)
    return roots


def python_roots() -> list[Path]:
    """The interpreter and its packages: the venv, the base installation, editable sources."""
    roots = [Path(sys.prefix), Path(sys.base_prefix), *_editable_roots()]
    unique: list[Path] = []
    for root in roots:
        resolved = root.resolve()
        if not any(resolved == u or resolved.is_relative_to(u) for u in unique):
            unique.append(resolved)
    return [r for r in unique if not r.is_relative_to("/usr")]


@dataclass(frozen=True)
class SandboxMounts:
    """What one kernel may see besides the system: its working copy and its socket folder."""

    work: Path
    ipc: Path
    tmpfs_mb: int = 512
    env: dict[str, str] = field(default_factory=dict)

    @property
    def inner_work(self) -> str:
        return f"{WORK_ROOT}/{self.work.name}"


def _system_args() -> list[str]:
    args: list[str] = []
    for path in SYSTEM_DIRS:
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            args += ["--ro-bind", path, path]
    for path in ETC_FILES:
        args += ["--ro-bind-try", path, path]
    return args


def font_cache() -> Path | None:
    """The grader's matplotlib font list, shared read-only with kernels: without it every
    kernel would rescan the system fonts (seconds) because its home starts empty."""
    base = os.environ.get("MPLCONFIGDIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "matplotlib"
    )
    found = sorted(Path(base).glob("fontlist-v*.json"), key=lambda p: p.stat().st_mtime)
    return found[-1] if found else None


def ensure_font_cache() -> None:
    if font_cache() is None:
        code = "import matplotlib.font_manager"
        subprocess.run([sys.executable, "-c", code], capture_output=True, check=False)


def _font_args() -> list[str]:
    cache = font_cache()
    if cache is None or not os.access(cache, os.R_OK):
        return []
    return ["--ro-bind", str(cache), f"{HOME}/.matplotlib/{cache.name}"]


def _parent_dirs(targets: list[str]) -> list[str]:
    """Traversable parents for bind targets (bwrap would create them 0700, closed to the uid)."""
    args: list[str] = []
    seen: set[str] = set()
    for target in targets:
        for parent in reversed(Path(target).parents[:-1]):
            if str(parent) not in seen:
                seen.add(str(parent))
                args += ["--perms", "0755", "--dir", str(parent)]
    return args


def _namespace_args() -> list[str]:
    common = ["--die-with-parent", "--new-session", "--unshare-pid", "--unshare-net"]
    common += ["--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try", "--hostname", "jianlab"]
    if running_as_root():
        return [*common, "--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    ids = ["--uid", str(SANDBOX_UID), "--gid", str(SANDBOX_UID)]
    nested = ["--disable-userns"] if bwrap_version() >= (0, 8) else []
    return [*common, "--unshare-user", *nested, *ids]


def sandbox_env(mounts: SandboxMounts) -> dict[str, str]:
    """The whole environment of the kernel: nothing of the grader's (no secret, no paths)."""
    env = {
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "HOME": HOME,
        "USER": "student",
        "LOGNAME": "student",
        "TMPDIR": "/tmp",
        "IPYTHONDIR": f"{HOME}/.ipython",
        "MPLCONFIGDIR": f"{HOME}/.matplotlib",
        "PYTHONDONTWRITEBYTECODE": "1",
        "LANG": "C.UTF-8",
    }
    env.update({k: os.environ[k] for k in PASSTHROUGH_ENV if k in os.environ})
    env.update(mounts.env)
    return env


def bwrap_command(mounts: SandboxMounts, inner: list[str]) -> list[str]:
    """`bwrap ... -- inner`: the sandbox around `inner` (the launcher that execs the kernel)."""
    args = [bwrap_path() or BWRAP, *_namespace_args(), *_system_args()]
    roots = [str(root) for root in python_roots()]
    args += ["--proc", "/proc", "--dev", "/dev"]
    size = ["--size", str(mounts.tmpfs_mb << 20)] if bwrap_version() >= (0, 7) else []
    args += ["--perms", "1777", *size, "--tmpfs", "/tmp"]
    args += _parent_dirs([*roots, str(mounts.ipc), mounts.inner_work])
    args += ["--perms", "1777", "--dir", HOME, "--perms", "1777", "--dir", f"{HOME}/.matplotlib"]
    args += _font_args()
    for root in roots:
        args += ["--ro-bind", root, root]
    args += ["--bind", str(mounts.work), mounts.inner_work]
    args += ["--bind", str(mounts.ipc), str(mounts.ipc)]
    args += ["--chdir", mounts.inner_work, "--clearenv"]
    for key, value in sandbox_env(mounts).items():
        args += ["--setenv", key, value]
    return [*args, "--", *inner]


def launcher_command(limits_args: list[str], kernel_cmd: list[str]) -> list[str]:
    drop = [f"--drop-uid={host_uid()}"] if running_as_root() else []
    launcher = [sys.executable, "-I", "-B", "-m", "jianlab.grading.sandbox"]
    return [*launcher, *limits_args, *drop, "--", *kernel_cmd]


def ensure_bytecode() -> bool:
    """Compile the environment's bytecode once if it is missing (True when it compiled).

    The sandbox mounts the environment read-only, so a kernel cannot cache bytecode itself and
    would compile IPython, pandas... from source at every start (seconds per submission).
    `make .venv` installs with bytecode; this covers environments built without it.
    """
    site = Path(sysconfig.get_paths()["purelib"])
    compile_all = [sys.executable, "-m", "compileall", "-q", "-j", "0"]
    # Editable sources (tools/) change often and are small: bring them up to date every run.
    sources = [str(root) for root in _editable_roots()]
    if sources:
        subprocess.run([*compile_all, *sources], capture_output=True, check=False)
    probes = [site / name / "__pycache__" for name in BYTECODE_SENTINELS]
    if all(p.is_dir() for p in probes if p.parent.is_dir()):
        return False
    subprocess.run([*compile_all, str(site)], capture_output=True, check=False)
    return True


def probe(timeout_s: float = 20.0) -> tuple[bool, str]:
    """Run a tiny Python program in the real sandbox profile; (works, Chinese detail)."""
    if bwrap_path() is None:
        return False, "未找到 bwrap（bubblewrap），学生内核无法隔离"
    import tempfile

    with tempfile.TemporaryDirectory(prefix="jianlab-probe-") as tmp:
        work, ipc = Path(tmp) / "work", Path(tmp) / "ipc"
        for path in (work, ipc):
            path.mkdir()
            if running_as_root():
                os.chown(path, host_uid(), host_uid())
        code = (
            f"import os, socket;assert not os.path.exists({str(work)!r});"
            "assert os.getuid() != 0;"
            "assert 'JIANLAB_COURSE_SECRET' not in os.environ;"
            "print(socket.if_nameindex() == [(1, 'lo')], os.getuid())"
        )
        inner = launcher_command(["--mem-mb=1024", "--cpu-s=20", "--fsize-mb=16"], [])
        cmd = bwrap_command(SandboxMounts(work, ipc), [*inner, sys.executable, "-c", code])
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout_s)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return False, f"bwrap 无法运行：{exc}"
    if done.returncode != 0 or not done.stdout.startswith("True"):
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["无输出"]
        return False, f"bwrap 试运行失败（返回码 {done.returncode}）：{tail[0][:200]}"
    uid = done.stdout.split()[-1]
    return True, f"bwrap 试运行成功：断网、独立进程空间、以非特权 uid {uid} 运行"
