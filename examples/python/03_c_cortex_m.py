"""Step 3: the integer network as C -- compiled on the host (the c engine)
and on a Cortex-M4 under QEMU -- bit-exact with the fixed-point reference."""

import shutil
import subprocess

import numpy as np

import snnc
from common import MODEL, SOURCE, SPIKES, need_model, output_dir

need_model()
out = output_dir()

net = snnc.load(MODEL, preset="snntorch")
q = net.quantize(weight_bits=8, state_bits=16)
print("C:", q.emit_c(out / "c"))

x = np.load(SPIKES)[:20]
fixed = q.run(x, engine="fixed")
host = q.run(x, engine="c")
assert np.array_equal(fixed.output, host.output)
print("host C equals the fixed-point reference on %d samples" % len(x))

if not (shutil.which("arm-none-eabi-gcc") and shutil.which("qemu-system-arm")):
    print("(Cortex-M4 part not run: needs gcc-arm-none-eabi, libnewlib-arm-none-eabi, "
          "qemu-system-arm)")
else:
    q.save(out / "fmnist_mlp.q.mlir")
    np.save(out / "x.npy", x[:3])
    np.save(out / "expected.npy", fixed.output[:3].astype(np.uint8))
    board = subprocess.run(
        [str(SOURCE / "scripts" / "cortex-m-run.sh"), str(out / "fmnist_mlp.q.mlir"),
         str(out / "x.npy"), str(out / "expected.npy"), str(out / "cortex-m")],
        capture_output=True, text=True)
    print(board.stdout.strip())
    assert board.returncode == 0, board.stderr
