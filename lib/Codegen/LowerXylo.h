//===- LowerXylo.h - snn.xylo as loops calling snn_xylo.h -------*- C++ -*-===//
//
// The C backend's form of an snn.xylo op (docs/semantics.md, "Xylo cores"):
// constant arrays of each source's synapses in Rockpool's order (synapse-0
// targets ascending, then synapse-1), their weights already shifted and
// narrowed; int16 state arrays; and loops that call the scalar rules of
// runtime/embedded/snn_xylo.h, so that generated C computes xylosim's step
// with the same header lib/Xylo's stepper runs.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_CODEGEN_LOWERXYLO_H
#define SNN_CODEGEN_LOWERXYLO_H

#include "SNN/IR/SNNOps.h"

#include "mlir/IR/Builders.h"

#include <functional>
#include <memory>
#include <string>

namespace snn::codegen {

/// What LowerToLoops lends the Xylo lowering: its globals and its fetches.
struct XyloLoopContext {
  mlir::OpBuilder &b;
  mlir::Location loc;
  /// A zero-initialized state global `<prefix>_<name>` (reset zeroes it).
  std::function<std::string(const std::string &, mlir::Type, int64_t)> state;
  /// A constant global `<prefix>_<name>` holding `values`.
  std::function<std::string(const std::string &, mlir::Type,
                            llvm::ArrayRef<int64_t>)>
      constant;
  /// The memref of a global inside the function being built.
  std::function<mlir::Value(const std::string &, mlir::Type, int64_t)> fetch;
};

/// One snn.xylo op in the C backend. Constructing it creates its globals
/// (before the step function is built); step() emits one step at the
/// builder's insertion point: `in` holds the input counts (any integer
/// type), `out` receives the output spikes.
class XyloLoops {
public:
  XyloLoops(XyloOp op, const std::string &name, XyloLoopContext ctx);
  ~XyloLoops();
  void step(mlir::Value in, mlir::Value out);
  /// The state globals of the output neurons' membrane and synapse.
  std::string outputMembrane() const;
  std::string outputCurrent() const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl;
};

} // namespace snn::codegen

#endif // SNN_CODEGEN_LOWERXYLO_H
