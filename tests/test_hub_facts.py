"""One source for each Hub fact. What huggingface_hub exports (URL prefixes, the repo id rule,
SpaceHardware, SpaceStage, the SDKs) is its: the copies that must remain (the Jinja the template
renders with Copier alone, and tests/hub_rules.py, shipped in every project) are checked against
huggingface_hub itself. The rest has one source, partials/hub_facts.jinja; every other copy agrees
with it, and no file of the template, its hooks or its tools writes a fact out again."""

from __future__ import annotations

import re
from pathlib import Path

import hub_rules
import pytest
from helpers import COPIER_YML, ROOT, copier_jinja, work_tree_files

from hf_hub_template.hub import facts as hub_facts

FACTS = copier_jinja().get_template("partials/hub_facts.jinja").module
SOURCE = ROOT / "partials" / "hub_facts.jinja"
COPIES = {ROOT / "hf_hub_template" / "hub" / "facts.py", ROOT / "template" / "tests" / "hub_rules.py"}


def test_the_python_tools_carry_the_template_s_own_facts():
    """The facts huggingface_hub does not export: the Python tools' copies equal partials/hub_facts.jinja."""
    assert hub_facts.HUB_SDK == FACTS.hub_sdk
    assert hub_facts.STREAMLIT_PORT == FACTS.streamlit_port
    assert hub_facts.LICENSES == set(FACTS.licenses)


def test_what_huggingface_hub_exports_is_its_in_every_copy():
    from huggingface_hub import SpaceHardware, constants

    template_types = {t for t in constants.REPO_TYPES if t} - {"kernel"}
    assert set(hub_facts.REPO_TYPES) == template_types
    prefixes = {t: constants.REPO_TYPES_URL_PREFIXES.get(t, "") for t in template_types}
    assert FACTS.url_prefix == prefixes
    assert {t: hub_facts.url_prefix(t) for t in template_types} == prefixes
    hardware = {h.value for h in SpaceHardware}
    assert set(FACTS.requestable_hardware) == hardware
    assert FACTS.zerogpu_hardware == SpaceHardware.ZERO_A10G.value
    assert set(FACTS.hardware) <= hardware and hub_rules.HARDWARE <= hardware
    assert set(FACTS.hub_sdk.values()) == hub_rules.SPACE_SDKS <= set(constants.SPACES_SDK_TYPES)


# Repo ids on either side of each part of validate_repo_id's rule (1-96 characters of A-Z a-z 0-9 _ . -
# per part, starting and ending with a letter, digit or _; no -- or ..; no .git ending; one / at most).
REPO_IDS = [
    "acme/demo", "demo", "a/b", "A_1/b.c-d", "_x/y_", "9/9", "a" * 96 + "/" + "b" * 96, "a" * 97 + "/b",
    "a/" + "b" * 97, "a/b.git", "a.git/b", "a/b.gitx", "a--b/c", "a/b--c", "a..b/c", "a/b..c", "a-b/c.d",
    "-a/b", "a-/b", ".a/b", "a/b.", "a/-b", "a/b/c", "/a", "a/", "", "a b/c", "a/b!", "ns/é",
    "a/b\n",  # `$` matches before a final newline: the shipped checker uses fullmatch
]  # fmt: skip


@pytest.mark.parametrize("repo_id", REPO_IDS)
def test_every_repo_id_check_is_validate_repo_id_s(repo_id):
    """The Jinja pattern (copier.yml's validators) and the shipped checker accept what huggingface_hub
    accepts, ASCII alone (the Hub's names are); the tools ask huggingface_hub itself (`is_repo_id`)."""
    from huggingface_hub.utils import HFValidationError, validate_repo_id

    try:
        validate_repo_id(repo_id)
        client_accepts = True
    except HFValidationError:
        client_accepts = False
    valid = client_accepts and repo_id.isascii()
    assert bool(re.fullmatch(FACTS.repo_id_pattern, repo_id)) == valid
    assert bool(hub_rules.REPO_ID.fullmatch(repo_id)) == valid  # as hub_rules uses it
    assert hub_facts.is_repo_id(repo_id) == (client_accepts and "/" in repo_id)


def test_the_rendered_checker_carries_the_same_facts():
    assert hub_rules.LICENSES == set(FACTS.licenses)
    assert hub_rules.TASKS == set(FACTS.tasks)
    assert hub_rules.HARDWARE == set(FACTS.hardware)  # the card's values; all of them SpaceHardware's (above)
    assert hub_rules.COLORS == set(FACTS.colors)
    assert hub_rules.DEFAULT_APP_PORT == FACTS.default_app_port
    assert hub_rules.EMOJI.pattern == FACTS.emoji_pattern
    assert hub_rules.HEADERS == set(FACTS.space_headers)
    assert hub_rules.BASE_MODEL_RELATIONS == set(FACTS.base_model_relations)
    assert hub_rules.GATED_FIELD_TYPES == FACTS.gated_field_types
    assert hub_rules.SIZE_BUCKETS == FACTS.size_categories
    assert hub_rules.SIZE_CATEGORIES == {*FACTS.size_categories, "other"}
    for rows in (0, 999, 1000, 12_345, 10**9, 10**13):
        assert hub_rules.size_category(rows) == str(FACTS.size_category(rows)), rows
    assert hub_rules.OAUTH_SCOPES == set(FACTS.oauth_scopes)
    assert hub_rules.OAUTH_EXPIRATION_MINUTES_MAX == FACTS.oauth_expiration_minutes_max
    assert hub_rules.CUSTOM_HEADER_VALUES == FACTS.custom_header_values
    assert hub_rules.DURATION.pattern == FACTS.duration_pattern
    assert hub_rules.DEBIAN_PACKAGE.pattern == FACTS.debian_package_pattern


def choice_values(question: str) -> list[str]:
    choices = COPIER_YML[question]["choices"]
    values = list(choices.values()) if isinstance(choices, dict) else list(choices)
    return [value["value"] if isinstance(value, dict) else value for value in values]  # {value, validator}


def test_copier_choices_are_the_facts():
    assert choice_values("color_from") == choice_values("color_to") == FACTS.colors
    assert choice_values("suggested_hardware") == FACTS.suggested_hardware
    assert choice_values("space_hardware") == ["none", *FACTS.requestable_hardware]
    assert choice_values("space_sdk") == list(FACTS.hub_sdk)
    assert choice_values("header") == FACTS.space_headers
    assert set(choice_values("base_model_relation")) == {"none", *FACTS.base_model_relations}
    # The preset is a valid custom_headers mapping.
    for name, value in FACTS.cross_origin_isolation.items():
        assert value in FACTS.custom_header_values[name]


def test_the_facts_are_well_formed():
    assert len(FACTS.licenses) == len(set(FACTS.licenses)) > 50 and "other" in FACTS.licenses
    assert len(FACTS.tasks) == len(set(FACTS.tasks)) > 50 and "text-classification" in FACTS.tasks
    for pattern in (FACTS.repo_name_pattern, FACTS.namespace_pattern, FACTS.repo_id_pattern, FACTS.emoji_pattern):
        re.compile(pattern)
    assert re.fullmatch(FACTS.repo_id_pattern, "acme/demo") and not re.fullmatch(FACTS.repo_id_pattern, "a/b.git")


# A string that only a copy of a fact would hold (a list's rare member, a regex's quantifier, a mapping).
SIGNATURES = {
    "the task list": r"zero-shot-object-detection",
    "the licence list": r"bigscience-bloom-rail",
    "the hardware list": r"a10g-largex4",
    "the repo id rule": r"\{0,94\}",
    "the URL prefix per repo type": r"""["']datasets/["']""",
    "the Streamlit-to-Docker SDK rule": r"""["']streamlit["']\s*:\s*["']docker["']|["']docker["'] if space_sdk ==""",
    "the Streamlit port": r"\b8501\b",
    "the OAuth scopes": r"write-discussions",
    "the custom header values": r"same-origin-allow-popups",
}
CODE = [
    ROOT / rel
    for rel in work_tree_files(ROOT)
    if (rel == "copier.yml" or rel.startswith(("template/", "partials/", "hf_hub_template/", "hooks/")))
    and ROOT / rel != SOURCE
    and ROOT / rel not in COPIES
    and ".parquet" not in rel  # the dataset sample's binary files
]


@pytest.mark.parametrize("fact", sorted(SIGNATURES))
def test_no_other_file_writes_a_fact_out_again(fact):
    pattern = re.compile(SIGNATURES[fact])
    assert pattern.search(SOURCE.read_text()), f"the signature of {fact} no longer matches its source"
    found = []
    for path in CODE:
        text = path.read_text(encoding="utf-8")
        if path.name == "copier.yml":  # help, comments and choice labels speak to people; choices are tested above
            people = r"\s*(#|help:|choices:|[A-Z].*: \w+$|\".*\": [\w.-]+$)"
            text = "\n".join(line for line in text.splitlines() if not re.match(people, line))
        if pattern.search(text):
            found.append(str(Path(path).relative_to(ROOT)))
    assert not found, f"{fact} is written out again in {found}: import it from partials/hub_facts.jinja"
