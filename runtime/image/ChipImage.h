//===- ChipImage.h - reading and sealing chip images ------------*- C++ -*-===//
//
// A chip image is a 32-byte header followed by a FlatBuffer (snn_image.fbs):
//
//   0  magic "SNNCHIP\0"     16  payload size (u64, little-endian)
//   8  format version (u32)  24  CRC-32 of the payload (u32)
//  12  flags, 0 (u32)        28  reserved, 0 (u32)
//
// Loading checks, in order, the magic, the version, the size, the checksum,
// the FlatBuffer's structure and then every table's consistency (indices in
// range, sizes that agree, widths a 64-bit engine can hold), so that code
// running an image never indexes out of bounds. No MLIR here.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_RUNTIME_CHIPIMAGE_H
#define SNN_RUNTIME_CHIPIMAGE_H

#include "image/CostModel.h"
#include "image/snn_image_generated.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace snn::image {

/// The newest format version this runtime reads and writes; it reads every
/// version from kOldestFormatVersion on (docs/image.md lists what each adds).
inline constexpr uint32_t kFormatVersion = 3;
inline constexpr uint32_t kOldestFormatVersion = 1;
inline constexpr size_t kHeaderSize = 32;
/// The largest image file fromFile reads (docs/robustness.md).
inline constexpr uint64_t kMaxImageBytes = uint64_t(1) << 30;

/// CRC-32 (IEEE 802.3, as zlib computes it).
uint32_t crc32(const uint8_t *data, size_t size);

/// The header for `payload`, followed by the payload. The header carries the
/// lowest format version that holds what the payload uses (minimumVersion),
/// so that a runtime reading only older versions still reads it when it can.
std::vector<uint8_t> seal(const uint8_t *payload, size_t size);

/// The first thing `chip` uses that format version 1 cannot hold (Lava's
/// arithmetic), or null.
const char *versionTwoFeature(const Chip &chip);

/// The first thing `chip` uses that format version 2 cannot hold (a Xylo
/// core), or null.
const char *versionThreeFeature(const Chip &chip);

/// The lowest format version that holds `chip`.
uint32_t minimumVersion(const Chip &chip);

/// A verified image in memory.
class ChipImage {
public:
  /// Errors say what is wrong: not an image, another version, truncated,
  /// corrupted (checksum), malformed tables, or which table is inconsistent.
  static std::unique_ptr<ChipImage> fromBytes(std::vector<uint8_t> bytes,
                                              std::string &error);
  static std::unique_ptr<ChipImage> fromFile(const std::string &path,
                                             std::string &error);

  const Chip &chip() const { return *chip_; }
  const std::vector<uint8_t> &bytes() const { return bytes_; }
  /// The cost model, read against its schema on load.
  const CostModel &costModel() const { return cost_; }

private:
  std::vector<uint8_t> bytes_;
  const Chip *chip_ = nullptr;
  CostModel cost_;
};

/// Consistency of a structurally valid chip table, cost model included
/// (exposed for tests).
bool checkChip(const Chip &chip, std::string &error);

} // namespace snn::image

#endif // SNN_RUNTIME_CHIPIMAGE_H
