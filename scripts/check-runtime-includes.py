#!/usr/bin/env python3
"""Checks a build's compile_commands.json: the runtime's sources (runtime/ and
the emulator bench) are compiled without LLVM's or MLIR's include paths, as
the runtime alone is (scripts/test-runtime-alone.sh), also in a build of the
whole compiler. Prints the offending files and flags; exit 1 on any.

usage: check-runtime-includes.py BUILD_DIR SOURCE_DIR
"""
import json
import os
import shlex
import sys


def include_dirs(args):
    """The -I / -isystem directories of one compile command."""
    dirs = []
    for k, arg in enumerate(args):
        for flag in ("-I", "-isystem"):
            if arg == flag and k + 1 < len(args):
                dirs.append(args[k + 1])
            elif arg.startswith(flag) and len(arg) > len(flag):
                dirs.append(arg[len(flag):])
    return dirs


def main():
    build, source = sys.argv[1], os.path.realpath(sys.argv[2])
    with open(os.path.join(build, "compile_commands.json")) as f:
        commands = json.load(f)
    runtime = [os.path.join(source, "runtime") + os.sep,
               os.path.join(source, "bench", "EmulatorBench.cpp")]
    checked, bad = 0, []
    for entry in commands:
        path = os.path.realpath(entry["file"])
        if not any(path.startswith(prefix) for prefix in runtime):
            continue
        checked += 1
        args = entry.get("arguments") or shlex.split(entry["command"])
        for d in include_dirs(args):
            if "llvm" in d.lower() or "mlir" in d.lower():
                bad.append((path, d))
    if checked == 0:
        print("check-runtime-includes: no runtime source in "
              "compile_commands.json", file=sys.stderr)
        return 1
    for path, d in bad:
        print(f"check-runtime-includes: {path} sees {d}", file=sys.stderr)
    if bad:
        return 1
    print(f"check-runtime-includes: {checked} runtime sources, none sees "
          "LLVM or MLIR headers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
