#!/usr/bin/env bash
# Usage: nir-roundtrip.sh SNN-TRANSLATE FILE.nir TMP PRESET
# Imports FILE, exports it, imports the export, and fails unless both imports
# print the same IR. That the export keeps the ORIGINAL file's parameters
# (which an import under the same preset could refill) is checked for the
# same files by the unit test NirExport.RealFilesKeepTheirParameters.
set -euo pipefail
translate="$1" file="$2" tmp="$3" preset="$4"
"$translate" --import-nir "$file" --nir-preset="$preset" --nir-name=net -o "$tmp.1.mlir" 2>/dev/null
"$translate" --export-nir "$tmp.1.mlir" -o "$tmp.nir"
"$translate" --import-nir "$tmp.nir" --nir-preset="$preset" --nir-name=net -o "$tmp.2.mlir" 2>/dev/null
diff "$tmp.1.mlir" "$tmp.2.mlir"
