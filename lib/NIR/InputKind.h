//===- InputKind.h - what kind of file a tool was given --------*- C++ -*-===//
//
// Tools read `.mlir` text and `.nir` files; users also hand them chip images,
// Lava-dl netx files, Rockpool/Xylo specifications, targets and directories.
// The kind is recognised from the bytes (magic numbers, HDF5 groups, JSON
// keys), so that a tool can say what the file is and which tool takes it
// instead of printing "unexpected character" and the file's bytes.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_NIR_INPUTKIND_H
#define SNN_NIR_INPUTKIND_H

#include "llvm/ADT/StringRef.h"

#include <string>

namespace snn {

enum class InputKind {
  Stdin,        // "-": not inspected
  Missing,      // no such file, or unreadable
  NotRegular,   // a directory, device or pipe
  MlirText,     // anything else that is text
  Nir,          // HDF5 with a /node group
  Netx,         // HDF5 with a /layer group (Lava-dl)
  Hdf5,         // other HDF5
  CorruptHdf5,  // HDF5 whose top-level groups HDF5 could not read
  ChipImage,    // runtime/image: magic "SNNCHIP\0"
  RockpoolSpec, // .npz (a zip) or JSON with Xylo weight keys
  Json,         // other JSON (targets, calibration, reports)
  Binary,       // other bytes that are not text
};

/// The kind of the file at `path`, from its first bytes (and, for HDF5,
/// its top-level groups). Never reads more than the header of a
/// non-regular file.
InputKind detectInputKind(llvm::StringRef path);

/// "a chip image (SNNCHIP)", "a Lava-dl netx file (HDF5 with a 'layer'
/// group)", ...
std::string describeInputKind(InputKind kind);

/// What to do with a file of this kind instead, for messages.
std::string adviceFor(InputKind kind);

} // namespace snn

#endif // SNN_NIR_INPUTKIND_H
