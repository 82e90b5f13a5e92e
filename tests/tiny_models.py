"""Tiny random models and a tiny dataset, built with the real libraries, for the demo Space tests.

Each model is a real architecture with a handful of random weights (`config → model →
save_pretrained`), so the rendered apps run the same download and loading code as with a real
model, in seconds. They answer nonsense, which is all a test of the plumbing needs.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

WORDS = "the a an is was this that demo model data hello world good bad i love hate it great".split()
SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "<s>", "</s>"]

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
BERT = {"vocab_size": len(SPECIAL) + len(WORDS), "hidden_size": 16, "num_hidden_layers": 1}
SMALL = {"num_attention_heads": 2, "intermediate_size": 32}


def _bert_tokenizer(folder: Path):
    from transformers import BertTokenizerFast

    vocab = folder / "vocab.txt"
    vocab.write_text("\n".join(SPECIAL[:5] + WORDS) + "\n")
    return BertTokenizerFast(vocab_file=str(vocab))


def _word_tokenizer(chat: bool):
    """A fast word-level tokenizer, for the decoder and seq2seq models."""
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    vocab = {token: i for i, token in enumerate(["<pad>", "<unk>", "<s>", "</s>", *WORDS])}
    core = Tokenizer(models.WordLevel(vocab=vocab, unk_token="<unk>"))
    core.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=core, pad_token="<pad>", unk_token="<unk>", bos_token="<s>", eos_token="</s>"
    )
    if chat:
        tokenizer.chat_template = (
            "{% for m in messages %}{{ m['role'] }}: {{ m['content'] }}\n{% endfor %}"
            "{% if add_generation_prompt %}assistant: {% endif %}"
        )
    return tokenizer, len(vocab)


def build(task: str, folder: Path) -> Path:
    """Save a tiny random model for `task` into `folder`."""
    import transformers as tf

    folder.mkdir(parents=True, exist_ok=True)
    if task == "text-to-image":
        return _stable_diffusion(folder)
    labels = {"id2label": {0: "NEGATIVE", 1: "POSITIVE"}, "label2id": {"NEGATIVE": 0, "POSITIVE": 1}}
    if task in ("text-classification", "token-classification", "feature-extraction", "sentence-similarity"):
        tokenizer = _bert_tokenizer(folder)
        config = tf.BertConfig(**BERT, **SMALL, **(labels if "classification" in task else {}))
        model_class = {
            "text-classification": tf.BertForSequenceClassification,
            "token-classification": tf.BertForTokenClassification,
        }.get(task, tf.BertModel)
        if task == "token-classification":
            config = tf.BertConfig(**BERT, **SMALL, id2label={0: "O", 1: "B-PER", 2: "I-PER"})
        model = model_class(config)
    elif task == "zero-shot-classification":  # an NLI classifier: the pipeline asks it "entailment?"
        tokenizer = _bert_tokenizer(folder)
        nli = {0: "entailment", 1: "neutral", 2: "contradiction"}
        config = tf.BertConfig(**BERT, **SMALL, id2label=nli, label2id={v: k for k, v in nli.items()})
        model = tf.BertForSequenceClassification(config)
    elif task == "question-answering":  # a span head: a start and an end score for each token
        tokenizer = _bert_tokenizer(folder)
        model = tf.BertForQuestionAnswering(tf.BertConfig(**BERT, **SMALL))
    elif task == "fill-mask":
        tokenizer = _bert_tokenizer(folder)
        # The saved tokenizer keeps only its special tokens (the words decode to ""), so the demo's answer is
        # the specials among the model's 10 likeliest tokens: a random model had none in about 1 run in 12
        # (CI met it). Seeded, its 10 likeliest hold four specials whatever the text.
        import torch

        torch.manual_seed(2)
        model = tf.BertForMaskedLM(tf.BertConfig(**BERT, **SMALL))
    elif task == "text-generation":
        tokenizer, size = _word_tokenizer(chat=True)
        model = tf.GPT2LMHeadModel(
            tf.GPT2Config(vocab_size=size, n_embd=16, n_layer=1, n_head=2, bos_token_id=2, eos_token_id=3)
        )
    elif task in ("summarization", "translation"):
        tokenizer, size = _word_tokenizer(chat=False)
        config = tf.BartConfig(
            vocab_size=size,
            d_model=16,
            encoder_layers=1,
            decoder_layers=1,
            encoder_attention_heads=2,
            decoder_attention_heads=2,
            encoder_ffn_dim=32,
            decoder_ffn_dim=32,
            max_position_embeddings=256,
            pad_token_id=0,
            bos_token_id=2,
            eos_token_id=3,
            decoder_start_token_id=2,
            forced_eos_token_id=3,
        )
        model = tf.BartForConditionalGeneration(config)
    elif task == "image-classification":
        tokenizer = tf.ViTImageProcessor(size={"height": 32, "width": 32})
        config = tf.ViTConfig(image_size=32, patch_size=8, hidden_size=16, num_hidden_layers=1, **SMALL, **labels)
        model = tf.ViTForImageClassification(config)
    elif task == "image-to-text":  # a ViT encoder and a GPT-2 decoder, as nlpconnect/vit-gpt2-image-captioning
        words, size = _word_tokenizer(chat=False)
        encoder = tf.ViTConfig(image_size=32, patch_size=8, hidden_size=16, num_hidden_layers=1, **SMALL)
        decoder = tf.GPT2Config(
            vocab_size=size, n_embd=16, n_layer=1, n_head=2, bos_token_id=2, eos_token_id=3, add_cross_attention=True
        )
        config = tf.VisionEncoderDecoderConfig.from_encoder_decoder_configs(encoder, decoder)
        config.decoder_start_token_id, config.pad_token_id, config.eos_token_id = 2, 0, 3
        model = tf.VisionEncoderDecoderModel(config)
        model.generation_config.update(decoder_start_token_id=2, pad_token_id=0, eos_token_id=3)
        words.save_pretrained(folder)
        tokenizer = tf.ViTImageProcessor(size={"height": 32, "width": 32})
    elif task == "object-detection":  # YOLOS: a ViT with detection tokens (DETR needs timm for its backbone)
        tokenizer = tf.YolosImageProcessor(size={"shortest_edge": 32, "longest_edge": 32})
        objects = {0: "cat", 1: "dog"}
        config = tf.YolosConfig(
            image_size=[32, 32], patch_size=8, hidden_size=16, num_hidden_layers=1, num_detection_tokens=5, **SMALL
        )
        config.id2label, config.label2id = objects, {v: k for k, v in objects.items()}
        model = tf.YolosForObjectDetection(config)
    elif task == "automatic-speech-recognition":
        vocab = {"<pad>": 0, "<unk>": 1, "|": 2, **{c: i + 3 for i, c in enumerate("abcdefghijklmnopqrstuvwxyz")}}
        (folder / "vocab.json").write_text(json.dumps(vocab))
        ctc = tf.Wav2Vec2CTCTokenizer(str(folder / "vocab.json"), word_delimiter_token="|")
        features = tf.Wav2Vec2FeatureExtractor(sampling_rate=16000, return_attention_mask=False)
        tokenizer = tf.Wav2Vec2Processor(feature_extractor=features, tokenizer=ctc)
        config = tf.Wav2Vec2Config(
            vocab_size=len(vocab),
            hidden_size=16,
            num_hidden_layers=1,
            num_attention_heads=2,
            intermediate_size=32,
            conv_dim=(16, 16),
            conv_stride=(5, 4),
            conv_kernel=(10, 8),
            num_conv_pos_embeddings=16,
            num_conv_pos_embedding_groups=2,
            pad_token_id=0,
        )
        model = tf.Wav2Vec2ForCTC(config)
    else:
        raise ValueError(f"no tiny model for {task}")
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def _stable_diffusion(folder: Path) -> Path:
    """A Stable Diffusion pipeline of a few thousand weights that draws 64x64 images (as diffusers' own tests'
    dummy components): UNet, VAE, CLIP text encoder and a character-level CLIP tokenizer, no safety checker."""
    import torch
    from diffusers import AutoencoderKL, DDIMScheduler, StableDiffusionPipeline, UNet2DConditionModel
    from transformers import CLIPTextConfig, CLIPTextModel, CLIPTokenizer

    letters = "abcdefghijklmnopqrstuvwxyz"
    tokens = ["<|startoftext|>", "<|endoftext|>", *letters, *(c + "</w>" for c in letters)]
    tokenizer = CLIPTokenizer(vocab={t: i for i, t in enumerate(tokens)}, merges=[], model_max_length=16)
    torch.manual_seed(0)
    unet = UNet2DConditionModel(
        sample_size=32,
        block_out_channels=(4, 8),
        layers_per_block=1,
        down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
        up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
        cross_attention_dim=8,
        attention_head_dim=2,
        norm_num_groups=2,
    )
    vae = AutoencoderKL(
        block_out_channels=(4, 8),
        down_block_types=("DownEncoderBlock2D",) * 2,
        up_block_types=("UpDecoderBlock2D",) * 2,
        latent_channels=4,
        norm_num_groups=2,
    )
    text = CLIPTextConfig(
        vocab_size=len(tokens),
        hidden_size=8,
        intermediate_size=16,
        projection_dim=8,
        num_hidden_layers=1,
        num_attention_heads=2,
        max_position_embeddings=16,
        bos_token_id=0,
        eos_token_id=1,
        pad_token_id=1,
    )
    pipe = StableDiffusionPipeline(
        unet=unet,
        vae=vae,
        text_encoder=CLIPTextModel(text),
        tokenizer=tokenizer,
        scheduler=DDIMScheduler(clip_sample=False, steps_offset=1),
        safety_checker=None,
        feature_extractor=None,
        requires_safety_checker=False,
    )
    pipe.save_pretrained(folder)
    return folder


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
