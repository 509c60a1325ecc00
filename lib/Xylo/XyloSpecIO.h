//===- XyloSpecIO.h - Rockpool Xylo specifications in and out ---*- C++ -*-===//
//
// `.npz` (what `np.savez(path, **spec)` writes, without `mapped_graph`) and a
// `.json` form with the same keys, for people without numpy. Reading checks
// every key's presence, dtype and shape against the others before a value is
// used; sizes are multiplied out in 64 bits and bounded before anything is
// allocated. Values are not range-checked here: that is validate()'s job,
// per device.
//
// npz details (docs/xylo.md, "Specification files"): stored and deflated
// zip members are read, zip64 extra fields of numpy's force_zip64 writer
// are understood; members are written stored. `aliases` is an int64 array
// (Nhid, k) padded with -1 (k = 0 when there are none): numpy cannot store
// Rockpool's ragged list of lists without pickling.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_XYLO_XYLOSPECIO_H
#define SNN_XYLO_XYLOSPECIO_H

#include "Xylo/XyloSpec.h"

#include "llvm/Support/Error.h"

#include <optional>
#include <string>

namespace snn::xylo {

/// The largest file read and the largest array, in bytes: a full Xylo Audio
/// 2 specification stored as int64 is about 16 MB.
constexpr int64_t kMaxFileBytes = int64_t(1) << 28;
constexpr int64_t kMaxArrayBytes = int64_t(1) << 27;

/// Reads a `.npz` or `.json` specification (by extension); the error names
/// the file, the key and what is wrong.
llvm::Expected<Spec> readSpec(const std::string &path);
llvm::Expected<Spec> readSpecNpz(const std::string &path);
llvm::Expected<Spec> readSpecJson(const std::string &path);
/// Parses the bytes of an npz / the text of a json specification.
llvm::Expected<Spec> parseSpecNpz(const std::string &bytes);
llvm::Expected<Spec> parseSpecJson(const std::string &text);

/// Writes with Rockpool's dtypes: weights int8, thresholds and biases int16,
/// dashes uint8, shifts int64 scalars, dt float64. Values outside a dtype are
/// refused (validate first).
llvm::Error writeSpecNpz(const Spec &spec, const std::string &path);
llvm::Error writeSpecJson(const Spec &spec, const std::string &path);
llvm::Error writeSpec(const Spec &spec, const std::string &path);

} // namespace snn::xylo

#endif // SNN_XYLO_XYLOSPECIO_H
