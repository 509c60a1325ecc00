//===- NetxReader.h - read a lava-dl netx HDF5 file -------------*- C++ -*-===//
//
// Reads a netx file into a netx::Network, checking every field before it is
// used: the layer groups 0..n-1, each dataset's presence, element type and
// shape (sizes multiplied out in 64 bits and bounded before anything is
// read), the shapes of consecutive layers against each other. What netx can
// express and SNNC cannot run yet (graded spikes, SDNN and RF neurons,
// dense_comp, pooling) is refused naming the layer and the field.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_NETX_NETXREADER_H
#define SNN_NETX_NETXREADER_H

#include "Netx/NetxModel.h"

#include "llvm/Support/Error.h"

#include <optional>
#include <string>

namespace snn::netx {

/// The largest dataset read, in elements: far beyond any network a Loihi 2
/// system holds, small enough that a hostile header cannot exhaust memory.
constexpr int64_t kMaxElements = int64_t(1) << 26;

/// The largest netx file read (it is read into memory).
constexpr uint64_t kMaxFileBytes = uint64_t(1) << 31;

/// Reads `path`; the error names the file, layer and field. HDF5 can loop
/// or crash on corrupt files, so the file is read in a child process that
/// may take at most 30 s (an error when it hangs or dies) and sends the
/// network back over a pipe: the file is parsed once, in the child.
llvm::Expected<Network> readNetx(const std::string &path);
/// Reads the bytes of a netx file already in memory (HDF5's core driver, no
/// file on disk); `name` stands for the file in errors. As readNetx, with a
/// deadline of `timeoutSeconds` for the child.
llvm::Expected<Network> readNetxImage(llvm::StringRef bytes,
                                      const std::string &name,
                                      unsigned timeoutSeconds = 30);

/// The readers themselves, in this process: what the child of readNetx and
/// readNetxImage runs. For the fuzzer, which runs them at full speed; tools
/// call readNetx, since HDF5 may loop or crash here.
llvm::Expected<Network> readNetxInProcess(const std::string &path);
llvm::Expected<Network> readNetxImageInProcess(llvm::StringRef bytes,
                                               const std::string &name);

/// The form in which the child sends the network it read to the parent,
/// and its reader: every count is checked against the bytes left before
/// anything is allocated; anything malformed is an error.
std::string encodeNetwork(const Network &net);
llvm::Expected<Network> decodeNetwork(llvm::StringRef bytes);

} // namespace snn::netx

#endif // SNN_NETX_NETXREADER_H
