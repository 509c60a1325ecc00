# lit configuration for SNNC's IR and tool tests.

import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "SNNC"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
# fuzz/ holds the fuzz targets' corpus of hostile inputs, not tests.
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py", "fuzz"]
config.test_source_root = os.path.dirname(__file__)
# ctest runs each lit file as its own lit process, in parallel; each gets its
# own exec root so that their temporaries and lit's timing file do not race.
config.test_exec_root = os.environ.get(
    "SNNC_LIT_EXEC_ROOT", os.path.join(config.snnc_obj_root, "test"))
os.makedirs(config.test_exec_root, exist_ok=True)

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

tools = [ToolSubst("snn-opt", unresolved="fatal"),
         ToolSubst("snn-translate", unresolved="fatal"),
         ToolSubst("snn-run", unresolved="fatal"),
         ToolSubst("snn-bench-emulator", unresolved="fatal")]
llvm_config.add_tool_substitutions(tools, [config.snnc_tools_dir])

# Real NIR files and models live beside the checkout in ../shared; tests
# that need them declare `REQUIRES: shared` and are reported as unsupported
# (with this reason) in a checkout without them.
if os.path.isdir(config.snnc_shared_dir):
    config.available_features.add("shared")
    config.substitutions.append(("%shared", config.snnc_shared_dir))
else:
    lit_config.note("no shared/ folder at %s: tests on real NIR files skip"
                    % config.snnc_shared_dir)
config.substitutions.append(
    ("%nir-roundtrip",
     "bash %s %s" % (os.path.join(config.test_source_root, "NIR", "Inputs", "nir-roundtrip.sh"),
                     os.path.join(config.snnc_tools_dir, "snn-translate"))))
config.substitutions.append(("%examples", os.path.join(config.snnc_src_root, "examples")))
config.substitutions.append(
    ("%runtime", os.path.join(config.snnc_src_root, "runtime")))
# A C compiler for the generated code: gcc or clang under the name cc.
import shutil
if shutil.which("cc"):
    config.available_features.add("cc")
# Cortex-M runs: the cross compiler and QEMU (scripts/install-deps.sh
# installs both); without them those tests report unsupported.
if shutil.which("arm-none-eabi-gcc") and shutil.which("qemu-system-arm"):
    config.available_features.add("cortex-m")
else:
    lit_config.note("no arm-none-eabi-gcc or qemu-system-arm: Cortex-M tests skip")
config.substitutions.append(
    ("%cortex-m-run", "bash " + os.path.join(config.snnc_src_root, "scripts", "cortex-m-run.sh")))
# Tests that craft damaged HDF5 files need h5py: the first python3 with it
# (the one on PATH, else Debian's python3-h5py); without it they skip.
import subprocess
for python in [shutil.which("python3", path=config.environment.get("PATH")),
               "/usr/bin/python3"]:
    if python and subprocess.call([python, "-c", "import h5py"],
                                  stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL) == 0:
        config.available_features.add("h5py")
        config.substitutions.append(("%h5python", python))
        break
else:
    lit_config.note("no python3 with h5py: tests that craft HDF5 files skip")
config.substitutions.append(("%targets", os.path.join(config.snnc_src_root, "targets")))
