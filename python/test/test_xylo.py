"""snnc with a Xylo target: a Braille model quantized for Xylo Audio 2 is one
snn.xylo core, and the fixed-point reference, the generated C and the
emulator (which maps the core and runs it with xylosim's arithmetic) give the
same output spikes; the emulator reports Rockpool's cycle model."""

import numpy as np

import snnc
from conftest import SOURCE, poisson, shared


def test_braille_on_xylo_audio2_same_on_every_integer_engine():
    target = SOURCE / "targets" / "xylo-audio2.json"
    net = snnc.load(shared("nir", "paper", "rnn",
                           "braille_noDelay_noBias_subtract.nir"),
                    preset="snntorch")
    q = net.quantize(target=target)
    assert "snn.xylo" in str(q)
    x = poisson(0.1, (4, 100, 12), seed=3).astype(np.float64)
    fixed = q.run(x, engine="fixed")
    c = q.run(x, engine="c")
    emu = q.run(x, engine="emu", target=target)
    assert fixed.output.sum() > 0
    assert np.array_equal(fixed.output, c.output)
    assert np.array_equal(fixed.output, emu.output)
    model = emu.summary["emulator"]["xylo_cycles_model"]
    assert model["device"] == "syns61201"
    assert model["n_hid"] == 40 and model["n_in"] == 12
    assert emu.summary["emulator"]["cycles_per_step"] > 0
