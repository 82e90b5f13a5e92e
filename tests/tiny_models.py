"""Tiny random models and a tiny dataset, built with the real libraries, for the demo Space tests.

Each model is a real architecture with a handful of random weights (`config → model →
save_pretrained`), so the rendered apps run the same download and loading code as with a real
model, in seconds. They answer nonsense, which is all a test of the plumbing needs.

The recipes are the rendered projects' own: `build` renders the tests/stand_in.py a demo of the task
gets (template/tests/...stand_in.py...jinja) and runs its `build`, so the model the loopback Hub serves
and the stand-in a project's offline test makes are one recipe.
"""

from __future__ import annotations

import atexit
import importlib.util
import io
import shutil
import tempfile
from functools import cache
from pathlib import Path
from types import ModuleType

STAND_IN = "template/tests/{% if space_demos_model %}stand_in.py{% endif %}.jinja"

# Each demo task → the repo id the tests serve its model under.
TASK_MODELS = {
    "text-classification": "tinyorg/tiny-text-classification",
    "token-classification": "tinyorg/tiny-token-classification",
    "text-generation": "tinyorg/tiny-chat",
    "summarization": "tinyorg/tiny-seq2seq",
    "translation": "tinyorg/tiny-seq2seq",
    "image-classification": "tinyorg/tiny-vit",
    "automatic-speech-recognition": "tinyorg/tiny-wav2vec2",
    "feature-extraction": "tinyorg/tiny-bert",
    "sentence-similarity": "tinyorg/tiny-bert",
    "fill-mask": "tinyorg/tiny-fill-mask",
    "zero-shot-classification": "tinyorg/tiny-nli",
    "question-answering": "tinyorg/tiny-qa",
    "image-to-text": "tinyorg/tiny-captioner",
    "object-detection": "tinyorg/tiny-yolos",
    "text-to-image": "tinyorg/tiny-stable-diffusion",
}
DATASET_ID = "tinyorg/tiny-reviews"


@cache
def stand_in(task: str, inference: str = "local") -> ModuleType:
    """The tests/stand_in.py a demo of `task` renders, imported."""
    from helpers import copier_jinja

    source = copier_jinja().get_template(STAND_IN).render(pipeline_tag=task, inference=inference)
    folder = tempfile.mkdtemp(prefix="stand-in-")
    atexit.register(shutil.rmtree, folder, True)  # kept while this process may show its lines in a traceback
    path = Path(folder) / "stand_in.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(f"stand_in_{task}_{inference}".replace("-", "_"), path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build(task: str, folder: Path) -> Path:
    """Save a tiny random model for `task` into `folder`: the rendered stand_in.py's recipe."""
    return stand_in(task).build(folder)


def dataset_files() -> dict[str, bytes]:
    """A tiny dataset repo: a card and a CSV split with a text column."""
    rows = ["text,label", "i love this demo,1", "this model is bad,0", "hello world,1", "great data,1"]
    configs = "configs:\n- config_name: default\n  data_files:\n  - split: train\n    path: data/train.csv\n"
    card = f"---\nlicense: mit\n{configs}---\n# Tiny reviews\n".encode()
    return {"README.md": card, "data/train.csv": ("\n".join(rows) + "\n").encode()}


def folder_files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def sample_png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def sample_wav(seconds: float = 0.5, rate: int = 16000) -> bytes:
    import math
    import struct
    import wave

    frames = b"".join(
        struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * i / rate))) for i in range(int(seconds * rate))
    )
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(frames)
    return buffer.getvalue()


def adapter(base: Path, base_id: str, folder: Path) -> Path:
    """A LoRA adapter (peft) of the tiny text classifier saved at `base`, whose adapter_config.json names
    the base by its Hub id `base_id`. Its classification head, which peft saves whole, answers POSITIVE
    whatever the text: an app that applies the adapter says POSITIVE with a score near 1, while the
    random base alone gives about 0.5."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForSequenceClassification

    model = AutoModelForSequenceClassification.from_pretrained(base)
    tuned = get_peft_model(model, LoraConfig(task_type="SEQ_CLS", r=2, lora_alpha=4, target_modules=["query"]))
    head = tuned.base_model.model.classifier.modules_to_save["default"]
    with torch.no_grad():
        head.weight.zero_()
        head.bias.copy_(torch.tensor([-8.0, 8.0]))  # NEGATIVE, POSITIVE
    tuned.peft_config["default"].base_model_name_or_path = base_id
    # No embedding layers (the vocabulary is the base's): peft would otherwise look the base up on the Hub.
    tuned.save_pretrained(folder, save_embedding_layers=False)
    (folder / "README.md").unlink()  # peft's card template: each test writes the card it needs
    return folder
