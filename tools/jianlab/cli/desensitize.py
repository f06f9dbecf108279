"""`jianlab desensitize …`: text, dataset, scan, risk. Only parses options; the work is done
by the ``desensitize`` package so tests and notebooks can call it directly. The package (pandas,
pyarrow, DuckDB) is imported inside each command, so `jianlab --help` starts at once."""

from __future__ import annotations

import secrets
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from jianlab.cli.common import err, fail

if TYPE_CHECKING:
    from desensitize import Desensitizer

app = typer.Typer(
    no_args_is_help=True,
    rich_markup_mode="rich",
    help="脱敏：文本、整个数据集、残留扫描、重识别风险。",
)
console = Console()

PolicyOpt = Annotated[
    str,
    typer.Option(
        "--policy", "-p", help="策略：teaching（默认）、court、research，或 YAML 文件路径"
    ),
]
KeyOpt = Annotated[
    Path | None,
    typer.Option(
        "--key-file",
        "-k",
        help="密钥文件（假名与日期平移所需，至少 16 字节）；text 缺省时本次使用随机密钥",
    ),
]


def _load(policy: str, key_file: Path | None) -> tuple[Desensitizer, bytes | None]:
    from desensitize import Desensitizer, KeyError_, PolicyError, load_key, load_policy

    try:
        pol = load_policy(policy)
        key = load_key(key_file) if key_file else None
    except (PolicyError, KeyError_) as exc:
        raise fail(str(exc)) from None
    needs_key = any(c.operator in {"pseudonym", "date_shift"} for c in pol.entities.values())
    if needs_key and key is None:
        # A one-off text needs no key file: a random key for this run only (docs/desensitize.md).
        key = secrets.token_hex(32).encode()
        err.print(
            "提示：未指定 --key-file，本次使用随机密钥；假名与其他运行的结果不会一致。",
            highlight=False,
            soft_wrap=True,
        )
    return Desensitizer(pol, key=key), key


@app.command(
    "text",
    help="脱敏中文文本：〈来源〉为 .txt/.md/.docx 文件，`-` 从标准输入读、写到标准输出；"
    "输入与 --out 均为 .docx 时写回 Word 文档（段落、表格与样式保留）。",
)
def text_command(
    source: Annotated[str, typer.Argument(help="输入文件，或 - 表示标准输入")],
    policy: PolicyOpt = "teaching",
    key_file: KeyOpt = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="输出文件（默认标准输出）")
    ] = None,
) -> None:
    from desensitize import InputError, decode_bytes, read_text

    des, _ = _load(policy, key_file)
    if out is not None and out.suffix.lower() == ".docx":
        _docx_command(des, source, out)
        return
    try:
        body = (
            decode_bytes(sys.stdin.buffer.read(), "<标准输入>").text
            if source == "-"
            else read_text(Path(source)).text
        )
    except (InputError, OSError) as exc:
        raise fail(str(exc)) from None
    result = des.text(body)
    if out is None:
        sys.stdout.write(result.text)
        return
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(result.text, encoding="utf-8")
    tmp.replace(out)
    err.print(f"已写出 {out}（替换 {len(result.items)} 处）")


def _docx_command(des: Desensitizer, source: str, out: Path) -> None:
    """.docx in, .docx out: paragraphs, tables and styles kept (``desensitize_docx``)."""
    from desensitize import DocxError, desensitize_docx

    if not source.lower().endswith(".docx"):
        raise fail(f"输出为 .docx 时输入也须是 .docx 文件：{source}")
    try:
        result = desensitize_docx(des, Path(source), out)
    except (DocxError, OSError) as exc:
        raise fail(str(exc)) from None
    err.print(f"已写出 {out}（替换 {len(result.items)} 处；改动的段落合并为一个文字块）")


@app.command(
    "dataset", help="脱敏整个数据集（表与卷宗，同一密钥保持关联），再做发布检查；不通过则拒绝发布。"
)
def dataset_command(
    in_dir: Annotated[Path, typer.Argument(help="输入数据集目录")],
    out_dir: Annotated[Path, typer.Argument(help="输出目录（须不存在或为空）")],
    policy: PolicyOpt = "teaching",
    key_file: KeyOpt = None,
    qi: Annotated[
        list[str] | None,
        typer.Option("--qi", help="准标识符，格式 表:列1,列2（可重复）；覆盖策略中的声明"),
    ] = None,
    sensitive: Annotated[
        list[str] | None, typer.Option("--sensitive", help="敏感属性，格式 表:列（可重复）")
    ] = None,
) -> None:
    from desensitize import (
        InputError,
        KeyError_,
        PolicyError,
        ReleaseRefused,
        desensitize_dataset,
        load_key,
        load_policy,
    )

    if key_file is None:
        raise fail("dataset 需要 --key-file 指定密钥文件")
    if not in_dir.is_dir():
        raise fail(f"输入目录不存在：{in_dir}")
    try:
        pol = load_policy(policy)
        key = load_key(key_file)
        qi_map = _parse_pairs(qi, many=True) if qi else None
        sens = (
            {t: c[0] for t, c in _parse_pairs(sensitive, many=False).items()} if sensitive else None
        )
    except (PolicyError, KeyError_, ValueError) as exc:
        raise fail(str(exc)) from None
    progress = Progress(
        SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), console=err,
    )  # fmt: skip
    bars: dict[str, TaskID] = {}

    def step(table: str, done: int, total: int) -> None:
        """One bar per table: its columns (then the file) as they are written."""
        if table not in bars:
            bars[table] = progress.add_task(f"表 {table}（列）", total=total)
        progress.update(bars[table], completed=done)

    with progress:
        task = progress.add_task("脱敏数据集", total=None)
        try:
            release = desensitize_dataset(
                in_dir, out_dir, pol, key, qi=qi_map, sensitive=sens,
                progress=lambda msg: progress.update(task, description=f"处理 {msg}"),
                steps=step,
            )  # fmt: skip
        except ReleaseRefused as exc:
            progress.stop()
            raise fail("拒绝发布：\n  " + "\n  ".join(exc.failures), code=3) from None
        except (InputError, ValueError, KeyError) as exc:
            progress.stop()
            raise fail(str(exc)) from None
    console.print(
        f"已发布到 {out_dir}：{len(release.tables)} 张表、{release.documents} 份文书；"
        "报告见 release_report.md"
    )


def _parse_pairs(items: list[str], many: bool) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for item in items:
        table, sep, cols = item.partition(":")
        if not sep or not table or not cols:
            raise ValueError(f"格式应为 表:列1,列2，实际为 {item!r}")
        out[table] = [c.strip() for c in cols.split(",") if c.strip()] if many else [cols.strip()]
    return out


@app.command(
    "scan",
    help="残留扫描：列出文件或表中残留的个人信息；发现任何一处即以非零状态退出。"
    "扫描 desensitize dataset 的发布目录时，跳过该发布自己生成的假名（surrogates.sha256）。",
)
def scan_command(
    path: Annotated[Path, typer.Argument(help="文件或目录")],
    policy: PolicyOpt = "teaching",
) -> None:
    from desensitize import (
        Desensitizer,
        InputError,
        PolicyError,
        load_policy,
        load_surrogate_hashes,
    )

    try:
        des = Desensitizer(load_policy(policy))
    except PolicyError as exc:
        raise fail(str(exc)) from None
    if not path.exists():
        raise fail(f"路径不存在：{path}")
    files = [p for p in sorted(path.rglob("*")) if p.is_file()] if path.is_dir() else [path]
    own = load_surrogate_hashes(path) or set()
    if own:
        console.print(f"{path} 是脱敏发布：跳过其自身生成的 {len(own)} 个假名（按 SHA-256 比对）")
    found = 0
    for f in files:
        if "_truth" in f.parts:
            continue
        try:
            found += _scan_file(f, des, own)
        except InputError as exc:
            raise fail(str(exc)) from None
    if found:
        err.print(f"[bold red]发现 {found} 处个人信息[/]")
        raise typer.Exit(code=1)
    console.print("未发现个人信息。")


def _scan_file(path: Path, des: Desensitizer, own: set[str]) -> int:
    from desensitize import TABLE_SUFFIXES, TEXT_SUFFIXES, read_table, read_text, surrogate_hash

    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES | {".docx"}:
        texts = [("", read_text(path).text)]
    elif suffix in TABLE_SUFFIXES:
        df, _ = read_table(path)
        texts = [
            (f"第 {i + 2} 行、列 {c}", str(v))
            for c in df.columns
            for i, v in enumerate(df[c])
            if isinstance(v, str)
        ]
    else:
        return 0
    n = 0
    found = des.residual_many([body for _, body in texts])
    for (where, body), spans in zip(texts, found, strict=True):
        for s in spans:
            if own and surrogate_hash(body[s.start : s.end]) in own:
                continue
            n += 1
            console.print(
                f"{path} {where} 偏移 {s.start}–{s.end}："
                f"{s.entity}（{s.recognizer}，得分 {s.score}）",
                highlight=False,
            )
    return n


@app.command("risk", help="重识别风险报告：k-匿名、l-多样性、样本唯一、检察官攻击风险。")
def risk_command(
    table: Annotated[Path, typer.Argument(help="表文件（.parquet/.csv/.xlsx 或分区目录）")],
    qi: Annotated[str, typer.Option("--qi", help="准标识符列，逗号分隔")],
    sensitive: Annotated[str | None, typer.Option("--sensitive", help="敏感属性列")] = None,
    k: Annotated[int, typer.Option("--k", help="k-匿名目标")] = 5,
    l_target: Annotated[int, typer.Option("--l", help="l-多样性目标")] = 2,
) -> None:
    from desensitize import InputError, measure, read_table, render_zh

    try:
        df, encoding = read_table(table)
        report = measure(df, [c.strip() for c in qi.split(",") if c.strip()], sensitive, k)
    except (InputError, KeyError) as exc:
        raise fail(str(exc).strip("'\"")) from None
    console.print(f"{table}（{encoding}）", highlight=False)
    console.print(render_zh(report, k, l_target), highlight=False)
    if report.k < k or (report.l_diversity is not None and report.l_diversity < l_target):
        raise typer.Exit(code=1)
