"""Tests the HTML report (snn-run --report and Result.report) by its
structure: one self-contained page whose figures carry what they draw."""

import re
from html.parser import HTMLParser

import numpy as np

import snnc
from conftest import SOURCE, poisson, shared, snn_run

TARGET = SOURCE / "targets" / "loihi-class.json"


class Page(HTMLParser):
    """The svg figures of a page by class, with their attributes and the
    elements inside them."""

    def __init__(self, text):
        super().__init__()
        self.figures, self.current, self.tags = [], None, []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "svg":
            self.current = {"class": attrs.get("class"), "attrs": attrs, "inside": []}
            self.figures.append(self.current)
        elif self.current is not None:
            self.current["inside"].append((tag, attrs))

    def handle_endtag(self, tag):
        if tag == "svg":
            self.current = None

    def of(self, cls):
        return [f for f in self.figures if f["class"] == cls]


def self_contained(text):
    # Nothing is fetched: no script, no link, no external reference.
    assert "<script" not in text and "<link" not in text
    assert not re.search(r'(src|href)="(https?:)?//', text)
    assert "<img" not in text


def test_snn_run_report_with_compare_and_traces(tmp_path):
    path = shared("models", "fmnist_mlp.nir")
    x = np.load(shared("models", "fmnist_mlp_testA_spikes.npy"))[:30]
    np.save(tmp_path / "x.npy", x)
    page = tmp_path / "run.html"
    tool = snn_run(path, "--nir-preset", "snntorch", "--input", tmp_path / "x.npy",
                   "--compare", "float,fixed", "--weight-bits", 4, "--record", "lif1",
                   "--record-dir", tmp_path, "--report", page,
                   "--report-samples", "0,2")
    assert tool.returncode == 0, tool.stderr
    text = page.read_text()
    self_contained(text)
    p = Page(text)
    rasters = p.of("raster")
    assert {(f["attrs"]["data-node"], f["attrs"]["data-sample"]) for f in rasters} == {
        ("lif1", "0"), ("lif1", "2"), ("lif2", "0"), ("lif2", "2")}
    # The raster of lif2, sample 0, has as many dots as lif2 spiked then.
    run = snnc.load(path, preset="snntorch").run(x, record="lif2")
    expected = int(run.record["lif2"].out[0].sum())
    lif2 = [f for f in rasters if f["attrs"]["data-node"] == "lif2"
            and f["attrs"]["data-sample"] == "0"][0]
    d = [a["d"] for t, a in lif2["inside"] if t == "path" and a.get("class") == "spikes"][0]
    assert d.count("M") == expected
    assert len(p.of("histogram")) == 2
    traces = p.of("trace")
    assert len(traces) == 2
    lines = [a for t, a in traces[0]["inside"] if a.get("class") == "threshold"]
    curves = [a for t, a in traces[0]["inside"] if a.get("class") == "membrane"]
    assert lines and len(curves) == len(lines)
    agreement = p.of("agreement")
    assert len(agreement) == 1
    # 4-bit weights change spikes: the first difference is marked and named
    # as snn-run names it.
    first = re.search(r"first difference: sample (\d+), step (\d+), node (\w+), "
                      r"neuron (\d+)", tool.stdout)
    assert first
    assert [a for t, a in agreement[0]["inside"] if a.get("class") == "divergence"]
    assert ("first difference: sample %s, step %s, node %s, neuron %s"
            % first.groups()) in text


def test_emulator_report_draws_the_mesh(tmp_path):
    net = snnc.load(shared("models", "fmnist_mlp.nir"), preset="snntorch")
    q = net.quantize(target=str(TARGET))
    r = q.run(poisson(0.2, (3, 25, 784)), engine="emu", target=str(TARGET))
    text = open(r.report(tmp_path / "emu.html")).read()
    self_contained(text)
    p = Page(text)
    mesh = p.of("mesh")
    assert len(mesh) == 1
    cores = [a for t, a in mesh[0]["inside"] if a.get("class") == "core"]
    summary = r.summary["emulator"]
    assert sorted(int(c["data-core"]) for c in cores) == sorted(
        c["id"] for c in summary["cores"])
    links = [a for t, a in mesh[0]["inside"] if a.get("class") == "link"]
    assert sum(int(l["data-packets"]) for l in links) == sum(
        l["packets"] for l in summary["links"])
    cycles = p.of("cycles")
    assert len(cycles) == 1
    mean = [a for t, a in cycles[0]["inside"] if a.get("class") == "mean"][0]
    assert len(mean["points"].split()) == 25


def test_float_run_has_no_emulator_or_agreement(tmp_path):
    net = snnc.load(SOURCE / "examples" / "braille_rnn.mlir")
    r = net.run(poisson(0.3, (2, 30, 12)))
    p = Page(open(r.report(tmp_path / "r.html")).read())
    assert not p.of("mesh") and not p.of("agreement") and not p.of("trace")
    spiking = {l["name"] for l in r.summary["layers"] if l["spikes"]}
    assert spiking and {f["attrs"]["data-node"] for f in p.of("raster")} == spiking
