//===- ShapeInferenceTest.cpp - output shapes of snn projections ----------===//

#include "Shape/ShapeInference.h"

#include <gtest/gtest.h>

using namespace snn::shape;

// Tests that an affine layer replaces the last dimension by the row count.
TEST(ShapeInference, AffineReplacesLastDimension) {
  EXPECT_EQ(affine({784}, 256, 784).shape, (Shape{256}));
  EXPECT_EQ(affine({5, 12}, 38, 12).shape, (Shape{5, 38}));
}

// Tests the verifier text for a weight that does not fit its input.
TEST(ShapeInference, AffineMismatchNamesBothSizes) {
  Inferred r = affine({784}, 10, 12);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error, "weight has 12 columns but the input has 784 neurons");
  EXPECT_EQ(affine({3, 4}, 2, 5).error,
            "weight has 5 columns but the input's last dimension has 4 neurons");
}

// Tests the N-MNIST CNN's first layer: 2x34x34, 16 5x5 kernels, stride 2,
// padding 1 -> 16x16x16.
TEST(ShapeInference, ConvOutputMatchesPyTorchFormula) {
  Inferred r = conv({2, 34, 34}, {16, 2, 5, 5}, {2, 2}, {1, 1}, {1, 1}, 1);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.shape, (Shape{16, 16, 16}));
  // Dilation widens the window: 10 - 2*(3-1) - 1 + 1 = 6.
  EXPECT_EQ(conv({1, 10}, {4, 1, 3}, {1}, {0}, {2}, 1).shape, (Shape{4, 6}));
}

// Tests grouped convolutions and their channel checks.
TEST(ShapeInference, ConvGroups) {
  EXPECT_EQ(conv({4, 8, 8}, {8, 2, 3, 3}, {1, 1}, {1, 1}, {1, 1}, 2).shape,
            (Shape{8, 8, 8}));
  EXPECT_EQ(conv({3, 8, 8}, {8, 2, 3, 3}, {1, 1}, {1, 1}, {1, 1}, 2).error,
            "input has 3 channels but the weight expects 2 per group x 2 "
            "groups = 4");
  EXPECT_EQ(conv({4, 8, 8}, {9, 2, 3, 3}, {1, 1}, {1, 1}, {1, 1}, 2).error,
            "out_channels 9 is not a multiple of groups 2");
  EXPECT_EQ(conv({4, 8, 8}, {8, 4, 3, 3}, {1, 1}, {1, 1}, {1, 1}, 0).error,
            "groups must be positive, got 0");
}

// Tests the errors for malformed window geometry.
TEST(ShapeInference, ConvRejectsBadGeometry) {
  EXPECT_EQ(conv({2, 4, 4}, {1, 2, 5, 5}, {1, 1}, {0, 0}, {1, 1}, 1).error,
            "spatial dimension 0 of size 4 is smaller than the window (5 with "
            "dilation 1 and padding 0)");
  EXPECT_EQ(conv({2, 8, 8}, {1, 2, 3, 3}, {1}, {0, 0}, {1, 1}, 1).error,
            "stride has 1 entries but there are 2 spatial dimensions");
  EXPECT_EQ(conv({2, 8, 8}, {1, 2, 3, 3}, {0, 1}, {0, 0}, {1, 1}, 1).error,
            "stride must be positive, got 0");
  EXPECT_EQ(conv({2, 8}, {1, 2, 3, 3}, {1, 1}, {0, 0}, {1, 1}, 1).error,
            "input of shape 2x8 has rank 2 but a 2-d convolution needs "
            "[channels, height, width]");
  EXPECT_FALSE(conv({2, 8, 8}, {1, 2}, {}, {}, {}, 1).ok());
}

// Tests 2-d pooling, including the N-MNIST CNN's 2x2 sum pools.
TEST(ShapeInference, Pool2d) {
  EXPECT_EQ(pool2d({16, 14, 14}, {2, 2}, {2, 2}, {0, 0}).shape,
            (Shape{16, 7, 7}));
  EXPECT_EQ(pool2d({8, 5, 5}, {2, 2}, {2, 2}, {0, 0}).shape, (Shape{8, 2, 2}));
  EXPECT_FALSE(pool2d({8, 5}, {2, 2}, {2, 2}, {0, 0}).ok());
}

// Tests flatten over all, some, and negative dimensions.
TEST(ShapeInference, Flatten) {
  EXPECT_EQ(flatten({8, 4, 4}, 0, -1).shape, (Shape{128}));
  EXPECT_EQ(flatten({8, 4, 4}, 1, 2).shape, (Shape{8, 16}));
  EXPECT_EQ(flatten({8, 4, 4}, -2, -1).shape, (Shape{8, 16}));
  EXPECT_EQ(flatten({8, 4, 4}, 1, 1).shape, (Shape{8, 4, 4}));
  EXPECT_EQ(flatten({8, 4, 4}, 3, 3).error,
            "start_dim 3 is out of range for a rank-3 input");
  EXPECT_EQ(flatten({8, 4, 4}, 2, 1).error, "end_dim 1 comes before start_dim 2");
}

// Tests element counting, including overflow.
TEST(ShapeInference, NumElements) {
  EXPECT_EQ(numElements({}), 1);
  EXPECT_EQ(numElements({2, 34, 34}), 2312);
  EXPECT_EQ(numElements({1LL << 40, 1LL << 40}), -1);
  EXPECT_EQ(toString({2, 34, 34}), "2x34x34");
}

// Tests that a convolution weight with an empty dimension is refused.
TEST(ShapeInference, ConvRejectsEmptyWeight) {
  EXPECT_EQ(conv({2, 8, 8}, {0, 2, 3, 3}, {1, 1}, {0, 0}, {1, 1}, 1).error,
            "weight of shape 0x2x3x3 has an empty dimension");
}

// Tests finding the one flatten that turns a shape into another.
TEST(ShapeInference, FlattenRange) {
  EXPECT_EQ(flattenRange({2, 3, 4, 5}, {24, 5}),
            (std::optional<std::pair<int64_t, int64_t>>{{0, 2}}));
  EXPECT_EQ(flattenRange({8, 4, 4}, {128}),
            (std::optional<std::pair<int64_t, int64_t>>{{0, 2}}));
  EXPECT_EQ(flattenRange({8, 4, 4}, {4, 32}), std::nullopt);
}
