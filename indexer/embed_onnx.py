"""The same model run by ONNX Runtime: exported once from the model folder, torch's vectors.

The export (torch + onnx, a few seconds) happens the first time a model is used and is cached
by the model's fingerprint; after that, neither torch nor transformers is imported, so a server
starts faster and a single query is encoded 3-4x faster (bench: 4.1 ms vs 14.8 ms). The graph
is traced with plain ("eager") attention, so ONNX Runtime's BERT optimiser can fuse each layer
into its Attention, SkipLayerNormalization and BiasGelu kernels; the vectors are torch's. In
fp32, batches of full-length chunks cost the same as torch on a 2-core AVX2 machine (both are
bound by the same matrix products).

``quantized=True`` runs an int8 copy (dynamic quantisation, per channel) of the weight
products. The feed-forward outputs read the 4x-wide GELU activations, whose outliers int8
loses most, and they cost more the earlier the layer: measured on 640 index chunks, one such
product in int8 lowers the mean cosine to torch by 0.0013 in the first layer and by 0.0001 in
the last. So the first half of the layers keep theirs in float: 1.3x the speed of keeping all
six in float, at mean cosine 0.9962 (all six in int8: 1.5x, but 0.9927, under the gate).
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from indexer.embed import _pool, check_model_folder, model_fingerprint, model_name
from indexer.errors import IndexMismatchError

log = logging.getLogger(__name__)

INPUTS = ("input_ids", "attention_mask", "token_type_ids")
# the cached files' names change with how they are made, so an older export is not reused
EXPORTED, EXPORTED_INT8 = "model-fused.onnx", "model-fused-int8.onnx"
PRODUCTS = ("MatMul", "Attention")  # the nodes that multiply by a weight matrix


def default_cache() -> Path:
    """Where exported models live: $XDG_CACHE_HOME/rtop-search/models (or ~/.cache/...)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "rtop-search" / "models"


def export_onnx(model: Path, target: Path) -> Path:
    """Export the transformer of ``model`` to ``target`` (token embeddings out), fused, once."""
    if target.is_file():
        return target
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from onnxruntime.transformers.optimizer import optimize_model
    from transformers import AutoModel

    log.info("exporting %s to ONNX at %s (once)", model, target)
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    bert = AutoModel.from_pretrained(str(model), local_files_only=True,
                                     attn_implementation="eager").eval()

    class TokenEmbeddings(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):  # noqa: ANN001
            return self.bert(input_ids=input_ids, attention_mask=attention_mask,
                             token_type_ids=token_type_ids).last_hidden_state

    example = tuple(torch.ones((2, 8), dtype=torch.int64) for _ in INPUTS)
    dynamic = {name: {0: "batch", 1: "tokens"} for name in (*INPUTS, "token_embeddings")}
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the tracer's notes on shapes, not the user's concern
        traced, part = Path(tmp) / "traced.onnx", Path(tmp) / target.name
        torch.onnx.export(TokenEmbeddings(), example, str(traced), input_names=list(INPUTS),
                          output_names=["token_embeddings"], dynamic_axes=dynamic,
                          opset_version=17, dynamo=False)
        fused = optimize_model(str(traced), model_type="bert",
                               num_heads=bert.config.num_attention_heads,
                               hidden_size=bert.config.hidden_size)
        fused.save_model_to_file(str(part))
        os.replace(part, target)  # atomic: a concurrent export never leaves half a file
    return target


def quantize_onnx(source: Path, target: Path) -> Path:
    """An int8 copy of ``source`` (see the module's note on which products), made once."""
    if target.is_file():
        return target
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    products = int8_products(onnx.load(str(source)).graph)
    log.info("quantising %d weight products of %s to int8 (once)", len(products), source)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        part = Path(tmp) / target.name
        quantize_dynamic(str(source), str(part), nodes_to_quantize=products, per_channel=True,
                         weight_type=QuantType.QInt8, op_types_to_quantize=list(PRODUCTS),
                         # the fused kernels' outputs have no inferred type: they are float
                         extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
        os.replace(part, target)
    return target


def int8_products(graph) -> list[str]:  # noqa: ANN001 - an onnx GraphProto
    """The weight products to quantise: all but the first half of the feed-forward outputs
    (the products whose input is the widest, in layer order)."""
    rows = {w.name: w.dims[0] for w in graph.initializer if len(w.dims) == 2}
    width = {node.name: rows[node.input[1]] for node in graph.node
             if node.op_type in PRODUCTS and node.input[1] in rows}
    widest = max(width.values())
    outputs = [name for name, w in width.items() if w == widest]
    kept = set(outputs[: len(outputs) // 2])
    return [name for name in width if name not in kept]


class OnnxEmbedder:
    """A mean-pooling sentence-transformers folder, encoded with ONNX Runtime on the CPU."""

    def __init__(self, path: Path, cache: Path | None = None, name: str | None = None,
                 batch_size: int = 32, threads: int | None = None,
                 quantized: bool = False) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        check_model_folder(path)
        pooling = path / "1_Pooling" / "config.json"
        if pooling.is_file() and not json.loads(pooling.read_text()).get(
                "pooling_mode_mean_tokens", False):
            raise IndexMismatchError(f"The model at {path} does not use mean pooling.",
                                     "Use the torch encoder for it: RTOP_ENCODER=torch.")
        self.name = name or model_name(path)
        self.fingerprint = model_fingerprint(path)
        self.dim = int(json.loads((path / "config.json").read_text())["hidden_size"])
        config = path / "sentence_bert_config.json"
        self.max_tokens = int(json.loads(config.read_text()).get("max_seq_length", 256)
                              if config.is_file() else 256)
        self.batch_size = batch_size
        self.backend = "onnx-int8" if quantized else "onnx"
        folder = (cache or default_cache()) / self.fingerprint
        self.onnx_file = export_onnx(path, folder / EXPORTED)
        if quantized:
            self.onnx_file = quantize_onnx(self.onnx_file, folder / EXPORTED_INT8)
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or os.cpu_count() or 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = ort.InferenceSession(str(self.onnx_file), options,
                                             providers=["CPUExecutionProvider"])
        self._counter = Tokenizer.from_file(str(path / "tokenizer.json"))
        self._counter.no_truncation()
        self._counter.no_padding()
        self._tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        self._tokenizer.enable_truncation(self.max_tokens)
        self._tokenizer.no_padding()

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return [len(e.ids) for e in self._counter.encode_batch(list(texts))] if texts else []

    def _batches(self, texts: Sequence[str]):  # noqa: ANN202
        """(rows, encodings, token embeddings, mask) per batch, longest texts first."""
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]), reverse=True)
        for lo in range(0, len(order), self.batch_size):
            rows = order[lo : lo + self.batch_size]
            encodings = self._tokenizer.encode_batch([texts[i] for i in rows])
            width = max(len(e.ids) for e in encodings)
            feed = {name: np.zeros((len(rows), width), dtype=np.int64) for name in INPUTS}
            for j, e in enumerate(encodings):
                n = len(e.ids)
                feed["input_ids"][j, :n] = e.ids
                feed["attention_mask"][j, :n] = e.attention_mask
                feed["token_type_ids"][j, :n] = e.type_ids
            tokens = self._session.run(None, feed)[0]
            yield rows, encodings, tokens, feed["attention_mask"]

    def embed(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for rows, _, tokens, mask in self._batches(texts):
            out[rows] = _mean_unit(tokens, mask)
        return out

    def embed_with_spans(
        self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]], *,
        progress: bool = False,
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """Text vectors, and span vectors mean-pooled from the same pass (as the torch one)."""
        from tqdm.auto import tqdm

        vectors = np.zeros((len(texts), self.dim), dtype=np.float32)
        span_vectors: list[np.ndarray] = [np.zeros((0, self.dim), dtype=np.float32)] * len(texts)
        bar = tqdm(total=len(texts), unit="chunk", disable=not progress, desc="embedding")
        for rows, encodings, tokens, mask in self._batches(texts):
            vectors[rows] = _mean_unit(tokens, mask)
            for j, (row, e) in enumerate(zip(rows, encodings, strict=True)):
                span_vectors[row] = _pool(tokens[j, : len(e.ids)], e.offsets, spans[row],
                                          vectors[row])
            bar.update(len(rows))
        bar.close()
        return vectors, span_vectors


def _mean_unit(tokens: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The model's pooling: mean of the real tokens, then unit length."""
    weights = mask[..., None].astype(np.float32)
    means = (tokens * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
    norms = np.linalg.norm(means, axis=1, keepdims=True)
    return (means / np.where(norms == 0, 1, norms)).astype(np.float32)

