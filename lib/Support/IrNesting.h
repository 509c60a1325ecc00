//===- IrNesting.h - bound the nesting of MLIR text before parsing -*- C++ -*-===//
//
// MLIR's parser descends recursively into nested attributes and types: an
// array attribute nested about 7 000 deep overflows the stack of snn-opt
// (SIGSEGV; found by the mlir fuzzer). The tools measure the nesting of
// the text first, without recursion, and refuse more than kMaxIrNesting:
// every tool that parses IR text (snn-opt, snn-translate, snn-run) calls
// checkIrNesting on the bytes before MLIR's parser sees them.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_SUPPORT_IRNESTING_H
#define SNN_SUPPORT_IRNESTING_H

#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/Error.h"

#include <algorithm>
#include <cstdint>

namespace snn {

/// The deepest nesting of brackets, braces, parentheses and angle brackets
/// an IR file may have (real networks nest a few levels).
constexpr int64_t kMaxIrNesting = 1024;

/// The deepest nesting of `[`, `{`, `(` and `<` outside string literals and
/// comments, counted without recursion; stops counting past `limit`.
inline int64_t irNestingDepth(llvm::StringRef text, int64_t limit) {
  int64_t depth = 0, deepest = 0;
  bool inString = false, escaped = false, inComment = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (inComment) {
      inComment = c != '\n';
      continue;
    }
    if (inString) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"' || c == '\n')
        inString = false;
      continue;
    }
    if (c == '"') {
      inString = true;
    } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      inComment = true;
    } else if (c == '[' || c == '{' || c == '(' || c == '<') {
      deepest = std::max(deepest, ++depth);
      if (deepest > limit)
        return deepest;
    } else if (c == ']' || c == '}' || c == ')' || (c == '>' && depth > 0)) {
      --depth;
    }
  }
  return deepest;
}

/// An error `NAME: the IR is nested deeper than the limit of 1024 levels`
/// when `text` nests deeper than kMaxIrNesting; success otherwise. `name`
/// stands for the file in the message ("-": `<stdin>`).
inline llvm::Error checkIrNesting(llvm::StringRef text, llvm::StringRef name) {
  if (irNestingDepth(text, kMaxIrNesting) <= kMaxIrNesting)
    return llvm::Error::success();
  return llvm::createStringError(
      llvm::inconvertibleErrorCode(),
      llvm::Twine(name == "-" ? "<stdin>" : name) +
          ": the IR is nested deeper than the limit of " +
          llvm::Twine(kMaxIrNesting) + " levels");
}

} // namespace snn

#endif // SNN_SUPPORT_IRNESTING_H
