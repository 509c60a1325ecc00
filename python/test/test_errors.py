"""Tests that snnc refuses what the tools refuse, raising snnc.Error with
the tools' message (file, node, field, limit), and never crashes."""

import numpy as np
import pytest

import snnc
from conftest import SOURCE, poisson, shared

EXAMPLE = SOURCE / "examples" / "braille_rnn.mlir"


def test_missing_file_is_named(tmp_path):
    with pytest.raises(snnc.Error, match="nothere.nir"):
        snnc.load(tmp_path / "nothere.nir")


def test_directory_is_refused(tmp_path):
    with pytest.raises(snnc.Error, match="not a regular file|directory"):
        snnc.load(tmp_path)


def test_unknown_preset_lists_the_presets():
    with pytest.raises(snnc.Error, match="snntorch"):
        snnc.load(EXAMPLE, preset="keras")


def test_unknown_reset_is_named():
    with pytest.raises(snnc.Error, match="reset=sideways"):
        snnc.load(EXAMPLE, reset="sideways")


def test_not_hdf5_names_the_file():
    path = shared("nir", "quirks", "not_hdf5_torch_zip.nir")
    with pytest.raises(snnc.Error) as info:
        snnc.load(path)
    assert "not_hdf5_torch_zip.nir" in str(info.value)


def test_bad_mlir_names_line(tmp_path):
    bad = tmp_path / "bad.mlir"
    bad.write_text("snn.network @x(%a: !snn.spikes<2>) -> (y: !snn.spikes<2>) {\n  snn.bogus\n}\n")
    with pytest.raises(snnc.Error, match="bad.mlir:2"):
        snnc.load(bad)


def test_non_spike_input_names_sample_step_neuron():
    net = snnc.load(EXAMPLE)
    x = poisson(0.2, (3, 10, 12))
    x[1, 4, 7] = 2
    with pytest.raises(snnc.Error, match="sample 1, step 4, neuron 7"):
        net.run(x)


def test_input_of_wrong_shape():
    net = snnc.load(EXAMPLE)
    with pytest.raises(snnc.Error, match=r"input of shape \(3, 10, 13\)"):
        net.run(np.zeros((3, 10, 13), np.uint8))


def test_unknown_engine_and_arguments():
    net = snnc.load(EXAMPLE)
    x = poisson(0.2, (1, 5, 12))
    with pytest.raises(snnc.Error, match="engine='gpu'"):
        net.run(x, engine="gpu")
    with pytest.raises(snnc.Error, match="unknown argument 'wieght_bits'"):
        net.run(x, engine="fixed", wieght_bits=4)
    with pytest.raises(snnc.Error, match="needs target="):
        net.run(x, engine="emu")


def test_record_names_the_nodes():
    net = snnc.load(EXAMPLE)
    with pytest.raises(snnc.Error, match="no node named 'lif9'.*hidden"):
        net.run(poisson(0.2, (1, 5, 12)), record=["lif9"])


def test_labels_outside_the_classes():
    net = snnc.load(EXAMPLE)
    with pytest.raises(snnc.Error, match="label 7 at index 1"):
        net.run(poisson(0.2, (2, 5, 12)), labels=np.array([0, 7]))


def test_quantize_errors():
    net = snnc.load(EXAMPLE)
    with pytest.raises(snnc.Error, match="weight-bits|weight_bits"):
        net.quantize(weight_bits=1)
    q = net.quantize()
    with pytest.raises(snnc.Error, match="already integer"):
        q.quantize()
    with pytest.raises(snnc.Error, match="already integer"):
        q.run(poisson(0.2, (1, 5, 12)), engine="float")
    with pytest.raises(snnc.Error, match="quantize"):
        net.emit_c("/tmp/never")
    with pytest.raises(snnc.Error, match="nosuch.json"):
        q.map("nosuch.json")


def test_report_samples_outside_the_input():
    net = snnc.load(EXAMPLE)
    with pytest.raises(snnc.Error, match="sample 5 is not in the input"):
        net.run(poisson(0.2, (2, 5, 12)), report_samples=[5])


def test_failure_leaves_the_module_usable():
    net = snnc.load(EXAMPLE)
    for _ in range(3):
        with pytest.raises(snnc.Error):
            net.run(np.zeros((1, 2, 3)))
    assert net.run(poisson(0.2, (1, 5, 12))).output.shape == (1, 5, 7)
