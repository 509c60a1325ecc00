"""Tests that a 10 000-sample batch runs and that running it again and
again does not grow the process (RSS measured, not time)."""

import gc

import numpy as np

import snnc
from conftest import SOURCE, poisson

EXAMPLE = SOURCE / "examples" / "braille_rnn.mlir"


def rss_mib():
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    import resource
    return pages * resource.getpagesize() / 2**20


def test_ten_thousand_samples_do_not_leak():
    net = snnc.load(EXAMPLE)
    x = poisson(0.1, (10_000, 20, 12), seed=3)
    r = net.run(x, record=["hidden"])
    assert r.output.shape == (10_000, 20, 7)
    assert r.record["hidden"].v.shape == (10_000, 20, 8)
    assert r.summary["samples"] == 10_000
    first = r.counts.copy()
    del r
    gc.collect()
    sizes = []
    for _ in range(6):
        r = net.run(x, record=["hidden"])
        assert np.array_equal(r.counts, first)
        del r
        gc.collect()
        sizes.append(rss_mib())
    # One run holds about 10 MiB of outputs and traces; after the first
    # rounds the process must not grow with every run.
    assert sizes[-1] - sizes[1] < 8, sizes


def test_outputs_are_not_copies():
    net = snnc.load(EXAMPLE)
    r = net.run(poisson(0.1, (4, 5, 12)))
    # numpy owns no buffer of its own: the engine's vector is the data.
    assert not r.output.flags["OWNDATA"]
    assert r.output.base is not None
