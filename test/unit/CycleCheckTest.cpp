//===- CycleCheckTest.cpp - network graph verification --------------------===//
//
// Parses networks from text and checks what the verifier says about their
// cycles, including graphs too large to write by hand in a lit test.
//
//===----------------------------------------------------------------------===//

#include "SNN/IR/SNNOps.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

using namespace mlir;

namespace {
/// Parses `source` and returns the first error text, or "" when it verifies.
std::string firstError(const std::string &source) {
  MLIRContext ctx;
  ctx.loadDialect<snn::SNNDialect>();
  std::string error;
  ScopedDiagnosticHandler handler(&ctx, [&](Diagnostic &d) {
    if (d.getSeverity() == DiagnosticSeverity::Error && error.empty())
      error = d.str();
    return success();
  });
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(source, &ctx);
  if (module && error.empty())
    return "";
  return error.empty() ? "parse failed without a message" : error;
}

std::string chain(int length, bool closeWithDelay) {
  std::string s = "snn.network @deep(%in: !snn.values<4>) -> (out: "
                  "!snn.values<4>) attributes {dt = 1.0e-3} {\n";
  s += "  %s = snn.sum %in, %back : !snn.values<4>, !snn.values<4> -> "
       "!snn.values<4>\n";
  std::string prev = "%s";
  for (int i = 0; i < length; ++i) {
    std::string name = "%x" + std::to_string(i);
    s += "  " + name + " = snn.scale " + prev +
         " {scale = 2.0} : !snn.values<4> -> !snn.values<4>\n";
    prev = name;
  }
  if (closeWithDelay)
    s += "  %back = snn.delay " + prev +
         " {steps = 1} : !snn.values<4> -> !snn.values<4>\n";
  else
    s += "  %back = snn.scale " + prev +
         " {scale = 1.0} : !snn.values<4> -> !snn.values<4>\n";
  s += "  snn.output %s : !snn.values<4>\n}\n";
  return s;
}
} // namespace

// Tests that a long cycle broken by one delay verifies, without recursion
// limits getting in the way.
TEST(CycleCheck, LongCycleWithDelayVerifies) {
  EXPECT_EQ(firstError(chain(20000, /*closeWithDelay=*/true)), "");
}

// Tests that the same cycle without the delay is a combinational loop and
// that the message walks the cycle from its first op.
TEST(CycleCheck, LongCombinationalLoopIsNamed) {
  std::string error = firstError(chain(3, /*closeWithDelay=*/false));
  EXPECT_EQ(error, "'snn.sum' op is on a combinational loop: snn.sum -> "
                   "snn.scale -> snn.scale -> snn.scale -> snn.scale -> "
                   "snn.sum (no neuron or delay on the cycle holds state)");
}
