//===- InputKind.cpp - what kind of file a tool was given -----------------===//

#include "NIR/InputKind.h"
#include "NIR/Hdf5.h"
#include "Support/ChildProcess.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

#include <algorithm>
#include <cstring>

namespace snn {

namespace {

/// Enough of a file to recognise text, JSON and magic numbers.
constexpr uint64_t kHeadBytes = 4096;
/// HDF5 files are opened to look at their groups only up to this size.
constexpr uint64_t kMaxInspectedHdf5 = uint64_t(1) << 31;
/// The deadline for looking at an HDF5 file's top-level groups.
constexpr unsigned kHdf5KindSeconds = 10;

bool isText(llvm::StringRef head) {
  return std::none_of(head.begin(), head.end(), [](char c) {
    unsigned char u = static_cast<unsigned char>(c);
    return u == 0 || (u < 32 && u != '\n' && u != '\r' && u != '\t');
  });
}

InputKind hdf5KindInProcess(llvm::StringRef bytes) {
  auto file = hdf5::File::openImage(bytes);
  if (!file) {
    llvm::consumeError(file.takeError());
    return InputKind::Hdf5;
  }
  if (hdf5::kindOf(file->root(), "node") == hdf5::ObjectKind::Group)
    return InputKind::Nir;
  if (hdf5::kindOf(file->root(), "layer") == hdf5::ObjectKind::Group)
    return InputKind::Netx;
  return InputKind::Hdf5;
}

/// The groups are looked up in a child: HDF5 crashes or loops on some
/// corrupt files (lib/Support/ChildProcess.h), even on the root's links.
InputKind hdf5Kind(llvm::StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false);
  if (!buffer)
    return InputKind::Hdf5;
  llvm::StringRef bytes = (*buffer)->getBuffer();
  support::ChildRun run = support::runInChild(
      [&](int fd) {
        char kind = char(hdf5KindInProcess(bytes));
        return support::writeAll(fd, std::string(1, kind)) ? 0 : 1;
      },
      kHdf5KindSeconds, support::readerMemoryLimit(bytes.size()));
  if (!run.started)
    return hdf5KindInProcess(bytes);
  if (run.timedOut || run.signal || run.exitCode != 0 ||
      run.output.size() != 1)
    return InputKind::CorruptHdf5;
  return InputKind(run.output[0]);
}

} // namespace

InputKind detectInputKind(llvm::StringRef path) {
  if (path == "-")
    return InputKind::Stdin;
  llvm::sys::fs::file_status status;
  if (llvm::sys::fs::status(path, status))
    return InputKind::Missing;
  if (status.type() != llvm::sys::fs::file_type::regular_file)
    return InputKind::NotRegular;
  auto buffer = llvm::MemoryBuffer::getFileSlice(
      path, std::min<uint64_t>(status.getSize(), kHeadBytes), 0,
      /*IsVolatile=*/false);
  if (!buffer)
    return InputKind::Missing;
  llvm::StringRef head = (*buffer)->getBuffer();
  if (head.starts_with(llvm::StringRef("SNNCHIP\0", 8)))
    return InputKind::ChipImage;
  if (head.starts_with("PK\x03\x04"))
    return path.ends_with(".npz") ? InputKind::RockpoolSpec : InputKind::Binary;
  if (head.starts_with("\x89HDF\r\n\x1a\n"))
    return status.getSize() <= kMaxInspectedHdf5 ? hdf5Kind(path)
                                                 : InputKind::Hdf5;
  if (!isText(head))
    return InputKind::Binary;
  llvm::StringRef trimmed = head.ltrim();
  if (trimmed.starts_with("{") || trimmed.starts_with("[")) {
    if (head.contains("\"weights_in\"") || head.contains("\"weights_rec\""))
      return InputKind::RockpoolSpec;
    return InputKind::Json;
  }
  return InputKind::MlirText;
}

std::string describeInputKind(InputKind kind) {
  switch (kind) {
  case InputKind::Stdin:
    return "standard input";
  case InputKind::Missing:
    return "a file that does not exist or cannot be read";
  case InputKind::NotRegular:
    return "not a regular file (a directory, device or pipe)";
  case InputKind::MlirText:
    return "MLIR text";
  case InputKind::Nir:
    return "a NIR file (HDF5 with a 'node' group)";
  case InputKind::Netx:
    return "a Lava-dl netx file (HDF5 with a 'layer' group)";
  case InputKind::Hdf5:
    return "an HDF5 file that is neither NIR nor netx";
  case InputKind::CorruptHdf5:
    return "a corrupt HDF5 file (HDF5 crashed or did not finish reading its "
           "top-level groups)";
  case InputKind::ChipImage:
    return "an SNNC chip image (magic SNNCHIP)";
  case InputKind::RockpoolSpec:
    return "a Rockpool/Xylo network specification";
  case InputKind::Json:
    return "a JSON file (a target, calibration or report)";
  case InputKind::Binary:
    return "a binary file that is neither HDF5 nor a chip image";
  }
  return "an unknown file";
}

std::string adviceFor(InputKind kind) {
  switch (kind) {
  case InputKind::Nir:
    return "snn-opt and snn-run read it directly; snn-translate "
           "--import-nir turns it into MLIR";
  case InputKind::ChipImage:
    return "run it with snn-bench-emulator, or turn it back into snnhw IR "
           "with snn-translate --import-image";
  case InputKind::Netx:
    return "snn-translate --import-netx turns it into MLIR, and snn-run runs "
           "it";
  case InputKind::RockpoolSpec:
    return "snn-translate --import-xylo-spec turns it into MLIR, and snn-run "
           "runs it as it is";
  case InputKind::Json:
    return "targets are passed with --target, calibrations with "
           "calibration= or --calibration";
  default:
    return "SNNC's tools read .mlir and .nir files";
  }
}

} // namespace snn
