from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nlu.cli import app

ROOT = Path(__file__).resolve().parents[2]
NOW = "2026-11-24T09:00:00+07:00"
SMALL = """version: "3.1"
nlu:
- intent: salam
  examples: |
    - halo
    - selamat pagi
    - permisi min
- intent: cek_status
  examples: |
    - cek status [ptsp 261120 42]{"entity": "nomor_registrasi", "value": "PTSP-261120-0042"}
    - permohonan saya sampai mana
    - cek berkas saya
- intent: terima_kasih
  examples: |
    - terima kasih
    - makasih min
    - suwun
"""
runner = CliRunner()


@pytest.fixture(scope="module")
def shared_data_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("var")


@pytest.fixture
def in_repo(monkeypatch, shared_data_dir):
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("PTSP_DATA_DIR", str(shared_data_dir))
    monkeypatch.delenv("PTSP_CONFIG", raising=False)
    monkeypatch.delenv("PTSP_NLU_BACKEND", raising=False)


@pytest.fixture
def small_model(tmp_path, in_repo) -> tuple[Path, Path]:
    data = tmp_path / "data"
    data.mkdir()
    (data / "small.yml").write_text(SMALL, encoding="utf-8")
    out = tmp_path / "model.joblib"
    result = runner.invoke(app, ["train", "--data", str(data), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "trained on 9 examples, 3 intents" in result.output
    return out, data / "small.yml"


def test_train_writes_the_model_file(small_model):
    out, _ = small_model
    assert out.is_file()


def test_parse_prints_one_json_result(in_repo):
    result = runner.invoke(app, ["parse", "--now", NOW, "cek status ptsp 261120 42"])
    assert result.exit_code == 0, result.output
    parsed = json.loads(result.output)
    assert parsed["intent"]["name"] == "cek_status"
    assert [(e["entity"], e["value"]) for e in parsed["entities"]] == [
        ("nomor_registrasi", "PTSP-261120-0042")
    ]


def test_parse_stdin_prints_one_line_per_message_in_order(in_repo):
    messages = ["halo min", "", "mau ketemu kakanwil besok jam 10", "makasih ya"]
    result = runner.invoke(app, ["parse", "--now", NOW, "-"], input="\n".join(messages) + "\n")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["text"] for line in lines] == messages
    assert lines[2]["entities"][-1]["value"] == "2026-11-25T10:00:00+07:00"


def test_parse_with_a_model_file(small_model):
    out, _ = small_model
    result = runner.invoke(app, ["parse", "--model", str(out), "makasih min"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["intent"]["name"] == "terima_kasih"


def test_evaluate_json_has_the_contract_keys(small_model):
    out, test_file = small_model
    result = runner.invoke(
        app, ["evaluate", str(test_file), "--json", "--now", NOW, "--model", str(out)]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert set(report) == {
        "intent_accuracy",
        "intent_macro_f1",
        "entity_f1",
        "per_intent",
        "errors",
    }
    assert set(report["per_intent"]["salam"]) == {"precision", "recall", "f1", "support"}
    assert report["entity_f1"] == 1.0


def test_evaluate_table_shows_scores(small_model):
    out, test_file = small_model
    result = runner.invoke(app, ["evaluate", str(test_file), "--model", str(out)])
    assert result.exit_code == 0, result.output
    assert "intent accuracy" in result.output
    assert "terima_kasih" in result.output


def test_bad_now_is_a_usage_error(in_repo):
    result = runner.invoke(app, ["parse", "--now", "besok", "halo"])
    assert result.exit_code == 2


def test_missing_config_is_a_one_line_error(in_repo, monkeypatch, tmp_path):
    monkeypatch.setenv("PTSP_CONFIG", str(tmp_path / "nope.yml"))
    result = runner.invoke(app, ["parse", "halo"])
    assert result.exit_code == 1
    assert result.output.startswith("error: cannot read config")
    assert "Traceback" not in result.output


def test_missing_evaluation_file_is_a_one_line_error(in_repo, tmp_path):
    result = runner.invoke(app, ["evaluate", str(tmp_path / "nope.yml")])
    assert result.exit_code == 1
    assert "no NLU training examples" in result.output


def test_unreadable_model_file_is_a_one_line_error(in_repo, tmp_path):
    bad = tmp_path / "bad.joblib"
    bad.write_bytes(b"garbage")
    result = runner.invoke(app, ["parse", "--model", str(bad), "halo"])
    assert result.exit_code == 1
    assert "cannot load model" in result.output
