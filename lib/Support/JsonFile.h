//===- JsonFile.h - read a JSON file with errors naming it ------*- C++ -*-===//

#ifndef SNN_SUPPORT_JSONFILE_H
#define SNN_SUPPORT_JSONFILE_H

#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

#include <optional>
#include <string>

namespace snn {

/// The parsed contents of `path`; on failure, `error` says why, naming it.
inline std::optional<llvm::json::Value> readJsonFile(const std::string &path,
                                                     std::string &error) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer) {
    error = path + ": " + buffer.getError().message();
    return std::nullopt;
  }
  llvm::Expected<llvm::json::Value> parsed =
      llvm::json::parse((*buffer)->getBuffer());
  if (!parsed) {
    error = path + ": not JSON: " + llvm::toString(parsed.takeError());
    return std::nullopt;
  }
  return std::move(*parsed);
}

} // namespace snn

#endif // SNN_SUPPORT_JSONFILE_H
