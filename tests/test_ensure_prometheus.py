"""`make test` brings Prometheus where apt-get is usable and otherwise stops with the one command to run.

scripts/ensure-prometheus runs with a PATH of stand-ins only: `id` says who we are, `apt-get` and
`sudo` record how they were called, and `prometheus`/`promtool` exist or not.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from conftest import ROOT

SCRIPT = ROOT / "scripts" / "ensure-prometheus"
BASH = shutil.which("bash")


def stand_in(folder, name: str, body: str) -> None:
    path = folder / name
    path.write_text(f"#!{BASH}\n{body}\n")
    path.chmod(0o755)


@pytest.fixture
def machine(tmp_path):
    """A fresh machine's PATH: returns `run(uid, apt, sudo, installed, fails)` -> (exit code, stderr, calls)."""
    tools, log = tmp_path / "bin", tmp_path / "calls"
    tools.mkdir()
    log.write_text("")

    def run(uid: int = 0, apt: bool = True, sudo: bool = False, installed: bool = False, fails: bool = False):
        stand_in(tools, "id", f"echo {uid}")
        if apt and fails:
            stand_in(tools, "apt-get", f'echo "apt-get $*" >> {log}; exit 100')
        elif apt:   # a successful install puts both tools on PATH, as Debian's package does
            stand_in(tools, "apt-get", f'echo "apt-get $*" >> {log}\n'
                                       f'[ "$1" = install ] && for t in prometheus promtool; do '
                                       f'printf "#!{BASH}\\n" > {tools}/$t; chmod +x {tools}/$t; done; true')
        if sudo:   # password-less: `sudo -n true` succeeds, and sudo runs what follows
            stand_in(tools, "sudo", f'echo "sudo $*" >> {log}\n[ "$1" = -n ] && shift; "$@"')
        if installed:
            for tool in ("prometheus", "promtool"):
                stand_in(tools, tool, "")
        done = subprocess.run([BASH, str(SCRIPT)], env={"PATH": str(tools)}, capture_output=True, text=True,
                              stdin=subprocess.DEVNULL, timeout=30)
        return done.returncode, done.stderr, log.read_text().splitlines()
    return run


def test_nothing_to_do_where_both_tools_are_installed(machine):
    assert machine(installed=True) == (0, "", [])


def test_root_installs_the_package_with_apt_get(machine):
    code, err, calls = machine(uid=0)
    assert code == 0, err
    assert calls == ["apt-get update -qq", "apt-get install -y -qq --no-install-recommends prometheus"]
    assert "installing Debian's prometheus package" in err


def test_a_user_with_password_less_sudo_installs_through_sudo(machine):
    code, err, calls = machine(uid=1000, sudo=True)
    assert code == 0, err
    assert [c for c in calls if c.startswith("sudo")] == [
        "sudo -n true", "sudo apt-get update -qq", "sudo apt-get install -y -qq --no-install-recommends prometheus"]


def test_a_user_without_sudo_is_told_the_one_command_and_nothing_runs(machine):
    code, err, calls = machine(uid=1000)
    assert (code, calls) == (1, [])
    assert err == "make test needs prometheus and promtool; run: sudo apt-get install prometheus\n"


def test_a_machine_without_apt_get_is_told_what_to_install(machine):
    code, err, calls = machine(uid=0, apt=False)
    assert (code, calls) == (1, [])
    assert err.startswith("make test needs prometheus and promtool on PATH; install Prometheus")


def test_a_failed_install_stops_loudly(machine):
    code, err, calls = machine(uid=0, fails=True)
    assert (code, calls) == (1, ["apt-get update -qq"])
    assert "FAILED to install the prometheus package" in err
