"""End-to-end: written answers in the browser, from `rtop-search serve` pointed at a fake
OpenAI-compatible server (tests/fake_llm.py) with RTOP_LLM_BASE_URL; the seeds only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import seed_corpus
from fake_llm import FakeLLM, number_of
from test_browser import _external, _shot, serving

pytestmark = pytest.mark.browser
QUESTION = "Which states named focal points?"


def written(messages: list[dict]) -> str:
    n = number_of(messages, "Ghana", "focal points")
    return (f"- Ghana: appointed a focal point on RtoP [{n}]\n"
            f"- Denmark: appointed a focal point [{n}]\n"
            f"- France: appointed a focal point [{n}]")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    tmp = tmp_path_factory.mktemp("browser-llm")
    with FakeLLM() as fake:
        fake.script = written
        with serving(tmp, seed_corpus(), RTOP_LLM_BASE_URL=fake.url,
                     RTOP_LLM_MODEL="fake-model") as running:
            running["ready"]()
            yield {**running, "fake": fake}


def test_written_answer_shows_checked_sentences_and_sets_apart_the_dropped_one(
        server: dict, page: tuple, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    pg, requests = page
    pg.goto(server["base"] + "/")
    mode = pg.locator("#answer-mode")
    expect(mode).to_be_visible(timeout=30_000)
    expect(mode.get_by_label("Written answer, every sentence checked")).to_be_checked()
    pg.get_by_label("Your question").fill(QUESTION)
    pg.locator("#ask-btn").click()
    pg.locator("#answer .written").wait_for(timeout=60_000)
    answer = pg.locator("#answer .answer-text").inner_text()
    assert "Ghana" in answer and "Denmark" in answer and "France" not in answer
    dropped = pg.locator("#answer #unsupported")
    expect(dropped).to_contain_text("France: appointed a focal point")
    expect(dropped).to_contain_text("'France' is not named in its cited evidence")
    assert pg.locator("#answer .card.evidence").count() >= 1
    _shot(pg, tmp_path, "written-answer.png")
    assert server["fake"].requests[-1]["stream"] is True  # the UI streams the draft

    mode.get_by_label("Quotes only").check()
    pg.locator("#ask-btn").click()
    table = pg.locator("#answer .list-table")
    table.wait_for(timeout=60_000)
    assert "Ghana" in table.locator("td.item").all_inner_texts()
    assert pg.locator("#answer .written").count() == 0
    assert _external(requests) == []
