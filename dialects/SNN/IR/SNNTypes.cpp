//===- SNNTypes.cpp - spikes and values types -----------------------------===//

#include "SNN/IR/SNNDialect.h"
#include "SNN/IR/SNNLimits.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace snn;

#define GET_TYPEDEF_CLASSES
#include "SNN/IR/SNNTypes.cpp.inc"

void SNNDialect::registerTypes() {
  addTypes<
#define GET_TYPEDEF_LIST
#include "SNN/IR/SNNTypes.cpp.inc"
      >();
}

namespace {
LogicalResult verifyShape(function_ref<InFlightDiagnostic()> emitError,
                          ArrayRef<int64_t> shape) {
  if (shape.empty())
    return emitError() << "a signal needs at least one dimension";
  for (int64_t d : shape)
    if (d <= 0)
      return emitError() << "signal dimensions must be positive, got " << d;
  std::optional<int64_t> n = limits::checkedProduct(shape);
  if (!n || *n > limits::kMaxSignalNeurons) {
    InFlightDiagnostic diag = emitError() << "a signal of ";
    if (n)
      diag << *n;
    else
      diag << "more than 2^63";
    return diag << " neurons exceeds the limit of "
                << limits::kMaxSignalNeurons << " neurons per signal";
  }
  return success();
}

Type parseShape(AsmParser &parser,
                function_ref<Type(ArrayRef<int64_t>)> build) {
  SmallVector<int64_t> shape;
  if (parser.parseLess() ||
      parser.parseDimensionList(shape, /*allowDynamic=*/false,
                                /*withTrailingX=*/false) ||
      parser.parseGreater())
    return {};
  return build(shape);
}

void printShape(AsmPrinter &printer, ArrayRef<int64_t> shape) {
  printer << '<';
  llvm::interleave(shape, printer.getStream(), "x");
  printer << '>';
}

int64_t product(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}
} // namespace

Type SpikesType::parse(AsmParser &parser) {
  return parseShape(parser, [&](ArrayRef<int64_t> shape) {
    return SpikesType::getChecked(
        [&] { return parser.emitError(parser.getNameLoc()); },
        parser.getContext(), shape);
  });
}
void SpikesType::print(AsmPrinter &printer) const {
  printShape(printer, getShape());
}
LogicalResult SpikesType::verify(function_ref<InFlightDiagnostic()> emitError,
                                 ArrayRef<int64_t> shape) {
  return verifyShape(emitError, shape);
}
int64_t SpikesType::getNumNeurons() const { return product(getShape()); }

Type ValuesType::parse(AsmParser &parser) {
  return parseShape(parser, [&](ArrayRef<int64_t> shape) {
    return ValuesType::getChecked(
        [&] { return parser.emitError(parser.getNameLoc()); },
        parser.getContext(), shape);
  });
}
void ValuesType::print(AsmPrinter &printer) const {
  printShape(printer, getShape());
}
LogicalResult ValuesType::verify(function_ref<InFlightDiagnostic()> emitError,
                                 ArrayRef<int64_t> shape) {
  return verifyShape(emitError, shape);
}
int64_t ValuesType::getNumNeurons() const { return product(getShape()); }

ArrayRef<int64_t> snn::getSignalShape(Type signal) {
  return llvm::TypeSwitch<Type, ArrayRef<int64_t>>(signal)
      .Case<SpikesType, ValuesType>([](auto t) { return t.getShape(); })
      .Default([](Type) { return ArrayRef<int64_t>(); });
}

int64_t snn::getSignalSize(Type signal) {
  return llvm::TypeSwitch<Type, int64_t>(signal)
      .Case<SpikesType, ValuesType>([](auto t) { return t.getNumNeurons(); })
      .Default([](Type) { return int64_t(0); });
}
