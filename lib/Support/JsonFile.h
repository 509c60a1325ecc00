//===- JsonFile.h - read a JSON file with errors naming it ------*- C++ -*-===//
//
// Target and calibration files are small JSON documents. The reader refuses
// what is not a regular file (a directory, /dev/zero, a FIFO), files beyond
// kMaxJsonBytes, and nesting deeper than kMaxJsonDepth before llvm::json's
// recursive parser could overflow the stack.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_SUPPORT_JSONFILE_H
#define SNN_SUPPORT_JSONFILE_H

#include "llvm/Support/Error.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cstdint>
#include <string>

namespace snn {

/// The deepest nesting of arrays and objects a JSON file may have.
constexpr int64_t kMaxJsonDepth = 64;
/// The largest JSON file read (256 MiB).
constexpr uint64_t kMaxJsonBytes = uint64_t(256) << 20;

/// The deepest nesting of `[` and `{` outside strings, counted without
/// recursion; stops counting past `limit`.
inline int64_t jsonNestingDepth(llvm::StringRef text, int64_t limit) {
  int64_t depth = 0, deepest = 0;
  bool inString = false, escaped = false;
  for (char c : text) {
    if (inString) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        inString = false;
      continue;
    }
    if (c == '"') {
      inString = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
      if (deepest > limit)
        return deepest;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

/// The parsed contents of `text`, the bytes of the file `name`; on failure,
/// an error that says why, naming the file. The nesting is bounded before
/// llvm::json's recursive parser sees the text.
inline llvm::Expected<llvm::json::Value> parseJson(llvm::StringRef text,
                                                   const std::string &name) {
  if (text.size() > kMaxJsonBytes) {
    return llvm::createStringError(name + ": " + std::to_string(text.size()) +
            " bytes is more than the limit of " +
            std::to_string(kMaxJsonBytes) + " bytes for a JSON file");
  }
  if (jsonNestingDepth(text, kMaxJsonDepth) > kMaxJsonDepth) {
    return llvm::createStringError(name + ": JSON nested deeper than the limit of " +
            std::to_string(kMaxJsonDepth) + " levels");
  }
  llvm::Expected<llvm::json::Value> parsed = llvm::json::parse(text);
  if (!parsed) {
    return llvm::createStringError(name + ": not JSON: " + llvm::toString(parsed.takeError()));
  }
  return std::move(*parsed);
}

/// The parsed contents of `path`; on failure, an error that says why, naming
/// the file.
inline llvm::Expected<llvm::json::Value> readJsonFile(const std::string &path) {
  llvm::sys::fs::file_status status;
  if (std::error_code ec = llvm::sys::fs::status(path, status)) {
    return llvm::createStringError(path + ": " + ec.message());
  }
  if (!llvm::sys::fs::is_regular_file(status)) {
    return llvm::createStringError(path + ": not a regular file");
  }
  if (status.getSize() > kMaxJsonBytes) {
    return llvm::createStringError(path + ": " + std::to_string(status.getSize()) +
            " bytes is more than the limit of " +
            std::to_string(kMaxJsonBytes) + " bytes for a JSON file");
  }
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer) {
    return llvm::createStringError(path + ": " + buffer.getError().message());
  }
  return parseJson((*buffer)->getBuffer(), path);
}

} // namespace snn

#endif // SNN_SUPPORT_JSONFILE_H
