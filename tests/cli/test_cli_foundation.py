"""The foundation's command-line acceptance, run as a user runs it: ``python main.py ...``."""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from freelancer_desk.cli import build_parser
from freelancer_desk.commands import COMMAND_MODULES, COMMANDS
from freelancer_desk.db import open_database
from freelancer_desk.services import clients as clients_service

if TYPE_CHECKING:
    from tests.cli.conftest import Cli, StatusJson


def assert_one_line_error(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode != 0
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0], lines[0]


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory, cli: Cli) -> Path:
    path = tmp_path_factory.mktemp("cli") / "d.db"
    result = cli("demo", "--db", str(path), "--as-of", "2025-06-30", "--seed", "4")
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.strip().splitlines()) == 1
    assert "Clients: 40," in result.stdout and str(path) in result.stdout
    return path


#: Days looked from, with the first day of the 12 months ending on them (worked out by hand).
PERIODS = {"2025-06-30": "2024-07-01", "2024-02-29": "2023-03-01", "2025-12-31": "2025-01-01"}


@pytest.fixture(scope="module")
def documents(demo_file: Path, status_json: StatusJson) -> dict[str, dict]:
    """``status --json`` of the demo, once for each day of PERIODS."""
    return {as_of: status_json(demo_file, "--as-of", as_of) for as_of in PERIODS}


@pytest.mark.parametrize("as_of", ["2025-06-30", "2024-02-29"])
def test_demo_then_status_adds_up(documents: dict[str, dict], as_of: str) -> None:
    doc = documents[as_of]
    clients = doc["clients"]
    assert len(clients) > 10
    total = Decimal(str(doc["total_net"]))
    assert sum(Decimal(str(c["net"])) for c in clients) == total
    assert all(
        Decimal(str(c["net"])) == Decimal(str(c["net"])).quantize(Decimal("0.01")) for c in clients
    )
    assert abs(sum(c["share"] for c in clients) - 1) < 1e-9
    nets = [c["net"] for c in clients]
    assert nets == sorted(nets, reverse=True)
    assert clients[0]["name"] == "Müller & Söhne GmbH"


def test_demo_dominant_client_on_its_as_of_day(documents: dict[str, dict]) -> None:
    assert 0.55 <= documents["2025-06-30"]["clients"][0]["share"] <= 0.70


@pytest.mark.parametrize("as_of", PERIODS)
def test_period_is_the_12_months_ending_on_as_of(documents: dict[str, dict], as_of: str) -> None:
    doc = documents[as_of]
    assert (doc["as_of"], doc["period_start"], doc["period_end"]) == (as_of, PERIODS[as_of], as_of)


def test_demo_is_reproducible_through_the_cli(tmp_path: Path, cli: Cli) -> None:
    dumps = []
    for name in ("a.db", "b.db"):
        result = cli(
            "demo",
            "--db",
            str(tmp_path / name),
            "--clients",
            "30",
            "--entries",
            "200",
            "--seed",
            "77",
            "--as-of",
            "2025-01-15",
        )
        assert result.returncode == 0, result.stderr
        with sqlite3.connect(tmp_path / name) as conn:
            dumps.append([row for row in conn.iterdump() if "INSERT" in row])
    assert dumps[0] == dumps[1]
    assert sum('INTO "client"' in row for row in dumps[0]) == 30


def subcommands() -> list[str]:
    actions = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return sorted(actions[0].choices)


def test_help_of_the_program_names_every_subcommand(cli: Cli) -> None:
    result = cli("--help")
    assert result.returncode == 0 and result.stderr == ""
    for name in subcommands():
        assert name in result.stdout
    assert {"demo", "status"} <= set(subcommands())


def test_each_command_word_names_the_module_that_registers_it() -> None:
    """A command line loads only its command's module: ``COMMANDS`` must say which it is."""
    for command, module in COMMANDS.items():
        actions = [
            a for a in build_parser(command)._actions if isinstance(a, argparse._SubParsersAction)
        ]
        assert command in actions[0].choices, (command, module)
    assert sorted(COMMANDS) == subcommands()
    assert set(COMMANDS.values()) == set(COMMAND_MODULES)


@pytest.mark.parametrize("command", subcommands())
def test_help_of_every_subcommand(command: str, cli: Cli) -> None:
    result = cli(command, "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage:") and command in result.stdout


def test_help_in_german(cli: Cli) -> None:
    result = cli("demo", "--help", lang="de")
    assert result.returncode == 0
    assert "Demodaten" in result.stdout


@pytest.mark.parametrize("command", ["status", "demo"])
def test_bad_as_of_is_one_line(tmp_path: Path, command: str, cli: Cli) -> None:
    result = cli(command, "--db", str(tmp_path / "x.db"), "--as-of", "2025-02-30")
    assert_one_line_error(result, "2025-02-30", "YYYY-MM-DD")
    assert not (tmp_path / "x.db").exists()


def test_unknown_command_is_one_line(cli: Cli) -> None:
    assert_one_line_error(cli("frobnicate"), "frobnicate")


def test_demo_size_out_of_range_names_the_field(tmp_path: Path, cli: Cli) -> None:
    result = cli("demo", "--db", str(tmp_path / "x.db"), "--clients", "0")
    assert_one_line_error(result, "Clients")
    assert not (tmp_path / "x.db").exists()


def test_second_writer_gets_a_clear_message(db_path: Path, cli_process: Cli, cli: Cli) -> None:
    """The lock holds against another program: a real second process. The message in German
    comes from a second writer in this process (the lock is refused there too)."""
    holder = open_database(db_path)
    try:
        result = cli_process("demo", "--db", str(db_path))
        assert_one_line_error(result, "already open")
        assert result.returncode == 1
        result = cli("demo", "--db", str(db_path), lang="de")
        assert_one_line_error(result, "bereits")
        assert result.returncode == 1
    finally:
        holder.close()
    with open_database(db_path) as db:
        assert clients_service.client_rows(db) == []


def test_demo_refuses_a_database_with_clients_and_leaves_it(db_path: Path, cli: Cli) -> None:
    with open_database(db_path) as db:
        clients_service.create_client(db, {"name": "Bestandskunde Ü"})
    result = cli("demo", "--db", str(db_path))
    assert_one_line_error(result, "already holds clients")
    with open_database(db_path) as db:
        assert [row.name for row in clients_service.client_rows(db)] == ["Bestandskunde Ü"]


@pytest.mark.parametrize("command", [["status", "--json"], ["demo"]])
def test_random_bytes_are_refused_and_unchanged(
    tmp_path: Path, command: list[str], cli: Cli
) -> None:
    path = tmp_path / "random.db"
    content = os.urandom(16384)
    path.write_bytes(content)
    result = cli(*command, "--db", str(path))
    assert_one_line_error(result, "not a Freelancer Desk database", "unchanged")
    assert result.returncode == 1
    assert path.read_bytes() == content
