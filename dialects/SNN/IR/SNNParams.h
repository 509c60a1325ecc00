//===- SNNParams.h - per-neuron parameters ---------------------*- C++ -*-===//
//
// Neuron parameters are one f64 broadcast to every neuron or a tensor with one
// value per neuron (NIR writes both). These helpers read and check either.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_IR_SNNPARAMS_H
#define SNN_IR_SNNPARAMS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Operation.h"

#include <vector>

namespace snn {

/// Read access to a scalar-or-tensor parameter with broadcasting.
class NeuronParam {
public:
  explicit NeuronParam(mlir::Attribute attr);
  /// True when one value applies to every neuron.
  bool isBroadcast() const { return values.size() == 1; }
  /// Value for one neuron (flat index).
  double operator[](int64_t neuron) const {
    return values[isBroadcast() ? 0 : neuron];
  }
  /// Every neuron's value, broadcasting a scalar to `numNeurons`.
  std::vector<double> expand(int64_t numNeurons) const;
  /// The values as stored: one, or one per neuron.
  const std::vector<double> &stored() const { return values; }

private:
  std::vector<double> values;
};

/// Read access to a scalar-or-tensor integer parameter with broadcasting.
class IntParam {
public:
  explicit IntParam(mlir::Attribute attr);
  bool isBroadcast() const { return values.size() == 1; }
  int64_t operator[](int64_t neuron) const {
    return values[isBroadcast() ? 0 : neuron];
  }
  std::vector<int64_t> expand(int64_t numNeurons) const;
  const std::vector<int64_t> &stored() const { return values; }

private:
  std::vector<int64_t> values;
};

/// Every element of an integer tensor of any width, sign-extended.
std::vector<int64_t> intValues(mlir::DenseIntElementsAttr attr);
/// A 1-d tensor of `values` as `bits`-bit integers (32 or 64).
mlir::DenseIntElementsAttr intTensorAttr(mlir::Builder &b,
                                         const std::vector<int64_t> &values,
                                         unsigned bits);

/// A parameter attribute: one f64 when every neuron's value agrees, else a
/// tensor of `shape` with one value per neuron.
mlir::Attribute paramAttr(mlir::Builder &b, const std::vector<double> &values,
                          llvm::ArrayRef<int64_t> shape);
/// The same for integers (i64).
mlir::Attribute intParamAttr(mlir::Builder &b,
                             const std::vector<int64_t> &values,
                             llvm::ArrayRef<int64_t> shape);

/// The shortest text that reads back as `value` (1e-4, not 1.000000e-04).
std::string formatNumber(double value);

/// What a parameter's values must satisfy besides being finite.
enum class ParamRange { Any, Positive, NonNegative };

/// Checks that `attr` is a scalar, a one-element tensor, or a tensor with one
/// value per neuron of `neuronShape`, and that every value is finite and in
/// range. Emits an op error naming the parameter and the neuron.
mlir::LogicalResult verifyNeuronParam(mlir::Operation *op, llvm::StringRef name,
                                      mlir::Attribute attr,
                                      llvm::ArrayRef<int64_t> neuronShape,
                                      ParamRange range = ParamRange::Any);

/// Like verifyNeuronParam for integer parameters: every value must lie in
/// [min, max], which the message names as `what` (e.g. "16-bit state").
mlir::LogicalResult verifyIntParam(mlir::Operation *op, llvm::StringRef name,
                                   mlir::Attribute attr,
                                   llvm::ArrayRef<int64_t> neuronShape,
                                   int64_t min, int64_t max,
                                   llvm::StringRef what);

/// Range of a signed integer of `bits` bits.
inline int64_t signedMin(int64_t bits) { return -(int64_t(1) << (bits - 1)); }
inline int64_t signedMax(int64_t bits) { return (int64_t(1) << (bits - 1)) - 1; }

} // namespace snn

#endif // SNN_IR_SNNPARAMS_H
