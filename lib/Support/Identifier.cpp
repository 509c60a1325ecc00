//===- Identifier.cpp - names that are valid C and MLIR identifiers -------===//

#include "Support/Identifier.h"

#include <cctype>

namespace snn {

std::string identifierFrom(const std::string &text, const std::string &prefix) {
  std::string out;
  for (char c : text)
    out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0])))
    out = prefix + out;
  return out;
}

} // namespace snn
