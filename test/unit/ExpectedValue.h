//===- ExpectedValue.h - llvm::Expected results in tests --------*- C++ -*-===//

#ifndef SNNC_TEST_EXPECTEDVALUE_H
#define SNNC_TEST_EXPECTEDVALUE_H

#include "llvm/Support/Error.h"

#include <memory>
#include <optional>
#include <string>

namespace snn::test {

/// The value of `result`, or nullopt with its message in `error` (which a
/// test prints when it asserts on the value).
template <typename T>
std::optional<T> valueOr(llvm::Expected<T> result, std::string &error) {
  if (!result) {
    error = llvm::toString(result.takeError());
    return std::nullopt;
  }
  return std::move(*result);
}

/// An object made by a factory, or null with the message in `error`.
template <typename T>
std::unique_ptr<T> valueOr(llvm::Expected<std::unique_ptr<T>> result,
                           std::string &error) {
  if (!result) {
    error = llvm::toString(result.takeError());
    return nullptr;
  }
  return std::move(*result);
}

} // namespace snn::test

#endif // SNNC_TEST_EXPECTEDVALUE_H
