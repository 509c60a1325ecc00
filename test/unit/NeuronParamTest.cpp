//===- NeuronParamTest.cpp - scalar and per-neuron parameters -------------===//

#include "SNN/IR/SNNParams.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/MLIRContext.h"

#include <gtest/gtest.h>

using namespace mlir;

namespace {
DenseFPElementsAttr tensor(MLIRContext &ctx, ArrayRef<int64_t> shape,
                           ArrayRef<float> values) {
  auto type = RankedTensorType::get(shape, Float32Type::get(&ctx));
  return cast<DenseFPElementsAttr>(DenseElementsAttr::get(type, values));
}
} // namespace

// Tests that a scalar parameter applies to every neuron (NIR#176).
TEST(NeuronParam, ScalarBroadcasts) {
  MLIRContext ctx;
  Builder b(&ctx);
  snn::NeuronParam p(b.getF64FloatAttr(0.25));
  EXPECT_TRUE(p.isBroadcast());
  EXPECT_EQ(p[0], 0.25);
  EXPECT_EQ(p[37], 0.25);
  EXPECT_EQ(p.expand(3), (std::vector<double>{0.25, 0.25, 0.25}));
}

// Tests per-neuron parameters stored as float32, read back exactly.
TEST(NeuronParam, PerNeuronValues) {
  MLIRContext ctx;
  snn::NeuronParam p(tensor(ctx, {3}, {1.0f, 0.5f, 0.125f}));
  EXPECT_FALSE(p.isBroadcast());
  EXPECT_EQ(p[1], 0.5);
  EXPECT_EQ(p.expand(3), (std::vector<double>{1.0, 0.5, 0.125}));
}
