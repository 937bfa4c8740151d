"""The ONNX Runtime encoder gives the torch encoder's vectors, exported once and cached."""

from __future__ import annotations

import json

import numpy as np
import pydantic
import pytest

from indexer.embed_onnx import EXPORTED, EXPORTED_INT8, OnnxEmbedder
from indexer.errors import IndexMismatchError
from indexer.settings import Settings, bundled_model_path

TEXTS = [
    "Which states named focal points?",
    "The responsibility to protect rests on three pillars. States bear the primary duty.",
    "",
    "genocide " * 400,  # longer than the model's 256 tokens: truncated by both encoders
]


@pytest.fixture(scope="module")
def onnx_embedder(tmp_path_factory) -> OnnxEmbedder:
    return OnnxEmbedder(bundled_model_path(), tmp_path_factory.mktemp("models"))


@pytest.mark.model
def test_vectors_equal_torch(onnx_embedder, real_embedder):
    cosine = (onnx_embedder.embed(TEXTS) * real_embedder.embed(TEXTS)).sum(axis=1)
    assert cosine.min() > 0.9999
    assert onnx_embedder.count_tokens(TEXTS) == real_embedder.count_tokens(TEXTS)
    assert onnx_embedder.fingerprint == real_embedder.fingerprint  # an index serves with either
    assert (onnx_embedder.dim, onnx_embedder.max_tokens) == (384, 256)


@pytest.mark.model
def test_span_vectors_equal_torch(onnx_embedder, real_embedder):
    texts = TEXTS[:2]
    spans = [[(0, 6), (7, len(texts[0]))], [(0, 44), (45, len(texts[1]))]]
    ours, our_spans = onnx_embedder.embed_with_spans(texts, spans)
    theirs, their_spans = real_embedder.embed_with_spans(texts, spans)
    assert (ours * theirs).sum(axis=1).min() > 0.9999
    for a, b in zip(our_spans, their_spans, strict=True):
        assert a.shape == b.shape == (2, 384)
        assert (a * b).sum(axis=1).min() > 0.9999


@pytest.mark.model
def test_export_is_made_once_and_reused(onnx_embedder):
    exported = onnx_embedder.onnx_file
    cache = exported.parent.parent
    assert exported == cache / onnx_embedder.fingerprint / EXPORTED and exported.is_file()
    before = exported.stat().st_mtime_ns
    again = OnnxEmbedder(bundled_model_path(), cache)
    assert exported.stat().st_mtime_ns == before
    assert not [p for p in exported.parent.iterdir() if p.name != EXPORTED]  # no leftovers
    assert np.allclose(again.embed(TEXTS[:1]), onnx_embedder.embed(TEXTS[:1]), atol=1e-6)


@pytest.mark.model
def test_export_is_fused(onnx_embedder):
    import onnx

    ops = [n.op_type for n in onnx.load(str(onnx_embedder.onnx_file)).graph.node]
    # all-MiniLM-L6-v2 has 6 layers, each one fused attention, GELU and two skip-norms
    assert (ops.count("Attention"), ops.count("BiasGelu"), ops.count("SkipLayerNormalization")
            ) == (6, 6, 12)


@pytest.mark.model
def test_int8_copy_keeps_the_first_feed_forward_outputs_in_float(tmp_path, real_embedder):
    import onnx

    int8 = OnnxEmbedder(bundled_model_path(), tmp_path, quantized=True)
    assert int8.backend == "onnx-int8" and int8.onnx_file.name == EXPORTED_INT8
    graph = onnx.load(str(int8.onnx_file)).graph
    weights = {w.name: w.dims for w in graph.initializer}
    float_products = [n for n in graph.node if n.op_type == "MatMul"
                      and len(weights.get(n.input[1], ())) == 2]
    # the feed-forward outputs (1536 -> 384) of layers 0-2 stay float, those of 3-5 do not
    assert [n.name for n in float_products] == [
        f"/bert/encoder/layer.{i}/output/dense/MatMul" for i in range(3)]
    assert [weights[n.input[1]] for n in float_products] == [[1536, 384]] * 3
    assert sum(n.op_type == "MatMulInteger" for n in graph.node) == 6 * 2 + 3
    assert sum(n.op_type == "QAttention" for n in graph.node) == 6
    before = int8.onnx_file.stat().st_mtime_ns
    OnnxEmbedder(bundled_model_path(), tmp_path, quantized=True)
    assert int8.onnx_file.stat().st_mtime_ns == before  # quantised once
    texts = TEXTS[:2] + ["The Council decides that all States shall prevent the sale of arms."]
    cosine = (int8.embed(texts) * real_embedder.embed(texts)).sum(axis=1)
    assert cosine.min() > 0.98 and cosine.min() < 0.99999  # near torch's, and really int8



def test_model_without_mean_pooling_is_refused(tmp_path):
    (tmp_path / "modules.json").write_text("[]")
    (tmp_path / "1_Pooling").mkdir()
    (tmp_path / "1_Pooling" / "config.json").write_text(
        json.dumps({"pooling_mode_mean_tokens": False, "pooling_mode_cls_token": True}))
    with pytest.raises(IndexMismatchError, match="mean pooling") as caught:
        OnnxEmbedder(tmp_path, tmp_path / "cache")
    assert "RTOP_ENCODER=torch" in caught.value.hint
    assert not (tmp_path / "cache").exists()  # refused before any export


def test_encoder_setting_is_checked_at_start(monkeypatch):
    monkeypatch.setenv("RTOP_ENCODER", "tensorflow")
    with pytest.raises(pydantic.ValidationError, match="torch"):
        Settings()
    monkeypatch.setenv("RTOP_ENCODER", "torch")
    assert Settings().encoder == "torch"
    monkeypatch.setenv("RTOP_ENCODER", "onnx-int8")
    assert Settings().encoder == "onnx-int8"
    monkeypatch.delenv("RTOP_ENCODER")
    assert Settings().encoder == "onnx-int8"  # the fastest that passes the quality gate
