"""Step 4: quantize for a chip (the Loihi-class target), map it onto the
mesh, write its image and run it on the cycle-approximate emulator."""

import numpy as np

import snnc
from common import LABELS, MODEL, SPIKES, TARGET, need_model, output_dir

need_model()
out = output_dir()

net = snnc.load(MODEL, preset="snntorch")
q = net.quantize(target=TARGET)          # the target's widths and arithmetic
chip = q.map(TARGET)
print(chip.map_report())
chip.emit_image(out / "fmnist_mlp.img")

x, labels = np.load(SPIKES)[:20], np.load(LABELS)[:20]
r = q.run(x, engine="emu", target=TARGET, labels=labels, record=["lif2"])
fixed = q.run(x, engine="fixed")
assert np.array_equal(r.output, fixed.output), "the chip differs from the reference"
emu = r.summary["emulator"]
print("accuracy %.2f on %d samples; %.0f cycles per step (%.1f us), %.3f uJ per inference"
      % (r.accuracy, len(x), emu["cycles_per_step"], emu["us_per_step"],
         emu["energy_uj_per_inference"]))
for core in emu["cores"]:
    print("  core %d busy %.1f %%" % (core["id"], 100 * core["busy"]))

r.report(out / "04-emulator.html")
print("image:", out / "fmnist_mlp.img", "report:", out / "04-emulator.html")
