//===- Identifier.h - names that are valid C and MLIR identifiers -*- C++ -*-===//

#ifndef SNN_SUPPORT_IDENTIFIER_H
#define SNN_SUPPORT_IDENTIFIER_H

#include <string>

namespace snn {

/// `text` with every character other than a letter, digit or '_' replaced by
/// '_', and `prefix` in front when it would be empty or start with a digit.
std::string identifierFrom(const std::string &text, const std::string &prefix);

} // namespace snn

#endif // SNN_SUPPORT_IDENTIFIER_H
