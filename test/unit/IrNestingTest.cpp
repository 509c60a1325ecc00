//===- IrNestingTest.cpp - the nesting bound's skipping of strings ---------===//
//
// irNestingDepth skips string literals with memchr; this checks it against
// the plain byte-by-byte reading of the same rules on random text made of
// the characters that matter (quotes, escapes, newlines, comments,
// brackets), and on the corners by hand.
//
//===----------------------------------------------------------------------===//

#include "Support/IrNesting.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

using namespace snn;

namespace {

/// The rules read one byte at a time: strings end at an unescaped quote or
/// a newline, `//` comments at a newline, `>` closes only inside brackets.
int64_t depthByteByByte(const std::string &text) {
  int64_t depth = 0, deepest = 0;
  bool inString = false, escaped = false, inComment = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (inComment) {
      inComment = c != '\n';
    } else if (inString) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"' || c == '\n')
        inString = false;
    } else if (c == '"') {
      inString = true;
    } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      inComment = true;
    } else if (c == '[' || c == '{' || c == '(' || c == '<') {
      deepest = std::max(deepest, ++depth);
    } else if (c == ']' || c == '}' || c == ')' || (c == '>' && depth > 0)) {
      --depth;
    }
  }
  return deepest;
}

TEST(IrNesting, StringsAndCommentsHideBrackets) {
  EXPECT_EQ(irNestingDepth(R"([["[[[["]])", 100), 2);
  EXPECT_EQ(irNestingDepth("[\"\\\"[[[\"]", 100), 1);    // escaped quote
  EXPECT_EQ(irNestingDepth("\"abc\n[[[", 100), 3);         // unclosed at newline
  EXPECT_EQ(irNestingDepth("\"a\\\n[[\"[", 100), 1);       // escaped newline
  EXPECT_EQ(irNestingDepth("// [[[[\n[", 100), 1);
  EXPECT_EQ(irNestingDepth("\"\\", 100), 0);               // text ends in an escape
  EXPECT_EQ(irNestingDepth("[[[[[", 3), 4);                // stops past the limit
}

TEST(IrNesting, EqualsTheByteByByteReading) {
  const char alphabet[] = {'"', '\\', '\n', '[', ']', '{', '}', '<',
                           '>', '/', 'a', '0', '(', ')'};
  std::mt19937 rng(7);
  std::uniform_int_distribution<size_t> pick(0, sizeof(alphabet) - 1);
  std::uniform_int_distribution<size_t> length(0, 200);
  for (int trial = 0; trial < 20000; ++trial) {
    std::string text(length(rng), ' ');
    for (char &c : text)
      c = alphabet[pick(rng)];
    ASSERT_EQ(irNestingDepth(text, 1 << 20), depthByteByByte(text))
        << "text: " << text;
  }
}

} // namespace
