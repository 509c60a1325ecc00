//===- ConvertToEmitC.cpp - loops to EmitC, signatures included -----------===//
//
// MLIR 19's conversions to EmitC leave function signatures alone (func-to-
// emitc keeps memref arguments) and do not agree on `index`. One conversion
// combines their patterns with a type converter that maps memref to C arrays
// and index to size_t, and converts functions itself.
//
//===----------------------------------------------------------------------===//

#include "Codegen/LowerToLoops.h"

#include "mlir/Conversion/ArithToEmitC/ArithToEmitC.h"
#include "mlir/Conversion/MemRefToEmitC/MemRefToEmitC.h"
#include "mlir/Conversion/SCFToEmitC/SCFToEmitC.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/EmitC/IR/EmitC.h"
#include "mlir/Dialect/EmitC/Transforms/TypeConversions.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;

namespace snn::codegen {

namespace {

struct FuncToEmitC : OpConversionPattern<func::FuncOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(func::FuncOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FunctionType type = op.getFunctionType();
    TypeConverter::SignatureConversion signature(type.getNumInputs());
    for (auto [i, t] : llvm::enumerate(type.getInputs())) {
      Type converted = getTypeConverter()->convertType(t);
      if (!converted)
        return rewriter.notifyMatchFailure(op, "argument type has no C form");
      signature.addInputs(i, converted);
    }
    SmallVector<Type> results;
    if (failed(getTypeConverter()->convertTypes(type.getResults(), results)))
      return rewriter.notifyMatchFailure(op, "result type has no C form");
    auto func = rewriter.create<emitc::FuncOp>(
        op.getLoc(), op.getName(),
        rewriter.getFunctionType(signature.getConvertedTypes(), results));
    rewriter.inlineRegionBefore(op.getBody(), func.getBody(), func.end());
    if (failed(rewriter.convertRegionTypes(&func.getBody(), *getTypeConverter(),
                                           &signature)))
      return failure();
    rewriter.eraseOp(op);
    return success();
  }
};

struct ReturnToEmitC : OpConversionPattern<func::ReturnOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(func::ReturnOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<emitc::ReturnOp>(
        op, adaptor.getOperands().empty() ? Value() : adaptor.getOperands()[0]);
    return success();
  }
};

/// A network whose input no longer reaches anything (Lava's weight
/// preparation can zero a first layer) leaves the step function's parameter
/// unused: cast it to void, so that the C compiles under -Werror
/// -Wunused-parameter.
void markUnusedArguments(ModuleOp module) {
  module.walk([](emitc::FuncOp func) {
    if (func.getBody().empty())
      return;
    OpBuilder b = OpBuilder::atBlockBegin(&func.getBody().front());
    for (BlockArgument arg : func.getArguments())
      if (arg.use_empty())
        b.create<emitc::CallOpaqueOp>(func.getLoc(), TypeRange{}, "(void)",
                                      ValueRange{arg});
  });
}

/// SCF-to-EmitC (MLIR 19) builds emitc.for over `index` with casts around
/// it, whatever the type converter says. Give loops size_t induction
/// variables and drop the casts that become identities.
void loopsOverSizeT(ModuleOp module) {
  Type sizeT = emitc::SizeTType::get(module.getContext());
  module.walk([&](emitc::ForOp loop) {
    Value iv = loop.getInductionVar();
    if (isa<IndexType>(iv.getType()))
      iv.setType(sizeT);
    for (OpOperand &operand : loop->getOpOperands())
      if (auto cast = operand.get().getDefiningOp<UnrealizedConversionCastOp>())
        if (cast.getNumOperands() == 1 && cast.getOperand(0).getType() == sizeT)
          operand.set(cast.getOperand(0));
  });
  SmallVector<UnrealizedConversionCastOp> casts;
  module.walk([&](UnrealizedConversionCastOp c) { casts.push_back(c); });
  for (UnrealizedConversionCastOp cast : casts) {
    if (cast.getNumOperands() != 1)
      continue;
    Value from = cast.getOperand(0);
    // The buffers handed to runtime calls (LowerToLoops' asArray): a C
    // array cast to a memref and back is the array.
    if (auto inner = from.getDefiningOp<UnrealizedConversionCastOp>())
      if (inner.getNumOperands() == 1 &&
          inner.getOperand(0).getType() == cast.getResult(0).getType())
        from = inner.getOperand(0);
    if (from.getType() == cast.getResult(0).getType())
      cast.getResult(0).replaceAllUsesWith(from);
  }
  // Users before their operands' casts, so that chains go in one pass.
  for (UnrealizedConversionCastOp cast : llvm::reverse(casts))
    if (cast->use_empty())
      cast.erase();
}

} // namespace

LogicalResult convertToEmitC(ModuleOp module) {
  MLIRContext *context = module.getContext();
  TypeConverter types;
  types.addConversion([](Type t) { return t; });
  populateMemRefToEmitCTypeConversion(types);
  populateEmitCSizeTTypeConversions(types);

  RewritePatternSet patterns(context);
  populateArithToEmitCPatterns(types, patterns);
  populateSCFToEmitCConversionPatterns(patterns);
  populateMemRefToEmitCConversionPatterns(patterns, types);
  patterns.add<FuncToEmitC, ReturnToEmitC>(types, context);

  ConversionTarget target(*context);
  target.addLegalDialect<emitc::EmitCDialect>();
  target.addIllegalDialect<arith::ArithDialect, func::FuncDialect,
                           memref::MemRefDialect, scf::SCFDialect>();
  target.addLegalOp<ModuleOp>();
  if (failed(applyPartialConversion(module, target, std::move(patterns))))
    return failure();
  loopsOverSizeT(module);
  markUnusedArguments(module);
  return success();
}

} // namespace snn::codegen
