"""Run the benchmarks (every bench/bench_*.py) and write their sections of docs/benchmarks.md.

    .venv/bin/python bench/run.py            # all benchmarks (what `make bench` runs)
    .venv/bin/python bench/run.py import     # only bench/bench_import.py
    .venv/bin/python bench/run.py --quick    # one round instead of three, for a smoke test

A benchmark is a module bench/bench_<name>.py with a TITLE and a function
`run(*, rounds: int) -> dict` returning

    {"summary": str,                       # what is measured, in one paragraph
     "table": [str],                       # optional: markdown lines of a table of its own
     "baseline": str,                      # the name of the measurement that is the baseline
     "measurements": [{"name": str, "seconds": float, "rows": int, "queries": int | None}],
     "notes": [str]}

Each measurement is shown with its ratio to the baseline measured in the same run: on a busy or
slow machine every number moves, their ratios much less. Nothing here asserts a time.

Each benchmark runs in its own process on its own fresh database: a temporary SQLite file, or,
when BENCH_DATABASE_URL names a PostgreSQL server, a fresh test database created there (its
results go to a section of their own). The configured DATABASE_URL is never touched.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
DOC = ROOT / "docs" / "benchmarks.md"
COMMAND = "make bench"
PG_URL = "postgres://postgres@127.0.0.1:5432/darirumah"  # the Makefile's default
PREAMBLE = """# Benchmarks

Produced by `make bench` (`.venv/bin/python bench/run.py`); each section below is rewritten by
the benchmark that owns it (`bench/bench_<name>.py`) and says when, where and with which command
it was measured. Every number is compared with a baseline measured in the same run, because
absolute times depend on the machine and its load; the test suite never asserts a time.
"""


# --- the parent: run each benchmark in a child process, write the document --------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    parser.add_argument("--quick", action="store_true", help="one round instead of three")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child, Path(args.out), rounds=1 if args.quick else 3)
    names = args.names or discover()
    unknown = set(names) - set(discover())
    if unknown:
        parser.error(f"no such benchmark: {', '.join(sorted(unknown))}")
    for name in names:
        result = run_child(name, quick=args.quick)
        # SQLite (the default) and PostgreSQL results live side by side in their own sections.
        key = name if result["database"] == "sqlite" else f"{name}:{result['database']}"
        write_section(key, render(result))
        print(f"{key}: written to {DOC.relative_to(ROOT)}")
    return 0


def discover() -> list[str]:
    return sorted(p.stem.removeprefix("bench_") for p in BENCH_DIR.glob("bench_*.py"))


def run_child(name: str, *, quick: bool) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as tmp:
        out = Path(tmp) / "result.json"
        argv = [sys.executable, str(Path(__file__)), "--child", name, "--out", str(out)]
        env = {**os.environ, "BENCH_TMP": tmp, "DEBUG": "false"}
        subprocess.run([*argv, *(["--quick"] if quick else [])], check=True, env=env, cwd=ROOT)
        return json.loads(out.read_text())


def render(result: dict) -> str:
    lines = [
        f"## {result['title']}" + ("" if result["database"] == "sqlite" else " — PostgreSQL"),
        "",
        result["summary"],
        "",
        f"Measured {result['when']} with `{command(result)}` on {result['machine']}.",
        "",
    ]
    if "table" in result:  # a benchmark with columns of its own (its baseline is a column)
        lines += result["table"]
        lines += [""] + [f"- {note}" for note in result.get("notes", [])]
        return "\n".join(lines).rstrip() + "\n"
    by_name = {m["name"]: m for m in result["measurements"]}
    base = by_name[result["baseline"]]["seconds"]
    lines += [
        "| measurement | time (s) | rows/s | × baseline | queries |",
        "|---|---:|---:|---:|---:|",
    ]
    for m in result["measurements"]:
        rate = f"{m['rows'] / m['seconds']:,.0f}" if m.get("rows") else ""
        queries = "" if m.get("queries") is None else str(m["queries"])
        lines.append(
            f"| {m['name']} | {m['seconds']:.2f} | {rate} | {m['seconds'] / base:.2f} | {queries} |"
        )
    lines += [""] + [f"- {note}" for note in result.get("notes", [])]
    return "\n".join(lines).rstrip() + "\n"


def command(result: dict) -> str:
    if result["database"] == "sqlite":
        return COMMAND
    if _needs_postgres(result["name"]):  # on the local server unless BENCH_DATABASE_URL says
        return f"{COMMAND}` or `.venv/bin/python bench/run.py {result['name']}"
    return f"BENCH_DATABASE_URL=postgres://… {COMMAND}"


def write_section(name: str, body: str) -> None:
    """Replace the benchmark's own section (between its markers), or append it."""
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    section = f"{start}\n{body}{end}\n"
    text = DOC.read_text() if DOC.exists() else PREAMBLE
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end) + r"\n?", re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: section, text)
    else:
        text = text.rstrip() + "\n\n" + section
    DOC.write_text(text)


# --- the child: a fresh database, then the benchmark itself -----------------------------------


def child(name: str, out: Path, *, rounds: int) -> int:
    url = os.environ.get("BENCH_DATABASE_URL", "")
    if _needs_postgres(name) and not url.startswith("postgres"):
        url = os.environ.get("PG_URL", PG_URL)  # the same local server as `make test` uses
    if not url.startswith("postgres"):
        url = f"sqlite:///{os.environ['BENCH_TMP']}/bench.sqlite3"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "darirumah.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    old_name = None
    if connection.vendor == "postgresql":
        old_name = connection.settings_dict["NAME"]
        # A name of its own: the test suite's test_<name> database may be in use right now.
        connection.settings_dict["TEST"]["NAME"] = f"bench_{old_name}"
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
    else:
        call_command("migrate", verbosity=0)
    try:
        module = load(name)
        result = module.run(rounds=rounds)
        result.update(
            name=name,
            title=module.TITLE,
            when=_now(),
            machine=machine(connection),
            database=connection.vendor,
        )
    finally:
        if old_name:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    out.write_text(json.dumps(result))
    return 0


def _needs_postgres(name: str) -> bool:
    """A benchmark that declares DATABASE = "postgresql" (a load test of a multi-process server
    means nothing on SQLite) runs on PostgreSQL even without BENCH_DATABASE_URL."""
    source = (BENCH_DIR / f"bench_{name}.py").read_text()
    return re.search(r'^DATABASE = "postgresql"', source, re.M) is not None


def load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH_DIR / f"bench_{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


def machine(connection) -> str:
    import django

    if connection.vendor == "sqlite":
        import sqlite3

        database = f"SQLite {sqlite3.sqlite_version} (temporary file, WAL)"
    else:
        version = connection.pg_version
        database = f"PostgreSQL {version // 10000}.{version % 10000} (fresh test database)"
    load_avg = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{platform.machine()} × {os.cpu_count()} CPUs (load average {load_avg}), "
        f"Python {platform.python_version()}, Django {django.get_version()}, {database}"
    )


if __name__ == "__main__":
    sys.exit(main())
