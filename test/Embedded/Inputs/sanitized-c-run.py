"""Builds a quantized network's generated C with the host harness under
ASan and UBSan and runs it on Poisson input made by snn-run.

usage: sanitized-c-run.py NETWORK.mlir RATE,STEPS,SAMPLES RUNTIME_EMBEDDED_DIR
                          SNN_TRANSLATE SNN_RUN

Prints one line on success; any compiler warning, sanitizer report, non-zero
exit or output that differs from the fixed-point reference fails.
"""

import os
import subprocess
import sys
import tempfile


def run(cmd, **kwargs):
    result = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        sys.exit("failed (%d): %s\n%s%s" % (result.returncode, " ".join(cmd),
                                            result.stdout, result.stderr))
    return result


def main():
    network, poisson, embedded, translate, snn_run = sys.argv[1:6]
    rate, steps, samples = poisson.split(",")
    with tempfile.TemporaryDirectory() as work:
        c = os.path.join(work, "net.c")
        h = os.path.join(work, "net.h")
        run([translate, "--emit-c", network, "-o", c])
        run([translate, "--emit-c-header", network, "-o", h])
        harness = os.path.join(work, "harness")
        run(["cc", "-std=c99", "-g", "-O1", "-Wall", "-Wextra", "-Werror",
             "-pedantic", "-fsanitize=undefined,address",
             "-fno-sanitize-recover=all", "-fno-omit-frame-pointer",
             "-DSNN_HARNESS", '-DSNN_HARNESS_HEADER="net.h"',
             "-I" + work, "-I" + embedded, c,
             os.path.join(embedded, "snn_harness.c"), "-o", harness])
        inputs = os.path.join(work, "in.npy")
        fixed = os.path.join(work, "fixed.npy")
        run([snn_run, network, "--engine", "fixed", "--poisson", poisson,
             "--output", fixed, "--write-input", inputs])
        out = os.path.join(work, "host.npy")
        env = dict(os.environ,
                   ASAN_OPTIONS="detect_leaks=0:abort_on_error=0:exitcode=3",
                   UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1")
        result = run([harness, inputs, out], env=env)
        if "runtime error" in result.stderr or "Sanitizer" in result.stderr:
            sys.exit("sanitizer report:\n" + result.stderr)
        with open(fixed, "rb") as a, open(out, "rb") as b:
            if a.read() != b.read():
                sys.exit("the sanitized C's output differs from the "
                         "fixed-point reference")
    print("sanitized C: %s steps of %s samples clean, output equals the "
          "fixed-point reference" % (steps, samples))


if __name__ == "__main__":
    main()
