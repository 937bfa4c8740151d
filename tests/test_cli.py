"""The rtop-search command: index, stats, ask, search; errors exit 2 with a hint."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from rtop_search.cli import app

runner = CliRunner()


@pytest.mark.model
def test_index_stats_ask_search(tmp_path, seed_copy):
    index = str(tmp_path / "index")
    (seed_copy / "notes.xlsx").write_bytes(b"PK")
    first = runner.invoke(app, ["index", str(seed_copy), "--index-dir", index])
    assert first.exit_code == 0, first.output
    assert "indexed 3 documents" in first.output and "skipped" in first.output
    again = runner.invoke(app, ["index", str(seed_copy), "--index-dir", index, "--json"])
    assert json.loads(again.output)["chunks_embedded"] == 0
    stats = json.loads(runner.invoke(app, ["stats", "--index-dir", index, "--json"]).output)
    assert stats["documents"] == 3 and stats["manifest"]["model"]["dim"] == 384
    assert stats["manifest"]["corpus_version"] and stats["last_build"]["skipped"]
    asked = runner.invoke(app, ["ask", "Which states named focal points?", "--index-dir", index,
                                "--json"])
    answer = json.loads(asked.output)
    assert {i["label"] for i in answer["items"]} >= {"Ghana", "Uruguay", "Costa Rica"}
    assert {"question", "answer", "refused", "items", "citations", "corpus_version"} <= set(answer)
    plain = runner.invoke(app, ["ask", "When did ICRtoP launch?", "--index-dir", index])
    assert plain.exit_code == 0 and "[1]" in plain.output and "2009" in plain.output
    found = runner.invoke(app, ["search", "Costa Rica", "--index-dir", index, "--json"])
    assert "Costa Rica" in json.loads(found.output)["results"][0]["quote"]


def test_errors_exit_2_with_a_hint(tmp_path):
    missing = runner.invoke(app, ["stats", "--index-dir", str(tmp_path / "none")])
    assert missing.exit_code == 2
    assert "No index" in missing.output and "rtop-search index" in missing.output
    nofolder = runner.invoke(app, ["index", str(tmp_path / "nowhere"), "--index-dir",
                                   str(tmp_path / "i")])
    assert nofolder.exit_code == 2 and "No such file or folder" in nofolder.output
    state = runner.invoke(app, ["ask", "x?", "--state", "Atlantis", "--index-dir",
                                str(tmp_path / "none")])
    assert state.exit_code == 2


def test_bad_setting_fails_at_start_up(monkeypatch, tmp_path):
    monkeypatch.setenv("RTOP_CHUNK_MAX_TOKENS", "5000")
    result = runner.invoke(app, ["stats", "--index-dir", str(tmp_path)])
    assert result.exit_code == 2 and "Bad setting" in result.output


@pytest.mark.parametrize("command", [["bench"], ["eval", "qa"]])
def test_eval_commands_name_the_extra_when_it_is_missing(monkeypatch, command):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "matplotlib" else real(name, *a))
    result = runner.invoke(app, command)
    assert result.exit_code == 2, result.output
    assert "matplotlib" in result.output and "rtop-search[eval]" in result.output
