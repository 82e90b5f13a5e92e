"""Ask a running demo Space one question through its own API, with its first example, and say what it answered.

A demo is "live" only once it has answered. Where the app is: the Space's `host` (`space_info`, as gradio_client
finds it). How to ask it, by the Space's SDK:
- Gradio: gradio_client, on the app's public endpoint (`/predict`, or `/chat` for a chat demo), with the first
  example the app itself offers (its config's examples); an app that offers none gets an input made here (a
  sentence, a small PNG, a half-second WAV) for each parameter;
- Docker (FastAPI): GET /examples, then POST /predict with the first one in the body the task's route takes;
- an image answer (text-to-image) is said in words: its format, size and bytes, never its bytes themselves
  (Gradio answers a file on the app, which is read; FastAPI a PNG data: URL);
- Streamlit: no API to send an example to, so the page and its health check answer, and the demo is said to be
  up, not live (its script, which loads the model, runs only when a browser opens the page).

Everything the app sends back is untrusted: it is bounded here (`MAX_ANSWER`) and escaped where it is printed
(`Answer.shown`). The publishing token is sent to the app only when the Space is private (the Hub then wants it
to let the request through), never to a public one.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import math
import struct
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import wave
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from hf_hub_template.untrusted import for_terminal

MAX_ANSWER = 2_000  # characters of the app's answer kept (the rest is cut, saying so)
MAX_READ = 1_000_000  # bytes read from any one HTTP answer
MAX_IMAGE_READ = 30_000_000  # bytes read from an image answer (a 1024x1024 PNG, as a data: URL, is ~4 MB)
TEXT = "I love this demo."  # what a text input gets when the app offers no example
TIMEOUT = 300.0  # seconds for one answer (a CPU Space loads its model lazily on the first call)

# Tasks whose FastAPI route takes something other than {"text": ...} (partials/demo_app_docker.py.jinja;
# tests/test_demo_live.py proves these agree with partials/demo.jinja's demo_kinds).
CHAT_TASKS = frozenset({"text-generation"})
SIMILARITY_TASKS = frozenset({"feature-extraction", "sentence-similarity"})
IMAGE_TASKS = frozenset({"image-classification", "image-to-text", "object-detection"})
SPEECH_TASKS = frozenset({"automatic-speech-recognition"})
QUESTION_TASKS = frozenset({"question-answering"})  # {"question", "context"}; its examples are such pairs
QUESTION = ["Where does Ada live?", "Ada lives in London."]  # when a question-answering app offers none
PICTURE_TASKS = frozenset({"text-to-image"})  # {"text": prompt} in, an image out (a PNG data: URL from FastAPI)
IMAGE_MAGIC = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG", b"GIF8": "GIF", b"RIFF": "WebP"}


class NotLive(Exception):
    """The app did not answer; the message says what happened and what to look at (one line)."""


@dataclass(frozen=True)
class Answer:
    url: str  # where the app was asked
    sent: str  # what was sent, in words
    text: str  # what it answered, bounded (untrusted: print it through `shown`)
    example_ran: bool = True  # False: the app has no API to run an example through (Streamlit), only its page

    def shown(self) -> str:
        """The answer as it may be printed; an empty one said in words (a tiny random model may say nothing)."""
        return for_terminal(self.text) if self.text.strip() else "(an empty text)"

    def lines(self, repo_id: str) -> list[str]:
        """What the commands print: what was sent where, what came back, and that the demo is live."""
        said = [f"Asked {for_terminal(self.url)} with {for_terminal(self.sent)}", f"It answered: {self.shown()}"]
        if not self.example_ran:
            return [*said, f"The demo {repo_id} is up, but no example ran: open its page and try one."]
        return [*said, f"The demo {repo_id} is live: it answered."]


def ask_published(
    answers: Mapping[str, Any], *, repo_id: str | None = None, timeout: float = TIMEOUT
) -> tuple[str, Answer]:
    """The project's Space asked once: its id and the answer. The id is `repo_id` when the caller knows it,
    else read from the answers (the namespace asked of the Hub when left empty). NotLive when it does not
    answer; HubStepError when the Hub cannot be read."""
    from hf_hub_template.hub.project import Project
    from hf_hub_template.hub.session import connect, with_namespace

    api, endpoint = connect()
    project = Project.from_answers(answers)
    if repo_id:
        project = project.with_namespace(repo_id.split("/")[0])
    else:
        project = with_namespace(api, endpoint, project)
    try:
        url, private = space_host(api, project.repo_id)
        token = api.token if private and _may_get_token(url) else None
        answer = ask(
            url,
            space_sdk=str(project.space_sdk),
            pipeline_tag=str(answers.get("pipeline_tag") or ""),
            token=token or None,
            timeout=timeout,
        )
    except NotLive as err:
        raise NotLive(_not_live(api, project.repo_id, err)) from err
    return project.repo_id, answer


def _not_live(api: Any, repo_id: str, err: NotLive) -> str:
    """Why the demo is not live: what the call met, and the app's run log's last lines with their likely cause."""
    from hf_hub_template.space_watch import diagnose, last_log_lines

    lines = [f"The demo {repo_id} runs but did not answer: {err}"]
    log = last_log_lines(api, repo_id, build=False)
    if log:
        lines.append("Last lines of the run log:")
        lines += [f"  | {for_terminal(line)}" for line in log]
    lines += [f"Likely cause: {for_terminal(cause)}" for cause in diagnose([*log, str(err)])]
    return "\n".join(lines)


def _may_get_token(url: str) -> bool:
    """A private Space's app gets the token over https, or on this machine (a test Hub), as the Hub does."""
    from hf_hub_template.hub.session import is_loopback

    parts = urlsplit(url)
    return parts.scheme == "https" or (parts.scheme == "http" and is_loopback(parts.hostname or ""))


def space_host(api: Any, repo_id: str) -> tuple[str, bool]:
    """Where the Space's app answers (its `host`), and whether the Space is private. NotLive without one."""
    try:
        info = api.space_info(repo_id)
    except Exception as exc:
        raise NotLive(f"could not read where {repo_id} runs ({type(exc).__name__}: {for_terminal(exc)})") from exc
    host = str(getattr(info, "host", None) or "")
    if not host.startswith(("https://", "http://")):
        raise NotLive(f"the Hub names no address for {repo_id}'s app (host: {for_terminal(host) or 'none'})")
    return host.rstrip("/") + "/", bool(info.private)


def ask(url: str, *, space_sdk: str, pipeline_tag: str, token: str | None = None, timeout: float = TIMEOUT) -> Answer:
    """One call to the demo at `url` with its first example; NotLive when it does not answer.

    `token` goes to the app only when given (give it for a private Space only)."""
    if space_sdk == "gradio":
        return _ask_gradio(url, token, timeout)
    if space_sdk == "docker":
        return _ask_fastapi(url, pipeline_tag, token, timeout)
    if space_sdk == "streamlit":
        return _ask_streamlit(url, token, timeout)
    raise NotLive(f"a {for_terminal(space_sdk)} Space runs no app to ask")


# ------------------------------------------------------------------------------------------------ Gradio
def _ask_gradio(url: str, token: str | None, timeout: float) -> Answer:
    try:
        from gradio_client import Client
    except ImportError:  # a dependency of hf-hub-template: only a broken install lacks it
        raise NotLive("gradio_client is not installed: `pip install gradio_client`, then ask again") from None
    try:
        client = Client(
            url,
            token=token or False,  # False: not even a token saved on this machine goes to the app
            verbose=False,
            download_files=False,
            httpx_kwargs={"timeout": timeout},
            analytics_enabled=False,
        )
    except Exception as exc:
        raise NotLive(f"{url} does not serve a Gradio app's API ({_why(exc)})") from exc
    try:
        api_name = _endpoint(client.config)
        with tempfile.TemporaryDirectory(prefix="hf-demo-input-") as made:  # gone once the app has answered
            args, sent = _gradio_inputs(client, api_name, url, Path(made))
            result = client.submit(*args, api_name=api_name).result(timeout=timeout)
    except NotLive:
        raise
    except Exception as exc:
        raise NotLive(f"{url} did not answer {api_name if 'api_name' in locals() else 'its API'}: {_why(exc)}") from exc
    finally:
        client.close()
    if _is_file(result):
        return Answer(f"{url} ({api_name})", sent, _file_words(result, client, url, token, timeout))
    return Answer(f"{url} ({api_name})", sent, _bounded(result))


def _endpoint(config: dict[str, Any]) -> str:
    """The app's public API endpoint: /predict or /chat when it has one, else its only public one."""
    names = [
        str(d["api_name"])
        for d in config.get("dependencies", [])
        if d.get("api_name") and d.get("api_visibility", "public") == "public"
    ]
    for preferred in ("predict", "chat"):
        if preferred in names:
            return "/" + preferred
    if len(names) == 1:
        return "/" + names[0]
    raise NotLive(f"the app has {len(names) or 'no'} public API endpoints and none is /predict or /chat")


def _gradio_inputs(client: Any, api_name: str, url: str, folder: Path) -> tuple[list[Any], str]:
    """The app's first example (its config's examples), else an input made here (in `folder`) for each
    parameter."""
    from gradio_client import handle_file

    for component in client.config.get("components", []):
        samples = (component.get("props") or {}).get("samples") if component.get("type") == "dataset" else None
        if samples and isinstance(samples[0], list) and samples[0]:
            values = [_file_value(value, client, url) for value in samples[0]]
            return values, "the app's first example: " + _bounded([_words(v) for v in samples[0]], 200)
    info = client.view_api(print_info=False, return_format="dict") or {}
    parameters = (info.get("named_endpoints") or {}).get(api_name, {}).get("parameters", [])
    values, said = [], []
    for parameter in parameters:
        kind = str(parameter.get("component", "")).lower()
        if kind == "image":
            values.append(handle_file(str(_made_file(folder, "sample.png", png_bytes()))))
            said.append("a 64x48 PNG made here")
        elif kind == "audio":
            values.append(handle_file(str(_made_file(folder, "sample.wav", wav_bytes()))))
            said.append("a 0.5 s WAV made here")
        elif parameter.get("parameter_has_default"):
            values.append(parameter.get("parameter_default"))
        else:
            values.append(TEXT)
            said.append(repr(TEXT))
    return values, "the app offers no example, so: " + (", ".join(said) or "no input")


def _file_value(value: Any, client: Any, url: str) -> Any:
    """An example's file (Gradio's FileData) as gradio_client sends one: by its URL on the app."""
    if not (isinstance(value, dict) and value.get("meta", {}).get("_type") == "gradio.FileData"):
        return value
    from gradio_client import handle_file

    file_url = value.get("url") or f"{client.src_prefixed}file={value.get('path', '')}"
    return handle_file(str(file_url))


def _is_file(value: Any) -> bool:
    return isinstance(value, dict) and value.get("meta", {}).get("_type") == "gradio.FileData"


def _file_words(value: dict[str, Any], client: Any, url: str, token: str | None, timeout: float) -> str:
    """A file the app answered (an image, for text-to-image), in words: it is read from the app when it can be."""
    name = _bounded(str(value.get("orig_name") or Path(str(value.get("path") or "")).name or "unnamed"), 100)
    file_url = str(value.get("url") or f"{client.src_prefixed}file={value.get('path', '')}")
    if urlsplit(file_url)[:2] != urlsplit(url)[:2]:  # only the app's own files are read (and get the token)
        return f"a file, {name}, at {_bounded(file_url, 300)}"
    try:
        content = _fetch(file_url, token=token, timeout=timeout, limit=MAX_IMAGE_READ)
    except NotLive as exc:
        return f"a file, {name}, that could not be read ({exc})"
    return f"{_image_words(content)} ({name})"


def _image_words(content: bytes) -> str:
    """What an answer's bytes are, in words: 'a PNG image, 64x64 (1.2 kB)', or 'a file of N bytes'."""
    kind = next((name for magic, name in IMAGE_MAGIC.items() if content.startswith(magic)), "")
    if kind == "WebP" and content[8:12] != b"WEBP":
        kind = ""
    size = _amount(len(content))
    if not kind:
        return f"a file of {size}, not an image"
    if kind == "PNG" and len(content) >= 24:
        width, height = struct.unpack(">II", content[16:24])
        return f"a PNG image, {width}x{height} ({size})"
    return f"a {kind} image ({size})"


def _amount(count: int) -> str:
    for scale, unit in ((1e6, "MB"), (1e3, "kB")):
        if count >= scale:
            return f"{count / scale:.1f} {unit}"
    return f"{count} bytes"


def _picture_words(result: Any) -> str:
    """A FastAPI text-to-image answer (a data: URL) in words; anything else as it is, bounded."""
    if not (isinstance(result, str) and result.startswith("data:") and "," in result):
        return _bounded(result)
    header, _, data = result.partition(",")
    if not header.endswith(";base64"):
        return f"a data: URL that is not base64 ({_bounded(header, 80)})"
    try:
        content = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        return f"a data: URL whose base64 does not decode ({_bounded(header, 80)})"
    return f"{_image_words(content)}, as a data: URL"


def _words(value: Any) -> Any:
    if isinstance(value, dict) and "orig_name" in value:
        return f"file {value.get('orig_name')}"
    return value


# -------------------------------------------------------------------------------------------- FastAPI
def _ask_fastapi(url: str, pipeline_tag: str, token: str | None, timeout: float) -> Answer:
    try:
        listed = json.loads(_http(url + "examples", token=token, timeout=timeout)).get("examples") or []
    except (NotLive, ValueError, AttributeError):
        listed = []
    examples: list[Any] = [str(item) for item in listed if isinstance(item, str)]
    if pipeline_tag in QUESTION_TASKS:
        pairs = [item for item in listed if isinstance(item, list) and len(item) == 2]
        examples = [[str(part) for part in pair] for pair in pairs if all(isinstance(p, str) for p in pair)]
    first = examples[0] if examples else (QUESTION if pipeline_tag in QUESTION_TASKS else TEXT)
    source = "the app's first example" if examples else "the app offers no example, so"
    if pipeline_tag in IMAGE_TASKS:
        body, content_type, sent = png_bytes(), "image/png", "a 64x48 PNG made here"
    elif pipeline_tag in SPEECH_TASKS:
        body, content_type, sent = wav_bytes(), "audio/wav", "a 0.5 s WAV made here"
    else:
        if pipeline_tag in CHAT_TASKS:
            payload: dict[str, Any] = {"messages": [{"role": "user", "content": first}]}
        elif pipeline_tag in SIMILARITY_TASKS:
            payload = {"source": first, "sentences": examples[1:] or [first]}
        elif pipeline_tag in QUESTION_TASKS:
            payload = {"question": first[0], "context": first[1]}
        else:
            payload = {"text": first}
        body, content_type, sent = json.dumps(payload).encode(), "application/json", f"{source}: {first!r}"
    if pipeline_tag in IMAGE_TASKS | SPEECH_TASKS:
        sent = f"{sent} (its examples are files on the Space)" if examples else sent
    limit = MAX_IMAGE_READ if pipeline_tag in PICTURE_TASKS else MAX_READ
    answered = _http(url + "predict", token=token, timeout=timeout, body=body, content_type=content_type, limit=limit)
    try:
        result = json.loads(answered)["result"]
    except (ValueError, KeyError, TypeError):
        raise NotLive(f"{url}predict answered, but not with JSON holding a result: {_bounded(answered, 200)}") from None
    shown = _picture_words(result) if pipeline_tag in PICTURE_TASKS else _bounded(result)
    return Answer(f"{url}predict", _bounded(sent, 300), shown)


# ------------------------------------------------------------------------------------------ Streamlit
def _ask_streamlit(url: str, token: str | None, timeout: float) -> Answer:
    health = _http(url + "_stcore/health", token=token, timeout=timeout).strip()
    page = _http(url, token=token, timeout=timeout)
    if health != "ok" or "<html" not in page.lower():
        raise NotLive(f"{url} is not a Streamlit app that is up (its health check said {_bounded(health, 80)!r})")
    return Answer(
        url,
        "GET the page and its health check (Streamlit apps have no API to send an example to)",
        f"health: {health}; the page answered ({len(page)} characters)",
        example_ran=False,
    )


# --------------------------------------------------------------------------------------------- shared
class _SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to the same scheme, host and port: the app answers, not a place it names."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        old, new = urllib.parse.urlsplit(req.full_url), urllib.parse.urlsplit(newurl)
        if (old.scheme, old.hostname, old.port) != (new.scheme, new.hostname, new.port):
            raise NotLive(f"{for_terminal(req.full_url)} redirected elsewhere ({for_terminal(_bounded(newurl, 200))})")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_SAME_ORIGIN = urllib.request.build_opener(_SameOriginRedirects)


def _http(url: str, **request: Any) -> str:
    """The answer as text (`_fetch`'s bytes decoded, undecodable bytes replaced); NotLive on any failure."""
    return _fetch(url, **request).decode("utf-8", "replace")


def _fetch(
    url: str,
    *,
    token: str | None,
    timeout: float,
    body: bytes | None = None,
    content_type: str = "",
    limit: int = MAX_READ,
) -> bytes:
    """The answer's first `limit` bytes; NotLive on any failure."""
    # urlopen would open file: and other schemes too (bandit B310): only http(s) addresses go out.
    if not url.startswith(("https://", "http://")):
        raise NotLive(f"{for_terminal(url)} is not an http(s) address")
    headers = {"Content-Type": content_type} if content_type else {}
    method = "POST" if body is not None else "GET"
    request = urllib.request.Request(url, data=body, headers=headers, method=method)
    if token:  # never carried to a redirect's target (urllib copies ordinary headers onto it)
        request.add_unredirected_header("Authorization", f"Bearer {token}")
    try:
        with _SAME_ORIGIN.open(request, timeout=timeout) as response:  # nosec B310
            return response.read(limit)
    except urllib.error.HTTPError as exc:
        said = exc.read(2_000).decode("utf-8", "replace")
        raise NotLive(f"{url} answered HTTP {exc.code}: {_bounded(said, 300)}") from None
    except (OSError, ValueError) as exc:
        raise NotLive(f"{url} did not answer ({_why(exc)})") from None


def _why(exc: BaseException) -> str:
    return _bounded(f"{type(exc).__name__}: {exc}", 300)


def _bounded(value: Any, limit: int = MAX_ANSWER) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[:limit] + f"… ({len(text) - limit} more characters)"


def _made_file(folder: Path, name: str, content: bytes) -> Path:
    path = folder / name
    path.write_bytes(content)
    return path


def png_bytes(width: int = 64, height: int = 48) -> bytes:
    """A small orange PNG, written without an imaging library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes((200, 120, 40)) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def wav_bytes(seconds: float = 0.5, rate: int = 16000) -> bytes:
    """A 440 Hz tone, mono 16-bit."""
    samples = (int(8000 * math.sin(2 * math.pi * 440 * i / rate)) for i in range(int(seconds * rate)))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(b"".join(struct.pack("<h", sample) for sample in samples))
    return buffer.getvalue()
