//===- NetworkText.h - small networks written inline in tests ---*- C++ -*-===//

#ifndef SNNC_TEST_NETWORKTEXT_H
#define SNNC_TEST_NETWORKTEXT_H

#include "SNN/IR/SNNOps.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

namespace snn::test {

/// Parses `snn.network @n<signature> attributes {dt = 1.0e-3} { body }`;
/// a parse error fails the test that asked.
inline mlir::OwningOpRef<mlir::ModuleOp>
parseNetwork(mlir::MLIRContext &context, const std::string &body,
             const std::string &signature) {
  context.loadDialect<SNNDialect>();
  std::string text = "snn.network @n" + signature +
                     " attributes {dt = 1.0e-3} {\n" + body + "\n}\n";
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceString<mlir::ModuleOp>(text, &context);
  EXPECT_TRUE(module) << text;
  return module;
}

} // namespace snn::test

#endif // SNNC_TEST_NETWORKTEXT_H
