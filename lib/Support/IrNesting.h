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
#include <cstring>

namespace snn {

/// The deepest nesting of brackets, braces, parentheses and angle brackets
/// an IR file may have (real networks nest a few levels).
constexpr int64_t kMaxIrNesting = 1024;

/// The end of the string literal whose body starts at `i`: the index just
/// past its closing quote, or past the newline that ends it unclosed, or the
/// end of the text. Large IR files are mostly hex strings (dense
/// resources), so the body is skipped with memchr rather than per byte;
/// every search starts where the last one's range ended, so the whole skip
/// stays linear however many escapes the string holds.
inline size_t skipStringBody(llvm::StringRef text, size_t i) {
  const char *base = text.data();
  size_t n = text.size();
  auto find = [&](char c, size_t from, size_t to) {
    const void *at = std::memchr(base + from, c, to - from);
    return at ? size_t(static_cast<const char *>(at) - base) : to;
  };
  // quote: the first '"' at or after i; newline: the first '\n' before it
  // (or quote itself); both stay valid while i has not passed them.
  size_t quote = find('"', i, n), newline = find('\n', i, quote);
  while (i < n) {
    size_t backslash = find('\\', i, newline);
    if (backslash == newline)
      return newline == n ? n : newline + 1;
    i = backslash + 2; // the escaped character is never an end
    if (i > quote)
      quote = find('"', std::min(i, n), n);
    if (i > newline)
      newline = find('\n', std::min(i, n), quote);
  }
  return n;
}

/// The deepest nesting of `[`, `{`, `(` and `<` outside string literals and
/// comments, counted without recursion; stops counting past `limit`.
inline int64_t irNestingDepth(llvm::StringRef text, int64_t limit) {
  int64_t depth = 0, deepest = 0;
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c == '"') {
      i = skipStringBody(text, i + 1);
      continue;
    }
    if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      size_t end = text.find('\n', i);
      i = end == llvm::StringRef::npos ? text.size() : end + 1;
      continue;
    }
    if (c == '[' || c == '{' || c == '(' || c == '<') {
      deepest = std::max(deepest, ++depth);
      if (deepest > limit)
        return deepest;
    } else if (c == ']' || c == '}' || c == ')' || (c == '>' && depth > 0)) {
      --depth;
    }
    ++i;
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
