"""Model and dataset cards that feed the Hub (issue 16): lineage (base_model, base_model_relation,
new_version), evaluation results, gated access, a widget example, every library's usage snippet, and a
viewer-ready dataset (Parquet by default; features, splits and size category true of the files).

Each case renders a repo, checks its card against the Hub's rules and runs the repo's own tests.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from helpers import COPIER_YML, ROOT, project_pytest_env, render
from hub_rules import check_repo, read_metadata
from test_generated_projects import run_project_tests

SAMPLE = ROOT / "template" / "{% if repo_type == 'dataset' %}data{% endif %}"
FORMATS = list(COPIER_YML["data_format"]["choices"].values())
LIBRARIES = COPIER_YML["library_name"]["choices"]


def sample_file(split: str, data_format: str) -> Path:
    return SAMPLE / f"{{% if data_format == '{data_format}' %}}{split}.{data_format}{{% endif %}}"


def sample_rows(split: str, data_format: str) -> list[dict[str, str]]:
    path = sample_file(split, data_format)
    if data_format == "csv":
        with path.open(newline="", encoding="utf-8") as file:
            return list(csv.DictReader(file))
    if data_format == "jsonl":
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    import pyarrow.parquet as pq

    return pq.read_table(path).to_pylist()


def test_the_sample_holds_the_same_rows_in_every_format():
    """One sample, three formats: the card's row counts and features (partials/sample_data.jinja) are theirs."""
    from helpers import copier_jinja

    facts = copier_jinja().get_template("partials/sample_data.jinja").module
    for split, count in facts.sample_splits.items():
        rows = {data_format: sample_rows(split, data_format) for data_format in FORMATS}
        assert rows["parquet"] == rows["csv"] == rows["jsonl"] and len(rows["csv"]) == count
        assert list(rows["csv"][0]) == [feature["name"] for feature in facts.sample_features]


def test_size_category_follows_the_row_count():
    from helpers import copier_jinja

    macro = copier_jinja().get_template("partials/hub_facts.jinja").module.size_category
    cases = {0: "n<1K", 999: "n<1K", 1000: "1K<n<10K", 12_345: "10K<n<100K", 10**9: "1B<n<10B", 10**13: "n>1T"}
    assert {rows: str(macro(rows)) for rows in cases} == cases


@pytest.mark.slow  # three datasets, each loaded by `datasets` in its own tests
@pytest.mark.parametrize("data_format", FORMATS)
def test_each_data_format_loads_with_the_declared_features(template, tmp_path, data_format):
    dst = render(template, tmp_path / f"data-{data_format}", repo_type="dataset", data_format=data_format)
    meta = read_metadata(dst / "README.md")
    assert {e["path"] for e in meta["configs"][0]["data_files"]} == {
        f"data/train.{data_format}",
        f"data/test.{data_format}",
    }
    assert sorted(p.name for p in (dst / "data").iterdir()) == [f"test.{data_format}", f"train.{data_format}"]
    assert check_repo(dst, "dataset") == []
    run_project_tests(dst)


def test_dataset_card_drift_fails_the_repos_own_test(template, tmp_path):
    """Replace the sample with more rows and leave the card: the repo's test says what to write."""
    import subprocess
    import sys

    dst = render(template, tmp_path / "drift", repo_type="dataset", data_format="csv")
    train = dst / "data" / "train.csv"
    train.write_text(train.read_text() + '"One more row.",positive\n')
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_dataset.py"],
        cwd=dst,
        env=project_pytest_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1, result.stdout[-2000:]
    assert "(num_examples, num_bytes) are {'train': (9, " in result.stdout, result.stdout[-2000:]


def test_gated_dataset_card(template, tmp_path):
    dst = render(template, tmp_path / "gated", repo_type="dataset", gated=True)
    meta = read_metadata(dst / "README.md")
    assert "Access to this dataset" in meta["extra_gated_prompt"]
    assert meta["extra_gated_fields"]["Country"] == "country"
    assert check_repo(dst, "dataset") == []
    assert 'gated="manual"' in (dst / "README.md").read_text()
    plain = read_metadata(render(template, tmp_path / "open", repo_type="dataset") / "README.md")
    assert not {key for key in plain if key.startswith("extra_gated")}


MODEL_OPTIONS = {
    "base_model": "acme/base",
    "datasets": "acme/data",
    "eval_results": "accuracy=0.91, f1=0.88",
    "gated": True,
    "new_version": "acme/model-v2",
}


@pytest.mark.parametrize("library", LIBRARIES)
def test_model_card_options_reach_the_card_and_the_repo_tests_itself(template, tmp_path, library):
    """Every library with lineage, results and gating: the card passes the Hub's rules, huggingface_hub
    parses its eval results, the usage snippet compiles (the repo's own tests)."""
    relation = {"peft": "adapter", "gguf": "quantized", "mlx": "quantized"}.get(library, "finetune")
    dst = render(
        template,
        tmp_path / f"model-{library}",
        repo_type="model",
        namespace="acme",
        library_name=library,
        base_model_relation=relation,
        **MODEL_OPTIONS,
    )
    meta = read_metadata(dst / "README.md")
    assert (meta["base_model"], meta["base_model_relation"], meta["new_version"]) == (
        "acme/base",
        relation,
        "acme/model-v2",
    )
    assert meta["metrics"] == ["accuracy", "f1"]
    result = meta["model-index"][0]["results"][0]
    assert result["dataset"] == {"type": "acme/data", "name": "acme/data", "split": "test"}
    assert result["task"]["type"] == meta["pipeline_tag"]
    assert result["metrics"] == [{"type": "accuracy", "value": 0.91}, {"type": "f1", "value": 0.88}]
    assert meta["extra_gated_fields"] and meta["extra_gated_prompt"]
    assert check_repo(dst, "model") == []
    run_project_tests(dst)


def test_model_card_without_options_has_none_of_their_keys(template, tmp_path):
    meta = read_metadata(render(template, tmp_path / "plain", repo_type="model") / "README.md")
    keys = {"base_model_relation", "new_version", "metrics", "model-index", "extra_gated_prompt"}
    assert not keys & set(meta)
    assert meta["widget"] == [{"text": "I love this model, it works great!"}]  # the default task's example
    no_widget = render(template, tmp_path / "tabular", repo_type="model", library_name="scikit-learn")
    assert "widget" not in read_metadata(no_widget / "README.md")


def test_several_base_models_default_to_a_merge(template, tmp_path):
    dst = render(template, tmp_path / "merge", repo_type="model", base_model="acme/a, acme/b")
    meta = read_metadata(dst / "README.md")
    assert (meta["base_model"], meta["base_model_relation"]) == (["acme/a", "acme/b"], "merge")
    assert check_repo(dst, "model") == []


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"base_model": "acme/a", "base_model_relation": "merge"}, "a merge needs 2+ base_model"),
        (
            {"base_model": "acme/a, acme/b", "base_model_relation": "quantized"},
            "a list of bases is a merge",
        ),
        (
            {"base_model": "acme/a", "library_name": "keras", "base_model_relation": "adapter"},
            "peft/diffusers library only",
        ),
    ],
)
def test_relation_rules_are_refused_at_the_prompt_and_checked_in_the_repo(template, tmp_path, answers, message):
    import re

    with pytest.raises(ValueError, match=re.escape(message)):
        render(template, tmp_path / "bad", repo_type="model", **answers)
    assert not (tmp_path / "bad").exists()
