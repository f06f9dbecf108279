"""Flag code that reaches into the interpreter instead of answering (read by the grader, never run).

Trusted grading already makes such code useless for the verdict (docs/grading.md); this scan
makes the attempt visible to the instructor. It reads the submitted notebook's code statically,
so nothing the submission does at run time can hide it short of not writing it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
from nbformat import NotebookNode

IPYTHON_HOOKS = {
    "ast_transformers": "注册 AST 变换器",
    "input_transformers_post": "注册输入变换器",
    "input_transformers_cleanup": "注册输入变换器",
    "set_custom_exc": "自定义异常处理",
    "register_magic_function": "注册魔法命令",
    "events": "注册 IPython 事件回调",
}
DYNAMIC_CALLS = {
    "exec": "exec()",
    "eval": "eval()",
    "compile": "compile()",
    "__import__": "__import__()",
}
MODULE_ROOTS = {
    "np",
    "numpy",
    "pd",
    "pandas",
    "builtins",
    "math",
    "sys",
    "os",
    "jianlab",
    "synthgen",
}


def _root_name(node: ast.expr) -> str | None:
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _assigned_attributes(tree: ast.AST) -> list[str]:
    found: list[str] = []
    for node in ast.walk(tree):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            root = _root_name(target) if isinstance(target, ast.Attribute) else None
            if root in MODULE_ROOTS:
                found.append(f"改写库函数 {ast.unparse(target)}")
            if isinstance(target, ast.Subscript) and ast.unparse(target.value) in (
                "sys.modules",
                "__builtins__",
            ):
                found.append(f"改写 {ast.unparse(target.value)}")
    return found


def scan_code(code: str) -> list[str]:
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    found = _assigned_attributes(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in IPYTHON_HOOKS:
            found.append(IPYTHON_HOOKS[node.attr])
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in DYNAMIC_CALLS
        ):
            found.append(f"动态执行代码 {DYNAMIC_CALLS[node.func.id]}")
    return found


def imported_names(nb: NotebookNode) -> set[str]:
    """Names the lab's own cells import (Path, np, read_table…): what hidden helpers look like."""
    names: set[str] = set()
    for cell in nb.cells:
        if cell.cell_type != "code" or cell.metadata.get("nbgrader", {}).get("solution"):
            continue
        try:
            tree = ast.parse(_python_only(cell.source))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return names


def rebound(code: str, provided: set[str]) -> list[str]:
    """Provided names the code redefines by assignment, def or class (re-imports are fine)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    hits: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            hits.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            hits.add(node.id)
    return [f"重新定义了实验导入的名称 {n}" for n in sorted(hits & provided)]


def scan_notebook(path: Path, release: Path | None = None) -> list[str]:
    """One flag naming every kind of interpreter tampering found in the submission's code."""
    try:
        nb = nbformat.read(path, as_version=4)
        provided = imported_names(nbformat.read(release, as_version=4)) if release else set()
    except Exception:  # an unreadable notebook is flagged by the integrity check
        return []
    found: list[str] = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            code = _python_only(cell.source)
            found += [f for f in scan_code(code) + rebound(code, provided) if f not in found]
    return [f"疑似篡改解释器：{'；'.join(found)}"] if found else []


def _python_only(source: str) -> str:
    """IPython magics and shell escapes are not Python; blank them so the rest still parses."""
    return "\n".join(
        "" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()
    )
