"""Tests NIR Conv1d/Conv2d with padding = "same" / "valid" (the strings
PyTorch-based exporters write): the import computes PyTorch's padding,
including its uneven split for even kernels, and the run gives PyTorch's
sums (a numpy reference below). The NIR files are written here with h5py."""

import subprocess

import numpy as np
import pytest

import snnc
from conftest import BIN, poisson

h5py = pytest.importorskip("h5py")


def write_nir(path, conv_type, weight, padding, in_shape, stride=None, dilation=None,
              out_shape=None):
    """Input -> conv -> Output, as NIR's HDF5 layout has it."""
    rank = weight.ndim - 2
    with h5py.File(path, "w") as f:
        f.create_dataset("version", data="1.0.0")
        g = f.create_group("node")
        g.create_dataset("type", data="NIRGraph")
        g.create_dataset("edges", data=np.array([["input", "conv"], ["conv", "output"]], dtype="S"))
        nodes = g.create_group("nodes")
        i = nodes.create_group("input")
        i.create_dataset("type", data="Input")
        i.create_dataset("shape", data=np.array(in_shape, np.int64))
        c = nodes.create_group("conv")
        c.create_dataset("type", data=conv_type)
        c.create_dataset("weight", data=weight)
        c.create_dataset("bias", data=np.zeros(weight.shape[0]))
        c.create_dataset("stride", data=np.array(stride or [1] * rank, np.int64))
        c.create_dataset("dilation", data=np.array(dilation or [1] * rank, np.int64))
        c.create_dataset("groups", data=np.int64(1))
        c.create_dataset("input_shape", data=np.array(in_shape[1:], np.int64))
        if isinstance(padding, str):
            c.create_dataset("padding", data=padding)
        else:
            c.create_dataset("padding", data=np.array(padding, np.int64))
        o = nodes.create_group("output")
        o.create_dataset("type", data="Output")
        if out_shape is None:  # "same": as large as the input
            out_shape = [weight.shape[0]] + list(in_shape[1:])
        o.create_dataset("shape", data=np.array(out_shape, np.int64))


def conv_reference(x, w, padding, dilation):
    """PyTorch's conv for one step: x [C, *S], w [O, C, *K]; "same" pads
    d*(k-1) per dimension, total // 2 before and the rest after."""
    rank = w.ndim - 2
    pads = []
    for i in range(rank):
        k, d = w.shape[2 + i], dilation[i]
        if padding == "same":
            total = d * (k - 1)
            pads.append((total // 2, total - total // 2))
        else:
            pads.append((0, 0))
    xp = np.pad(x, [(0, 0)] + pads)
    out_sizes = [xp.shape[1 + i] - dilation[i] * (w.shape[2 + i] - 1) for i in range(rank)]
    y = np.zeros([w.shape[0]] + out_sizes)
    for index in np.ndindex(*out_sizes):
        window = xp[(slice(None),) + tuple(
            slice(index[i], index[i] + dilation[i] * (w.shape[2 + i] - 1) + 1, dilation[i])
            for i in range(rank))]
        y[(slice(None),) + index] = np.tensordot(w, window, axes=rank + 1)
    return y


CASES = [
    ("Conv2d", (3, 2, 4, 4), "same", (2, 7, 6), [1, 1]),   # even kernel: uneven padding
    ("Conv2d", (3, 2, 3, 2), "same", (2, 5, 5), [1, 1]),   # odd x even
    ("Conv2d", (2, 2, 3, 3), "same", (2, 6, 6), [2, 2]),   # odd kernel, dilated
    ("Conv2d", (3, 2, 4, 3), "valid", (2, 7, 6), [1, 1]),
    ("Conv1d", (4, 3, 4), "same", (3, 9), [1]),
    ("Conv1d", (4, 3, 2), "same", (3, 9), [2]),            # even kernel, even dilation
    ("Conv1d", (4, 3, 5), "valid", (3, 9), [1]),
]


@pytest.mark.parametrize("conv, wshape, padding, in_shape, dilation", CASES)
def test_string_padding_runs_as_pytorch(tmp_path, conv, wshape, padding, in_shape, dilation):
    rng = np.random.default_rng(1)
    w = rng.normal(size=wshape)
    path = tmp_path / "conv.nir"
    x = poisson(0.4, (2, 3) + tuple(in_shape), seed=2)
    expected = np.stack([np.stack([conv_reference(x[n, t].astype(float), w, padding, dilation)
                                   for t in range(3)]) for n in range(2)])
    write_nir(path, conv, w, padding, in_shape, dilation=dilation,
              out_shape=expected.shape[2:])
    net = snnc.load(path, preset="nir-spec")
    r = net.run(x)
    assert r.output.shape == expected.shape
    assert np.allclose(r.output, expected, atol=1e-9)
    if padding == "same":
        assert tuple(net.output_shape) == (wshape[0],) + tuple(in_shape[1:])


def translate(path):
    return subprocess.run([str(BIN / "snn-translate"), "--import-nir", str(path)],
                          capture_output=True, text=True)


def test_same_with_stride_is_refused(tmp_path):
    path = tmp_path / "strided.nir"
    write_nir(path, "Conv2d", np.ones((1, 1, 3, 3)), "same", (1, 6, 6), stride=[2, 2])
    out = translate(path)
    assert out.returncode == 1
    assert "conv" in out.stderr and "needs stride 1" in out.stderr


def test_same_with_even_kernel_and_odd_dilation_is_refused(tmp_path):
    path = tmp_path / "dilated.nir"
    write_nir(path, "Conv1d", np.ones((1, 1, 2)), "same", (1, 8), dilation=[3])
    out = translate(path)
    assert out.returncode == 1
    assert "even kernel size 2 and dilation 3" in out.stderr


def test_other_padding_strings_are_named(tmp_path):
    path = tmp_path / "full.nir"
    write_nir(path, "Conv1d", np.ones((1, 1, 3)), "full", (1, 8))
    out = translate(path)
    assert out.returncode == 1
    assert "'full'" in out.stderr and "\"same\" or \"valid\"" in out.stderr
