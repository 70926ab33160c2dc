"""A failing and a passing run each produce the three reports: JSON valid against its schema, JUnit
read by a JUnit parser, and an HTML page that shows what a reader needs (opened in Chromium)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from junitparser import Failure, JUnitXml, Properties, Skipped

from aicontract.contracts import report
from aicontract.contracts.violation import sent_of
from tests.harness.reports import FAULT, STEM, check, json_report, served

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def failing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("failing")
    with served({FAULT}) as url:
        assert check(url, directory) == 1
    return directory


@pytest.fixture(scope="module")
def passing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("passing")
    with served() as url:
        assert check(url, directory) == 0
    return directory


def _validator() -> Any:
    return jsonschema_rs.validator_for(json.loads(report.SCHEMA_FILE.read_text()))


@pytest.mark.parametrize("run", ["failing", "passing"])
def test_the_json_report_is_valid_against_its_shipped_schema(run: str, request: pytest.FixtureRequest) -> None:
    data = json_report(request.getfixturevalue(run))
    errors = [str(e) for e in _validator().iter_errors(data)]
    assert not errors
    assert data["schema_version"] == report.SCHEMA_VERSION and data["seed"] == 1
    assert data["api"] == "agentuniverse" and data["profile"] == "documented" and data["gate"] == "extended"
    assert all(c["level"] and c["status"] and c["seconds"] >= 0 and c["requests"] >= 0 for c in data["checks"])


def test_the_schema_rejects_a_report_missing_what_it_promises(failing: Path) -> None:
    data = json_report(failing)
    del data["checks"][0]["level"]
    assert not _validator().is_valid(data)


def test_the_schema_file_is_shipped_as_package_data() -> None:
    pyproject = (Path(__file__).parents[2] / "pyproject.toml").read_text()
    assert '"aicontract.contracts" = ["report.schema.json"]' in pyproject and report.SCHEMA_FILE.is_file()


def test_a_violation_in_json_carries_its_request_as_curl_and_as_data_and_the_answer(failing: Path) -> None:
    data = json_report(failing)
    found = next(c for c in data["checks"] if c["name"] == "error-answer-documented")
    assert found["status"] == "failed" and "POST /service_run" in found["operations"]
    v = found["violations"][0]
    assert v["id"].startswith("v-") and v["baselined"] is None
    assert sent_of(v["request_data"]).curl() == v["request"]  # the data and the curl line are the same request
    assert v["expected"] == "Content-Type application/json"
    assert v["response_data"]["status"] >= 400 and "text/plain" in v["response_data"]["headers"]["content-type"]


def test_violation_ids_are_stable_from_run_to_run(failing: Path, tmp_path: Path) -> None:
    with served({FAULT}) as url:
        check(url, tmp_path)
    ids = {v["id"] for c in json_report(failing)["checks"] for v in c["violations"]}
    again = {v["id"] for c in json_report(tmp_path)["checks"] for v in c["violations"]}
    assert ids and ids == again


def test_junit_has_a_test_case_per_check_and_operation_with_level_and_profile_properties(failing: Path) -> None:
    xml = JUnitXml.fromfile(str(failing / f"{STEM}.junit.xml"))
    suites = list(xml)
    assert len(suites) == 1
    cases = list(suites[0])
    names = {c.name for c in cases}
    assert "error-answer-documented [POST /service_run]" in names and "echo-result [POST /service_run]" in names
    failed = [c for c in cases if any(isinstance(r, Failure) for r in c.result)]
    assert {c.name for c in failed} >= {"error-answer-documented [POST /service_run]"}
    assert all(c.name.startswith("error-answer-documented") for c in failed)
    assert suites[0].failures == len(failed) and suites[0].tests == len(cases)
    one = next(c for c in failed)
    props = {p.name: p.value for ps in one.iterchildren(Properties) for p in ps}
    assert props["level"] == "core" and props["profile"] == "documented" and props["operation"]
    assert "curl -sS -i" in (one.result[0].text or "")
    assert one.classname == "aicontract.agentuniverse.documented.core"


def test_junit_of_a_passing_run_has_no_failure(passing: Path) -> None:
    xml = JUnitXml.fromfile(str(passing / f"{STEM}.junit.xml"))
    suite = next(iter(xml))
    assert suite.failures == 0 and suite.errors == 0 and suite.tests > 20
    assert not any(isinstance(r, Failure) for c in suite for r in c.result)
    assert {p.name: p.value for p in suite.properties()}["seed"] == "1"


def test_a_skipped_check_is_a_skipped_junit_case_with_its_reason(passing: Path) -> None:
    from aicontract.contracts.check import Check
    from aicontract.contracts.runner import SKIPPED, CheckResult, RunResult

    skipped = CheckResult(Check("needs-a-key", "core", "d", "g"), status=SKIPPED, reason="no --api-key")
    xml = JUnitXml.fromstring(report.junit(RunResult("toy", "documented", "t", "core", [skipped])).decode())
    case = next(iter(next(iter(xml))))
    assert isinstance(case.result[0], Skipped) and case.result[0].message == "no --api-key"


# -- the HTML page, in a browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (apt-get install chromium): the HTML report is not opened")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


def _open(browser: Any, path: Path, *, javascript: bool = True) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, java_script_enabled=javascript)
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith("file:") else None)
    page.goto(path.as_uri())
    page.outside = outside
    return page


def test_the_page_of_a_failing_run_shows_the_verdict_scores_matrix_and_each_violation(
    browser: Any, failing: Path
) -> None:
    page = _open(browser, failing / f"{STEM}.html")
    text = page.inner_text("body")
    assert "contract violated" in text and "seed: 1" in text
    assert page.locator(".score.level-core b").inner_text().endswith("%")
    assert page.locator(".score.level-core b").inner_text() != "100%"
    # the matrix: the failing cell of a documented operation is marked, and links to its finding
    cell = page.locator("table.matrix td.failed").first
    assert cell.inner_text() == "✗"
    target = cell.locator("a").get_attribute("href")
    details = page.locator(f"details{target}")
    assert not details.locator("pre").first.is_visible()  # collapsed until opened
    details.locator("summary").click()
    curl = details.locator("pre").first
    assert curl.is_visible() and curl.inner_text().startswith("curl -sS -i")
    shown = details.inner_text()
    assert "expected" in shown and "Content-Type application/json" in shown and "ground" in shown
    assert "text/plain" in shown and "aicontract replay agentuniverse-documented.json v-" in shown
    copy = details.locator("button.copy")
    assert copy.is_visible()
    copy.click()
    page.wait_for_function("b => b.textContent === 'copied'", arg=copy.element_handle(), timeout=5000)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no horizontal scroll
    assert page.outside == []  # no external asset


def test_the_page_of_a_passing_run_says_the_contract_holds_and_lists_no_violation(browser: Any, passing: Path) -> None:
    page = _open(browser, passing / f"{STEM}.html")
    text = page.inner_text("body")
    assert "contract holds" in text and "0 new violation(s)" in text
    assert page.locator("details").count() == 0 and page.locator("table.matrix td.failed").count() == 0
    assert page.locator(".score.level-core b").inner_text() == "100%"
    assert page.locator("table.matrix td.passed").count() > 10
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_without_javascript_violations_still_expand_and_copy_buttons_stay_hidden(browser: Any, failing: Path) -> None:
    page = _open(browser, failing / f"{STEM}.html", javascript=False)
    details = page.locator("details").first
    details.locator("summary").click()
    assert details.locator("pre").first.is_visible()
    assert not details.locator("button.copy").is_visible()


def test_the_index_of_a_multi_api_run_links_each_run_with_its_scores(
    browser: Any, failing: Path, passing: Path, tmp_path: Path
) -> None:
    from aicontract.contracts.check import CORE, Check
    from aicontract.contracts.runner import FAILED, PASSED, CheckResult, RunResult

    ok = RunResult("covalent", "documented", "t", "extended", [CheckResult(Check("a", CORE, "d", "g"), PASSED)])
    bad = RunResult("agentuniverse", "upstream", "t", "extended", [CheckResult(Check("b", CORE, "d", "g"), FAILED)])
    page = _open(browser, report.write_index([ok, bad], tmp_path))
    rows = page.locator("tbody tr")
    assert rows.count() == 2 and "a contract is violated" in page.inner_text("body")
    assert rows.nth(0).locator("a").get_attribute("href") == "covalent-documented.html"
    assert "100%" in rows.nth(0).inner_text() and "0%" in rows.nth(1).inner_text()


def test_check_all_writes_a_page_per_run_and_an_index_linking_them(tmp_path: Path) -> None:
    from aicontract.contracts.cli import main

    main(["check", "all", "--max-examples", "2", "--shrink-seconds", "0", "--report", str(tmp_path), "-q"])
    pages = sorted(p.name for p in tmp_path.glob("*.html") if p.name != "index.html")
    index = (tmp_path / "index.html").read_text()
    assert len(pages) >= 2 and all(f"href='{page}'" in index for page in pages)
