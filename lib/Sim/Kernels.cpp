//===- Kernels.cpp - window geometry of convolutions and pooling ----------===//

#include "Sim/Kernels.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;

namespace snn::sim {

namespace {

template <typename ConvOp> Window convWindow(ConvOp op) {
  ArrayRef<int64_t> in = getSignalShape(op.getInput().getType());
  ArrayRef<int64_t> out = getSignalShape(op.getType());
  ArrayRef<int64_t> w = op.getWeight().getType().getShape();
  ArrayRef<int64_t> stride = op.getStride(), padding = op.getPadding(),
                    dilation = op.getDilation();
  bool oneD = in.size() == 2;
  Window g;
  g.channels = in[0];
  g.height = oneD ? 1 : in[1];
  g.width = in.back();
  g.outChannels = out[0];
  g.outHeight = oneD ? 1 : out[1];
  g.outWidth = out.back();
  g.kh = oneD ? 1 : w[2];
  g.kw = w.back();
  g.sh = oneD ? 1 : stride[0];
  g.sw = stride.back();
  g.ph = oneD ? 0 : padding[0];
  g.pw = padding.back();
  g.dh = oneD ? 1 : dilation[0];
  g.dw = dilation.back();
  g.groups = op.getGroupsAttr().getInt();
  return g;
}

template <typename PoolOp> Window poolWindow(PoolOp op) {
  ArrayRef<int64_t> in = getSignalShape(op.getInput().getType());
  ArrayRef<int64_t> out = getSignalShape(op.getType());
  Window g;
  g.channels = g.outChannels = in[0];
  g.height = in[1];
  g.width = in[2];
  g.outHeight = out[1];
  g.outWidth = out[2];
  g.kh = op.getKernelSize()[0];
  g.kw = op.getKernelSize()[1];
  g.sh = op.getStride()[0];
  g.sw = op.getStride()[1];
  g.ph = op.getPadding()[0];
  g.pw = op.getPadding()[1];
  return g;
}

} // namespace

Window windowOf(Operation *op) {
  return llvm::TypeSwitch<Operation *, Window>(op)
      .Case<Conv1dOp, Conv2dOp, QConv1dOp, QConv2dOp>(
          [](auto o) { return convWindow(o); })
      .Case<SumPool2dOp, AvgPool2dOp>([](auto o) { return poolWindow(o); })
      .Default([](Operation *) { return Window(); });
}

} // namespace snn::sim
