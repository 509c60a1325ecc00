"""Step 2: quantize to 8-bit weights and 16-bit membranes, and compare the
integer network with the float one, layer by layer and step by step."""

import numpy as np

import snnc
from common import LABELS, MODEL, SPIKES, need_model, output_dir

need_model()
out = output_dir()

net = snnc.load(MODEL, preset="snntorch")
q = net.quantize(weight_bits=8, state_bits=16)
for layer in q.quantization["layers"]:
    print("  %-6s %s" % (layer["node"], ", ".join(
        "%s %s" % (k, layer[k]) for k in ("weight_bits", "weight_exp", "state_bits")
        if k in layer)))

x, labels = np.load(SPIKES), np.load(LABELS)
c = snnc.compare(net, q, x, labels=labels, report_samples=[0])
print("accuracy float %.4f, int8 %.4f; predictions agree on %d of %d samples"
      % (c["accuracy_float"], c["accuracy_fixed"], c["predictions_agree"], c["samples"]))
for node in c["nodes"]:
    if node["spikes"]:
        print("  %-6s spikes agree %.4f" % (node["name"], node["agreement"]))
if "first_difference" in c:
    print("  first difference:", c["first_difference"])
assert abs(c["accuracy_fixed"] - c["accuracy_float"]) < 0.02

q.save(out / "fmnist_mlp.q.mlir")
c.report(out / "02-int8.html")
print("integer IR:", out / "fmnist_mlp.q.mlir", "report:", out / "02-int8.html")
