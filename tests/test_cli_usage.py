"""The CLI as people expect it: usage errors in one line, exit codes as documented, --version,
--quiet/--verbose, readable numbers; and the CLI beside a running `yhdyspinta serve`.

Every command runs as a real process (`python -m yhdyspinta`) on a private copy of the session's
bundled store; the server is a real `yhdyspinta serve` subprocess.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from importlib.metadata import version
from pathlib import Path

import httpx
import pytest
from http_live import free_port

from yhdyspinta.api.render.tables import DIGIT_GROUP, rows_as_table, table_number
from yhdyspinta.errors import EXIT_CODES, YhdyspintaError
from yhdyspinta.graph.store.store import holder_file

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"
TOKEN = "steward-token-for-cli-tests"
Run = Callable[..., subprocess.CompletedProcess[str]]


def _runner(home: Path, **extra_env: str) -> Run:
    env = {**os.environ, "YHDYSPINTA_HOME": str(home), "NO_COLOR": "1", "COLUMNS": "200", **extra_env}
    env.pop("YHDYSPINTA_BACKEND", None)

    def run(*args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "yhdyspinta", *args], env=env, capture_output=True,
                              text=True, input=input, timeout=300, cwd=ROOT)

    return run


@pytest.fixture(scope="module")
def home(bundled_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A YHDYSPINTA_HOME holding a copy of the bundled store (the tests here only read it)."""
    path = tmp_path_factory.mktemp("cli-usage")
    shutil.copytree(bundled_store_dir, path / "store")
    return path


@pytest.fixture(scope="module")
def cli(home: Path) -> Run:
    return _runner(home)


# -- usage errors: one line, exit code 2, the likely fix -----------------------


@pytest.mark.parametrize(("args", "expected"), [
    (["gaps", "--regoin", "x"], "yhdyspinta gaps: No such option: --regoin. Did you mean --region?"),
    (["gap"], "yhdyspinta: No such command 'gap'. Did you mean 'gaps'?"),
    (["gaps", "-r", "x", "--view", "matrx"], "Did you mean 'matrix'?"),
    (["sources", "--format", "jsno"], "'jsno' is not one of"),
    (["gaps"], "Missing option '--region'"),
    (["gaps", "-r", "x", "-v"], "It is an option of the whole CLI and goes before the command: yhdyspinta -v gaps"),
    (["--verison"], "No such option: --verison. Did you mean --version?"),
    (["-q", "-v", "info"], "--quiet and --verbose contradict each other"),
])
def test_usage_errors_are_one_line_and_exit_2(cli: Run, args: list[str], expected: str) -> None:
    result = cli(*args)
    assert result.returncode == 2, result.stderr
    assert expected in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_a_group_alone_shows_its_help_and_exits_2(cli: Run) -> None:
    result = cli("neo4j")
    assert result.returncode == 2
    assert "start" in result.stdout + result.stderr and "Traceback" not in result.stderr


def test_help_is_reachable_as_h_too(cli: Run) -> None:
    long, short = cli("gaps", "--help"), cli("gaps", "-h")
    assert long.returncode == short.returncode == 0
    assert short.stdout == long.stdout and "--region" in long.stdout


def test_version(cli: Run) -> None:
    result = cli("--version")
    assert result.returncode == 0
    assert result.stdout == f"yhdyspinta {version('yhdyspinta')}\n"


# -- exit codes: one table, each code reachable --------------------------------


def _subclasses(cls: type[YhdyspintaError]) -> list[type[YhdyspintaError]]:
    return [cls, *(s for sub in cls.__subclasses__() for s in _subclasses(sub))]


def test_every_error_has_a_documented_exit_code() -> None:
    undocumented = {c.__name__: c.exit_code for c in _subclasses(YhdyspintaError) if c.exit_code not in EXIT_CODES}
    assert not undocumented, f"add these exit codes to core/errors.py EXIT_CODES: {undocumented}"


def test_the_reference_lists_every_exit_code() -> None:
    reference = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for code, meaning in EXIT_CODES.items():
        assert f"| {code} | {meaning} |" in reference, f"docs/cli.md lacks exit code {code}: run `yhdyspinta docs cli`"


def test_exit_0_ok(cli: Run) -> None:
    result = cli("info")
    assert result.returncode == 0 and "triples:" in result.stdout


def test_exit_1_a_file_that_cannot_be_written(cli: Run, tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "report.html"
    result = cli("report", "-r", "paijat-hame", "-o", str(target))
    assert result.returncode == 1, result.stderr
    assert f"cannot write {target}" in result.stderr and "Traceback" not in result.stderr


def test_exit_2_an_unreadable_input(cli: Run, tmp_path: Path) -> None:
    result = cli("ingest", str(tmp_path / "nope.ttl"))
    assert result.returncode == 2 and "no such file" in result.stderr


def test_exit_3_validation_failed(tmp_path: Path, bundled_store_dir: Path) -> None:
    shutil.copytree(bundled_store_dir, tmp_path / "store")
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix yhd: <https://w3id.org/yhdyspinta/ontology#> .\n<http://x> a yhd:Network .\n")
    result = _runner(tmp_path)("ingest", str(bad))
    assert result.returncode == 3 and "nothing was written" in result.stderr


def test_exit_4_not_found(cli: Run) -> None:
    result = cli("history", "--source", str(DATA / "network.ttl"))
    assert result.returncode == 4 and "is not in the store" in result.stderr


def test_exit_6_neo4j_status_when_no_server_runs(tmp_path: Path) -> None:
    result = _runner(tmp_path)("-q", "neo4j", "status")
    assert result.returncode == 6
    assert "not running" in result.stderr and result.stdout == ""


def test_exit_130_interrupted(home: Path) -> None:
    """Ctrl-C while a command waits (here for a query on stdin)."""
    env = {**os.environ, "YHDYSPINTA_HOME": str(home), "NO_COLOR": "1"}
    # Ctrl-C as in a terminal, even when the tests run in the background (a shell without job control
    # starts background commands with SIGINT ignored, and a child keeps an ignored signal ignored)
    process = subprocess.Popen([sys.executable, "-m", "yhdyspinta", "sparql", "-"], env=env, cwd=ROOT,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        time.sleep(3)  # let it start and block on stdin
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130, err
    assert "Traceback" not in err


# -- quiet and verbose ---------------------------------------------------------


def test_quiet_prints_only_results_and_errors(tmp_path: Path, bundled_store_dir: Path) -> None:
    shutil.copytree(bundled_store_dir, tmp_path / "store")
    run = _runner(tmp_path)
    loud, quiet = run("ingest", str(DATA / "network.ttl")), run("-q", "ingest", "--force", str(DATA / "network.ttl"))
    assert loud.returncode == quiet.returncode == 0, quiet.stderr
    assert "ok" in loud.stderr and quiet.stderr == ""
    failed = run("-q", "gaps", "-r", "nowhere")
    assert failed.returncode == 4 and "error" in failed.stderr


def test_verbose_says_what_it_opened(cli: Run, home: Path) -> None:
    plain, verbose = cli("info"), cli("-v", "info")
    assert plain.stdout == verbose.stdout and plain.stderr == ""
    assert f"store: {home / 'store'}" in verbose.stderr and re.search(r"done in [0-9.]+ s", verbose.stderr)


# -- numbers in tables ---------------------------------------------------------


@pytest.mark.parametrize("value", [0, 7, 999, 1000, 120175, -1234567, 10**12])
def test_integers_are_grouped_by_three(value: int) -> None:
    text = table_number(value)
    assert text.replace(DIGIT_GROUP, "") == str(value)
    assert all(len(group) == 3 for group in text.lstrip("-").split(DIGIT_GROUP)[1:])
    assert (DIGIT_GROUP in text) == (abs(value) >= 1000)


def test_floats_keep_their_decimals() -> None:
    assert table_number(12345.25) == f"12{DIGIT_GROUP}345.25"
    assert table_number(0.007418) == "0.007418"


def test_number_columns_are_right_aligned_and_text_left() -> None:
    text = rows_as_table("t", ["name", "n"], [{"name": "a", "n": 120175}, {"name": "bbbbbbbb", "n": 5}])
    lines = [line for line in text.splitlines() if "│" in line]
    assert lines[0].endswith(f"│ 120{DIGIT_GROUP}175 │") and lines[1].endswith("│       5 │")
    assert lines[0].startswith("│ a        │")


def test_tables_group_digits_but_csv_and_json_stay_raw(cli: Run) -> None:
    data = json.loads(cli("load", "-r", "paijat-hame", "-f", "json").stdout)
    largest = max(a["population"] for a in data["actors"] if a.get("population"))
    assert largest >= 1000
    table = cli("load", "-r", "paijat-hame").stdout
    assert table_number(largest) in table and f" {largest} " not in table
    csv_text = cli("load", "-r", "paijat-hame", "-f", "csv").stdout
    assert str(largest) in csv_text and DIGIT_GROUP not in csv_text


# -- the CLI beside a running server -------------------------------------------


@pytest.fixture
def serving(tmp_path: Path, bundled_store_dir: Path) -> Iterator[tuple[str, Path, subprocess.Popen[bytes]]]:
    """A real `yhdyspinta serve` (one worker: it holds the store for writing) on a private store."""
    shutil.copytree(bundled_store_dir, tmp_path / "store")
    port = free_port()
    env = {**os.environ, "YHDYSPINTA_HOME": str(tmp_path), "YHDYSPINTA_WRITE_TOKEN": TOKEN}
    log = (tmp_path / "server.log").open("wb")
    process = subprocess.Popen([sys.executable, "-m", "yhdyspinta", "serve", "--port", str(port)], env=env,
                               cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, (tmp_path / "server.log").read_text()[-2000:]
            try:
                if httpx.get(f"{url}api/regions", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the server did not start within 60 s"
            time.sleep(0.2)
        yield url, tmp_path, process
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        log.close()


def test_reads_work_while_the_server_runs(serving: tuple[str, Path, subprocess.Popen[bytes]],
                                          cli: Run) -> None:
    _url, home, _process = serving
    run = _runner(home)
    for args in (["gaps", "-r", "paijat-hame", "-f", "json"], ["sources", "-f", "json"], ["regions", "-f", "csv"]):
        during = run(*args)
        assert during.returncode == 0, during.stderr
        if args[0] != "sources":  # paths are shown by their public names in the server's snapshot
            assert during.stdout == cli(*args).stdout
    said = run("-v", "info")
    assert said.returncode == 0 and "reading its latest snapshot" in said.stderr
    assert not list((home / "serve").glob("*-read-*")), "the CLI's private copy of the snapshot is left behind"


def test_a_write_while_the_server_runs_says_exactly_what_to_do(
        serving: tuple[str, Path, subprocess.Popen[bytes]]) -> None:
    url, home, process = serving
    run = _runner(home, YHDYSPINTA_WRITE_TOKEN=TOKEN)
    source = DATA / "network.ttl"
    refused = run("ingest", str(source))
    assert refused.returncode == 5, refused.stderr
    message = refused.stderr
    assert "open for writing by `yhdyspinta serve`" in message
    assert f"pid {process.pid}" in message and url in message and f"kill {process.pid}" in message
    commands = [line.strip() for line in message.splitlines() if line.strip().startswith("curl ")]
    assert len(commands) == 1 and str(source) in commands[0]

    # the printed command works as printed, and the next CLI read sees what it wrote
    env = {**os.environ, "YHDYSPINTA_WRITE_TOKEN": TOKEN}
    sent = subprocess.run(["bash", "-c", commands[0]], env=env, capture_output=True, text=True, timeout=60)
    assert sent.returncode == 0, sent.stdout + sent.stderr
    graph = re.search(r"graph=([^' ]+)", commands[0])
    assert graph is not None
    listed = json.loads(run("sources", "-f", "json").stdout)
    assert any(s["graph"] == httpx.URL(f"http://x/?g={graph[1]}").params["g"] for s in listed)


def test_the_server_leaves_no_marker_behind(serving: tuple[str, Path, subprocess.Popen[bytes]]) -> None:
    _url, home, process = serving
    holder = json.loads(holder_file(home / "store").read_text())
    assert holder["pid"] == process.pid and holder["command"] == "yhdyspinta serve"
    process.send_signal(signal.SIGINT)
    process.wait(20)
    assert not holder_file(home / "store").exists()
    after = _runner(home)("ingest", str(DATA / "network.ttl"))
    assert after.returncode == 0, after.stderr


# -- spreadsheets: XLSX, CSV for Excel, one table or all ------------------------


def test_xlsx_is_refused_on_a_terminal_and_written_to_a_file_or_a_pipe(home: Path, cli: Run, tmp_path: Path) -> None:
    import pty

    from openpyxl import load_workbook

    env = {**os.environ, "YHDYSPINTA_HOME": str(home), "NO_COLOR": "1"}
    terminal, other_end = pty.openpty()
    try:
        refused = subprocess.run([sys.executable, "-m", "yhdyspinta", "bridges", "-r", "paijat-hame", "-f", "xlsx"],
                                 env=env, cwd=ROOT, stdout=other_end, stderr=subprocess.PIPE, text=True, timeout=300)
    finally:
        os.close(terminal)
        os.close(other_end)
    assert refused.returncode == 2 and "--output FILE.xlsx" in refused.stderr
    target = tmp_path / "bridges.xlsx"
    assert cli("bridges", "-r", "paijat-hame", "-f", "xlsx", "-o", str(target)).returncode == 0
    book = load_workbook(target, read_only=True)  # read-only keeps the file open until closed
    names = book.sheetnames
    book.close()
    tables = cli("bridges", "-r", "paijat-hame", "-f", "csv", "-o", f"{tmp_path / 'each'}/")
    assert tables.returncode == 0, tables.stderr
    assert len(names) == len(list((tmp_path / "each").glob("*.csv"))) > 1
    piped = subprocess.run([sys.executable, "-m", "yhdyspinta", "bridges", "-r", "paijat-hame", "-f", "xlsx"],
                           env=env, cwd=ROOT, capture_output=True, timeout=300)
    assert piped.returncode == 0 and piped.stdout[:2] == b"PK"


def test_csv_one_table_all_tables_and_for_excel(cli: Run, tmp_path: Path) -> None:
    plain = cli("bridges", "-r", "paijat-hame", "-f", "csv")
    assert plain.returncode == 0 and "--table NAME" in plain.stderr  # the other tables are named
    folder = tmp_path / "tables"
    assert cli("bridges", "-r", "paijat-hame", "-f", "csv", "-o", f"{folder}/").returncode == 0
    assert (folder / "main.csv").read_text(encoding="utf-8") == plain.stdout
    names = sorted(p.stem for p in folder.glob("*.csv"))
    wrong = cli("bridges", "-r", "paijat-hame", "-f", "csv", "--table", "no-such-table")
    assert wrong.returncode == 2 and all(n in wrong.stderr for n in names)
    chosen = names[-1] if names[-1] != "main" else names[0]
    one = cli("bridges", "-r", "paijat-hame", "-f", "csv", "--table", chosen)
    assert one.stdout == (folder / f"{chosen}.csv").read_text(encoding="utf-8")
    excel = cli("bridges", "-r", "paijat-hame", "-f", "csv", "--excel", "--table", chosen)
    assert excel.stdout.startswith("\ufeff") and ";" in excel.stdout.splitlines()[0]
    assert cli("bridges", "-r", "paijat-hame", "-f", "json", "--excel").returncode == 2


def test_sparql_select_as_xlsx(cli: Run, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    target = tmp_path / "answer.xlsx"
    query = "SELECT ?code WHERE { ?m a yhd:Municipality ; skos:notation ?code } ORDER BY ?code"
    assert cli("sparql", query, "-f", "xlsx", "-o", str(target)).returncode == 0
    book = load_workbook(target, read_only=True)  # read-only keeps the file open until closed
    codes = [row[0] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)]
    book.close()
    as_csv = cli("sparql", query, "-f", "csv").stdout.split()[1:]
    assert [str(c) for c in codes] == as_csv
