"""The real `covalent-cloud` SDK (1.4.4) works against the stub, with exactly the seed's outputs.

The SDK runs in a subprocess (its settings are read at import, from the environment), in the
first Python that has it: $AICONTRACT_COVALENT_PYTHON, this interpreter, or a virtual environment
the tests create once in the user cache (`covalent-cloud` pins sqlalchemy<2 and cloudpickle<3, so
it is kept out of the harness's own environment). Set AICONTRACT_SDK_INSTALL=0 to forbid that
install; the tests are skipped only when the SDK is nowhere and cannot be installed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aicontract.stubs.covalent import DEFAULT_API_KEY, EXAMPLE_FUNCTION_ID, create_app, service
from tests.covalent.conftest import on_socket

REQUIREMENTS = ["covalent-cloud==1.4.4", "packaging"]  # the SDK imports packaging but does not declare it
DRIVER = Path(__file__).with_name("sdk_driver.py")
INSTALL_SECONDS = 900
RUN_SECONDS = 120

SEED_TRANSCRIPT = """\
Hello, world! My favorite number is 42
Hello, world! My favorite number is 1867
Hello, Covalent! My favorite number is 42
Hello, world!
Items: 1 5 foo
Done streaming
The quick brown fox jumps over the lazy dog
Items: 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19
Done streaming
{"route": "/custom-endpoint", "message": "Hello, world!", "number": 42}
{"route": "/custom-endpoint", "message": "dash", "number": 1}
"""


def _has_sdk(python: str, home: Path) -> bool:
    probe = [python, "-c", "import covalent_cloud, packaging"]
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(home)}
    try:
        return subprocess.run(probe, env=env, capture_output=True, timeout=RUN_SECONDS).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def _install(venv: Path) -> str | None:
    """Create `venv` with the SDK; None when done, else why not."""
    shutil.rmtree(venv, ignore_errors=True)
    python = venv / "bin" / "python"
    uv = shutil.which("uv")
    if uv:
        steps = [
            [uv, "venv", "-q", "-p", sys.executable, str(venv)],
            [uv, "pip", "install", "-q", "-p", str(python), *REQUIREMENTS],
        ]
    else:
        steps = [
            [sys.executable, "-m", "venv", str(venv)],
            [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", *REQUIREMENTS],
        ]
    for step in steps:
        try:
            done = subprocess.run(step, capture_output=True, text=True, timeout=INSTALL_SECONDS)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"{Path(step[0]).name}: {exc}"
        if done.returncode != 0:
            last = (done.stderr.strip() or done.stdout.strip() or "failed").splitlines()[-1]
            return f"{Path(step[0]).name} {step[1]}: {last}"
    (venv / ".complete").touch()
    return None


@pytest.fixture(scope="session")
def sdk_python(tmp_path_factory: pytest.TempPathFactory) -> str:
    home = tmp_path_factory.mktemp("sdk-home")
    given = os.environ.get("AICONTRACT_COVALENT_PYTHON")
    if given:
        if not _has_sdk(given, home):
            pytest.fail(f"AICONTRACT_COVALENT_PYTHON={given} cannot import covalent_cloud and packaging")
        return given
    if _has_sdk(sys.executable, home):
        return sys.executable
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    venv = cache / "aicontract" / "covalent-cloud-1.4.4"
    python = str(venv / "bin" / "python")
    if (venv / ".complete").exists() and _has_sdk(python, home):
        return python
    if os.environ.get("AICONTRACT_SDK_INSTALL") == "0":
        pytest.skip("covalent-cloud is not installed and AICONTRACT_SDK_INSTALL=0 forbids installing it")
    why = _install(venv)
    if why is not None or not _has_sdk(python, home):
        pytest.skip(f"covalent-cloud 1.4.4 cannot be installed: {why or 'installed, but it does not import'}")
    return python


def run_sdk(python: str, url: str, home: Path, *args: str, key: str = DEFAULT_API_KEY) -> str:
    # A bare environment: no proxies (requests honours them), the SDK's settings set before import.
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "COVALENT_CLOUD_DISPATCHER_URI": url,
        "COVALENT_CLOUD_AUTH__API_KEY": key,
        "NO_PROXY": "*",
    }
    done = subprocess.run(
        [python, str(DRIVER), *args], env=env, capture_output=True, text=True, timeout=RUN_SECONDS, cwd=home
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def last_json(output: str) -> Any:
    """The driver's report: its last line (the SDK prints `Response: ...` before raising)."""
    return json.loads(output.strip().splitlines()[-1])


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path


@pytest.fixture
def url() -> Iterator[str]:
    with on_socket(create_app()) as served:
        yield served


def test_the_seed_examples_print_exactly_what_the_seed_shows(sdk_python: str, url: str, home: Path) -> None:
    assert run_sdk(sdk_python, url, home, "seed", EXAMPLE_FUNCTION_ID) == SEED_TRANSCRIPT


def test_control_plane_keys_async_methods_and_teardown(sdk_python: str, url: str, home: Path) -> None:
    out = last_json(run_sdk(sdk_python, url, home, "control", EXAMPLE_FUNCTION_ID))
    assert out.pop("async_chunks") >= 2  # aiohttp's iter_any: the chunks as they came
    assert out == {
        "status": "ACTIVE",
        "routes": ["/hello", "/stream", "/custom-endpoint"],
        "methods": ["custom_endpoint", "hello", "stream"],
        "listed": [EXAMPLE_FUNCTION_ID],
        "key_listed": True,
        "with_new_key": "Hello, world! My favorite number is 5",
        "deleted": True,
        "revoked_key": 401,
        "async_hello": "Async! My favorite number is 42",
        "async_stream": "Hello, world!\nItems: a b\nDone streaming\n",
        "teardown_status": "INACTIVE",
        "after_teardown": "INACTIVE",
        "call_after_teardown": 410,
    }


def test_a_wrong_account_key_is_refused_on_the_control_plane(sdk_python: str, url: str, home: Path) -> None:
    out = last_json(run_sdk(sdk_python, url, home, "refused", EXAMPLE_FUNCTION_ID, key="wrong"))
    assert out == {"error": 401}


def test_a_creating_deployment_reads_creating_and_refuses_calls(sdk_python: str, home: Path) -> None:
    # Without wait=True: with it, the SDK would poll every 10 s until the stub's delay passed.
    with on_socket(create_app(create_delay=60)) as url:
        out = last_json(run_sdk(sdk_python, url, home, "refused", EXAMPLE_FUNCTION_ID))
    assert out == {"status": "CREATING", "error": 503}


def test_a_user_service_is_callable_through_the_sdk(sdk_python: str, home: Path) -> None:
    @service(title="Word tools", function_id="wordtools")
    def words(separator: str = "-") -> dict[str, Any]:
        return {"separator": separator}

    @words.endpoint("/join-words")
    def join(words: list[str], separator: str) -> str:
        return separator.join(words)

    @words.endpoint("/spell", streaming=True)
    def spell(word: str = "abc") -> Iterator[str]:
        yield from word

    with on_socket(create_app(services=[words])) as url:
        joined = run_sdk(sdk_python, url, home, "call", "wordtools", "join_words", '{"words": ["a", "b"]}')
        spelled = run_sdk(sdk_python, url, home, "call", "wordtools", "spell", '{"word": "xyz"}')
    assert json.loads(joined) == "a-b"
    assert json.loads(spelled) == "xyz"
