"""Tests that snnc gives the outputs snn-run gives, for every engine, on the
shared models: the same model and input through both, arrays compared
exactly; where snn-run refuses, snnc raises snnc.Error with its message."""

import json

import numpy as np
import pytest

import snnc
from conftest import SOURCE, poisson, shared, snn_run

TARGET = SOURCE / "targets" / "loihi-class.json"

# (model, preset, samples, steps, rate)
MODELS = [
    (("models", "fmnist_mlp.nir"), "snntorch", 6, 25, 0.2),
    (("nir", "paper", "rnn", "braille_noDelay_noBias_subtract.nir"), "snntorch", 4, 40, 0.3),
    (("nir", "paper", "cnn", "cnn_sinabs.nir"), "sinabs", 2, 8, 0.2),
]
ENGINES = ["float", "fixed", "c", "emu"]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m[0][-1])
def test_same_outputs_as_snn_run(tmp_path, model, engine):
    parts, preset, samples, steps, rate = model
    path = shared(*parts)
    net = snnc.load(path, preset=preset)
    x = poisson(rate, (samples, steps) + net.input_shape)
    np.save(tmp_path / "x.npy", x)
    extra = ["--target", TARGET] if engine == "emu" else []
    tool = snn_run(path, "--nir-preset", preset, "--input", tmp_path / "x.npy",
                   "--engine", engine, "--output", tmp_path / "y.npy",
                   "--counts", tmp_path / "c.npy", "--json", tmp_path / "s.json",
                   *extra)
    kwargs = {"target": str(TARGET)} if engine == "emu" else {}
    if tool.returncode != 0:
        # snn-run refused: snnc must refuse with the same reason.
        with pytest.raises(snnc.Error) as info:
            net.run(x, engine=engine, **kwargs)
        reason = [l for l in tool.stderr.splitlines() if "error:" in l][-1]
        reason = reason.split("error:", 1)[1].strip()
        assert reason in str(info.value)
        return
    r = net.run(x, engine=engine, **kwargs)
    expected = np.load(tmp_path / "y.npy")
    assert r.output.shape == expected.shape
    assert np.array_equal(r.output, expected.astype(np.float64))
    assert np.array_equal(r.counts, np.load(tmp_path / "c.npy"))
    summary = json.loads((tmp_path / "s.json").read_text())
    for mine, theirs in zip(r.summary["layers"], summary["layers"]):
        assert mine["name"] == theirs["name"]
        assert mine.get("spike_count") == theirs.get("spike_count")
    if engine == "emu":
        assert r.summary["emulator"]["cycles_per_step"] > 0
    if engine in ("fixed", "c", "emu"):
        assert r.summary["quantization"]["layers"]


def test_quantized_model_and_compare_match_snn_run(tmp_path):
    path = shared("models", "fmnist_mlp.nir")
    net = snnc.load(path, preset="snntorch")
    q = net.quantize(weight_bits=6, state_bits=12)
    assert q.quantized and not net.quantized
    q.save(tmp_path / "q.mlir")
    x = np.load(shared("models", "fmnist_mlp_testA_spikes.npy"))[:40]
    labels = np.load(shared("models", "fmnist_mlp_testA_labels.npy"))[:40]
    np.save(tmp_path / "x.npy", x)
    np.save(tmp_path / "l.npy", labels)
    tool = snn_run(tmp_path / "q.mlir", "--input", tmp_path / "x.npy",
                   "--labels", tmp_path / "l.npy", "--engine", "fixed",
                   "--output", tmp_path / "y.npy")
    assert tool.returncode == 0, tool.stderr
    r = q.run(x, engine="fixed", labels=labels)
    assert np.array_equal(r.output, np.load(tmp_path / "y.npy"))
    assert "accuracy %.4f" % r.accuracy in tool.stdout
    # The comparison is snn-run --compare's JSON.
    tool = snn_run(path, "--nir-preset", "snntorch", "--input", tmp_path / "x.npy",
                   "--labels", tmp_path / "l.npy", "--compare", "float,fixed",
                   "--weight-bits", 6, "--state-bits", 12,
                   "--quantize-report", tmp_path / "cmp.json")
    assert tool.returncode == 0, tool.stderr
    theirs = json.loads((tmp_path / "cmp.json").read_text())["comparison"]
    mine = snnc.compare(net, q, x, labels=labels)
    assert dict(mine) == theirs


def test_float_accuracy_matches_training_framework():
    net = snnc.load(shared("models", "fmnist_mlp.nir"), preset="snntorch")
    x = np.load(shared("models", "fmnist_mlp_testA_spikes.npy"))
    counts = np.load(shared("models", "fmnist_mlp_testA_counts.npy"))
    r = net.run(x)
    assert np.array_equal(r.counts, counts)


def test_records_match_snn_run_traces(tmp_path):
    path = shared("models", "fmnist_mlp.nir")
    net = snnc.load(path, preset="snntorch")
    x = poisson(0.2, (3, 25, 784))
    np.save(tmp_path / "x.npy", x)
    tool = snn_run(path, "--nir-preset", "snntorch", "--input", tmp_path / "x.npy",
                   "--record", "lif1", "--record-dir", tmp_path)
    assert tool.returncode == 0, tool.stderr
    r = net.run(x, record="lif1")
    assert np.array_equal(r.record["lif1"].v, np.load(tmp_path / "lif1.v.npy"))
    assert np.array_equal(r.record["lif1"].out, np.load(tmp_path / "lif1.spikes.npy"))


def test_ir_emit_c_and_image(tmp_path):
    net = snnc.load(shared("models", "fmnist_mlp.nir"), preset="snntorch")
    assert "snn.network @fmnist_mlp" in str(net)
    q = net.quantize(target=str(TARGET))
    assert "snn.qneuron" in str(q)
    c, h = q.emit_c(tmp_path / "c")
    assert "fmnist_mlp_step" in open(c).read() and open(h).read()
    chip = q.map(TARGET)
    assert "snnhw.chip" in str(chip)
    image = chip.emit_image(tmp_path / "net.img")
    # snn-run runs the image as the emulator engine runs the network.
    x = poisson(0.2, (2, 25, 784))
    np.save(tmp_path / "x.npy", x)
    tool = snn_run(image, "--input", tmp_path / "x.npy", "--output", tmp_path / "y.npy")
    assert tool.returncode == 0, tool.stderr
    r = q.run(x, engine="emu", target=str(TARGET))
    assert np.array_equal(r.output, np.load(tmp_path / "y.npy"))
