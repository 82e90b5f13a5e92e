"""A Gradio demo is an MCP server too (issue 26): agents find `predict` in its MCP schema, described by the
docstring of the function the app calls. The demo's model runs on the test Hub's inference stand-in (no torch)."""

from __future__ import annotations

import json
import urllib.request

import pytest
from helpers import fake_token, render
from hub_server import HubServer
from test_demo_live import commit_space, hf_api, wait_stage

from hf_hub_template import live_answer


@pytest.fixture
def running_hub():
    with HubServer(token=fake_token(), run_spaces=True) as hub:
        yield hub


def mcp_schema(url: str) -> list[dict]:
    with urllib.request.urlopen(f"{url.rstrip('/')}/gradio_api/mcp/schema", timeout=30) as response:  # noqa: S310
        return json.loads(response.read())


@pytest.mark.parametrize(("pipeline_tag", "described"), [("text-classification", "The top labels of `text`")])
def test_a_gradio_demo_lists_predict_in_its_mcp_schema(running_hub, template, tmp_path, pipeline_tag, described):
    hub = running_hub
    project = render(
        template,
        tmp_path / "demo",
        space_sdk="gradio",
        models="tinyorg/big",
        inference="api",
        pipeline_tag=pipeline_tag,
    )
    assert "mcp_server=True" in (project / "app.py").read_text()
    assert "gradio[mcp]==" in (project / "tests" / "requirements.txt").read_text()
    hub.runner.env.update(INFERENCE_URL=f"{hub.url}/inference/{pipeline_tag}", HF_TOKEN=hub.state.token)
    files = {path.name: path.read_bytes() for path in project.iterdir() if path.is_file()}
    commit_space(hub, "fakeuser/mcp", files, space_sdk="gradio")
    assert wait_stage(hub, "fakeuser/mcp") == "RUNNING"
    url, _ = live_answer.space_host(hf_api(hub), "fakeuser/mcp")
    tools = {tool["name"]: tool for tool in mcp_schema(url)}
    [name] = [name for name in tools if name.endswith("predict")]
    assert tools[name]["description"].startswith(described)
    assert "text" in json.dumps(tools[name]["inputSchema"])


def test_the_starter_app_and_other_sdks_are_no_mcp_server(template, tmp_path):
    starter = render(template, tmp_path / "starter", space_sdk="gradio")
    assert "mcp_server" not in (starter / "app.py").read_text()
    assert "gradio[mcp]" not in (starter / "tests" / "requirements.txt").read_text()
    for sdk in ("docker", "streamlit"):
        demo = render(template, tmp_path / sdk, space_sdk=sdk, models="acme/m", inference="api")
        assert "mcp_server" not in (demo / "app.py").read_text()
