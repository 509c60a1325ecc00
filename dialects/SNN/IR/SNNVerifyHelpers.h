//===- SNNVerifyHelpers.h - checks shared by op verifiers -------*- C++ -*-===//
//
// Shape, parameter and reset checks that the float ops (SNNOps.cpp) and the
// per-step and integer ops (SNNIntegerOps.cpp) both apply.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_IR_SNNVERIFYHELPERS_H
#define SNN_IR_SNNVERIFYHELPERS_H

#include "SNN/IR/SNNOps.h"
#include "SNN/IR/SNNParams.h"
#include "Shape/ShapeInference.h"

namespace snn::verify {

shape::Shape toShape(llvm::ArrayRef<int64_t> dims);
shape::Shape signalShape(mlir::Value v);

/// Compares the declared result shape with the inferred one.
mlir::LogicalResult checkInferred(mlir::Operation *op,
                                  const shape::Inferred &inferred);
/// Ops that only move or reshape a signal keep spikes as spikes.
mlir::LogicalResult checkKindPreserved(mlir::Operation *op);
mlir::LogicalResult checkWeightRank(mlir::Operation *op,
                                    mlir::ShapedType weight, int64_t rank,
                                    llvm::StringRef layout);
mlir::LogicalResult checkBias(mlir::Operation *op, mlir::ShapedType bias,
                              int64_t rows, llvm::StringRef rowsName);
/// Every element of a float weight or bias is finite; the message names the
/// attribute and the element's index. A splat is checked once.
mlir::LogicalResult checkFinite(mlir::Operation *op, llvm::StringRef name,
                                mlir::DenseFPElementsAttr values);
/// The element count of a weight or bias fits 64-bit arithmetic.
mlir::LogicalResult checkTensorSize(mlir::Operation *op, llvm::StringRef name,
                                    mlir::ShapedType type);
/// A [out, in] weight applied over the input's last dimension.
mlir::LogicalResult verifyProjection(mlir::Operation *op, mlir::Value input,
                                     mlir::ShapedType weight);
/// Weight layout, bias and result shape of a convolution.
mlir::LogicalResult verifyConvGeometry(mlir::Operation *op, mlir::Value input,
                                       mlir::ShapedType weight,
                                       mlir::ShapedType bias,
                                       llvm::ArrayRef<int64_t> stride,
                                       llvm::ArrayRef<int64_t> padding,
                                       llvm::ArrayRef<int64_t> dilation,
                                       int64_t groups, int64_t spatialRank);
/// Neurons act elementwise: input, output and parameters share one shape.
mlir::LogicalResult verifyNeuronShape(mlir::Operation *op);
/// Checks each named parameter against the neuron shape.
mlir::LogicalResult
verifyParams(mlir::Operation *op,
             std::initializer_list<
                 std::tuple<llvm::StringRef, mlir::Attribute, ParamRange>>
                 params);
/// A reset to a value needs the value; a subtractive reset must not carry
/// one, so that no parameter in the IR is silently ignored.
mlir::LogicalResult verifyReset(mlir::Operation *op, ResetMode mode,
                                mlir::Attribute vReset);

} // namespace snn::verify

#endif // SNN_IR_SNNVERIFYHELPERS_H
