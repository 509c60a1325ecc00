"""Step 1: import a NIR file exported by snnTorch and check the float
engine against the numbers the training framework computed."""

import numpy as np

import snnc
from common import COUNTS, LABELS, MODEL, SPIKES, need_model, output_dir

need_model()
out = output_dir()

# snnTorch's exporter does not write how it resets or fires: the preset says it.
net = snnc.load(MODEL, preset="snntorch")
print(repr(net))

x = np.load(SPIKES)      # uint8 [1000 samples, 25 steps, 784 inputs]
labels = np.load(LABELS)
r = net.run(x, labels=labels, record=["lif1"], report_samples=[0, 1])

# The training framework's own output spike counts, sample by sample.
framework = np.load(COUNTS)
same = int((r.counts == framework).all(axis=1).sum())
print("accuracy %.4f; output counts equal to snnTorch's on %d of %d samples"
      % (r.accuracy, same, len(x)))
for layer in r.summary["layers"]:
    if layer["spikes"]:
        print("  %-6s firing rate %.4f" % (layer["name"], layer["firing_rate"]))
assert same == len(x), "the float engine differs from the training framework"

r.report(out / "01-float.html")
print("report:", out / "01-float.html")
