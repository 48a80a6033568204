"""deploy/toolforge: the start script installs each commit once, even when
two jobs start at once, and runs the commit that is checked out; the jobs
file has the form ``toolforge jobs load`` reads.

The source tree is a tiny stand-in package (console script ``grantbot``)
with a build backend of its own, so the test needs no network: pip runs with
--no-index.
"""

from __future__ import annotations

import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
START = REPO / "deploy" / "toolforge" / "start.sh"
JOBS = REPO / "deploy" / "toolforge" / "jobs.yaml"

PYPROJECT = """[build-system]
requires = []
build-backend = "fakebackend"
backend-path = ["."]
"""
# A PEP 517 backend in twenty lines, so pip builds the stand-in offline.
BACKEND = r'''import base64, hashlib, zipfile
NAME, VERSION = "grantbot", "0.1.0"
FILES = {
    "fakegrantbot.py": None,
    f"{NAME}-{VERSION}.dist-info/METADATA":
        f"Metadata-Version: 2.1\nName: {NAME}\nVersion: {VERSION}\nProvides-Extra: mysql\n",
    f"{NAME}-{VERSION}.dist-info/WHEEL":
        "Wheel-Version: 1.0\nGenerator: fake\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    f"{NAME}-{VERSION}.dist-info/entry_points.txt":
        "[console_scripts]\ngrantbot = fakegrantbot:main\n",
}
def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    name = f"{NAME}-{VERSION}-py3-none-any.whl"
    record = []
    with zipfile.ZipFile(f"{wheel_directory}/{name}", "w") as whl:
        for path, text in FILES.items():
            data = open(path, "rb").read() if text is None else text.encode()
            whl.writestr(path, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            record.append(f"{path},sha256={digest.decode()},{len(data)}")
        record.append(f"{NAME}-{VERSION}.dist-info/RECORD,,")
        whl.writestr(f"{NAME}-{VERSION}.dist-info/RECORD", "\n".join(record) + "\n")
    return name
'''
MODULE = """import sys
CODE = {code!r}
def main():
    print("grantbot", CODE, " ".join(sys.argv[1:]))
"""


def _git(src: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(src), *args], check=True, capture_output=True)


def _commit(src: Path, code: str) -> None:
    (src / "fakegrantbot.py").write_text(MODULE.format(code=code))
    _git(src, "add", "-A")
    _git(src, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", code)


@pytest.fixture
def tool_home(tmp_path: Path) -> Path:
    src = tmp_path / "grantbot"
    src.mkdir()
    (src / "pyproject.toml").write_text(PYPROJECT)
    (src / "fakebackend.py").write_text(BACKEND)
    _git(src, "init", "-q")
    _commit(src, "v1")
    return tmp_path


def _start(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ["PATH"], "HOME": str(home),
        "GRANTBOT_PIP_OPTIONS": "--no-index",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    return subprocess.run(["bash", str(START), *args], env=env, capture_output=True, text=True,
                          timeout=300)


def test_installs_each_commit_once_and_runs_the_checked_out_one(tool_home: Path) -> None:
    first = _start(tool_home, "serve", "-v")
    assert first.returncode == 0, first.stderr
    # the schema step, then the command, both from the commit checked out
    assert first.stdout.splitlines() == ["grantbot v1 db upgrade", "grantbot v1 serve -v"]
    assert first.stderr.count("installing grantbot") == 1

    again = _start(tool_home, "run")
    assert again.stdout.splitlines()[-1] == "grantbot v1 run"
    assert "installing" not in again.stderr  # same commit: nothing to do

    _commit(tool_home / "grantbot", "v2")  # what `git pull` does
    with ThreadPoolExecutor(2) as pool:  # two jobs starting at once
        both = list(pool.map(lambda _: _start(tool_home, "run"), range(2)))
    for result in both:
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines()[-1] == "grantbot v2 run"
    assert sum(r.stderr.count("installing grantbot") for r in both) == 1

    for code in ("v3", "v4"):
        _commit(tool_home / "grantbot", code)
        assert _start(tool_home, "run").stdout.splitlines()[-1] == f"grantbot {code} run"
    venvs = [p for p in (tool_home / "grantbot-venvs").iterdir() if p.is_dir()]
    assert len(venvs) == 3  # older venvs are pruned


def test_no_checkout_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = _start(tmp_path, "run")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1] == f"start.sh: no git checkout in {tmp_path}/grantbot"


def test_jobs_file_is_a_list_of_toolforge_jobs() -> None:
    jobs = yaml.safe_load(JOBS.read_text())
    assert isinstance(jobs, list) and len(jobs) == 1
    (job,) = jobs
    assert job["name"] == "grantbot" and job["continuous"] is True
    assert job["image"].startswith("python3.")
    assert job["command"] == "./grantbot/deploy/toolforge/start.sh serve"
    assert set(job) <= {"name", "command", "image", "continuous", "schedule", "emails",
                        "mem", "cpu", "filelog", "retry", "mount"}
