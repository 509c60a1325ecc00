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

/// Read access to a scalar-or-tensor parameter with broadcasting: one value
/// for every neuron, or one per neuron (flat index).
template <typename T> class Param {
public:
  /// True when one value applies to every neuron.
  bool isBroadcast() const { return values.size() == 1; }
  /// Value for one neuron (flat index).
  T operator[](int64_t neuron) const {
    return values[isBroadcast() ? 0 : neuron];
  }
  /// Every neuron's value, broadcasting a scalar to `numNeurons`.
  std::vector<T> expand(int64_t numNeurons) const {
    if (isBroadcast())
      return std::vector<T>(numNeurons, values.front());
    return values;
  }
  /// The values as stored: one, or one per neuron.
  const std::vector<T> &stored() const { return values; }

protected:
  std::vector<T> values;
};

/// An f64 or floating-point tensor attribute.
class NeuronParam : public Param<double> {
public:
  explicit NeuronParam(mlir::Attribute attr);
};

/// An i64 or integer tensor attribute.
class IntParam : public Param<int64_t> {
public:
  explicit IntParam(mlir::Attribute attr);
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
