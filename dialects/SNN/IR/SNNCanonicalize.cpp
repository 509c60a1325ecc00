//===- SNNCanonicalize.cpp - snn canonicalization patterns ----------------===//
//
// Rewrites that keep a network's per-step meaning in exact arithmetic
// (docs/dialect.md, "Canonicalization"): scales folded into the weights next
// to them, chains of projections with no neuron between them composed, and
// flattens of flattens merged.
//
//===----------------------------------------------------------------------===//

#include "SNN/IR/SNNOps.h"
#include "SNN/IR/SNNLimits.h"
#include "SNN/IR/SNNParams.h"
#include "Shape/ShapeInference.h"

#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace snn;

namespace {

/// An affine or linear op read into plain numbers.
struct Projection {
  int64_t rows = 0, cols = 0;
  std::vector<double> weight; // row-major [rows, cols]
  std::optional<std::vector<double>> bias;
  FloatType elementType;

  double &at(int64_t r, int64_t c) { return weight[r * cols + c]; }
  double at(int64_t r, int64_t c) const { return weight[r * cols + c]; }
};

std::vector<double> toDoubles(DenseFPElementsAttr attr) {
  std::vector<double> out;
  out.reserve(attr.getNumElements());
  for (const APFloat &v : attr.getValues<APFloat>())
    out.push_back(v.convertToDouble());
  return out;
}

FloatType widerFloat(FloatType a, FloatType b) {
  return a.getWidth() >= b.getWidth() ? a : b;
}

std::optional<Projection> readProjection(Operation *op) {
  Projection p;
  DenseFPElementsAttr weight;
  if (auto affine = dyn_cast_or_null<AffineOp>(op)) {
    weight = affine.getWeight();
    p.bias = toDoubles(affine.getBias());
  } else if (auto linear = dyn_cast_or_null<LinearOp>(op)) {
    weight = linear.getWeight();
  } else {
    return std::nullopt;
  }
  p.rows = weight.getType().getDimSize(0);
  p.cols = weight.getType().getDimSize(1);
  // Folding needs the weight dense; leave huge (splat) weights alone.
  std::optional<int64_t> size = limits::checkedMul(p.rows, p.cols);
  if (!size || *size > limits::kMaxDenseElements)
    return std::nullopt;
  p.weight = toDoubles(weight);
  p.elementType = cast<FloatType>(weight.getType().getElementType());
  return p;
}

DenseFPElementsAttr makeTensor(ArrayRef<int64_t> shape, FloatType type,
                               ArrayRef<double> values) {
  SmallVector<APFloat> elements;
  elements.reserve(values.size());
  for (double v : values) {
    APFloat f(v);
    bool lost;
    f.convert(type.getFloatSemantics(), APFloat::rmNearestTiesToEven, &lost);
    elements.push_back(f);
  }
  return cast<DenseFPElementsAttr>(
      DenseElementsAttr::get(RankedTensorType::get(shape, type), elements));
}

/// Replaces `op` by an affine (with bias) or linear (without) op on `input`.
void replaceWithProjection(PatternRewriter &rewriter, Operation *op,
                           Value input, const Projection &p, StringAttr name) {
  auto weight = makeTensor({p.rows, p.cols}, p.elementType, p.weight);
  Type resultType = op->getResult(0).getType();
  if (p.bias) {
    auto bias = makeTensor({p.rows}, p.elementType, *p.bias);
    rewriter.replaceOpWithNewOp<AffineOp>(op, resultType, input, weight, bias,
                                          name);
  } else {
    rewriter.replaceOpWithNewOp<LinearOp>(op, resultType, input, weight, name);
  }
}

StringAttr nameOf(Operation *op) {
  return op->getAttrOfType<StringAttr>("name");
}

/// outer(inner(x)) for two projections with nothing between them:
/// W = W2 W1, b = W2 b1 + b2. Only when the product is no larger than the two
/// factors, so a low-rank bottleneck is never expanded into a dense matrix.
template <typename ProjectionOp>
struct ComposeProjections : OpRewritePattern<ProjectionOp> {
  using OpRewritePattern<ProjectionOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(ProjectionOp projection,
                                PatternRewriter &rewriter) const override {
    Operation *op = projection.getOperation();
    std::optional<Projection> outer = readProjection(op);
    if (!outer)
      return failure();
    Operation *innerOp = op->getOperand(0).getDefiningOp();
    std::optional<Projection> inner = readProjection(innerOp);
    if (!inner || innerOp == op || !innerOp->hasOneUse())
      return rewriter.notifyMatchFailure(op, "input is not a single-use projection");
    if (outer->rows * inner->cols >
        outer->rows * outer->cols + inner->rows * inner->cols)
      return rewriter.notifyMatchFailure(op, "composition would grow the weights");

    Projection c;
    c.rows = outer->rows;
    c.cols = inner->cols;
    c.elementType = widerFloat(outer->elementType, inner->elementType);
    c.weight.assign(c.rows * c.cols, 0.0);
    for (int64_t r = 0; r < c.rows; ++r)
      for (int64_t k = 0; k < outer->cols; ++k) {
        double w = outer->at(r, k);
        if (w == 0.0)
          continue;
        for (int64_t col = 0; col < c.cols; ++col)
          c.at(r, col) += w * inner->at(k, col);
      }
    if (inner->bias || outer->bias) {
      std::vector<double> bias(c.rows, 0.0);
      for (int64_t r = 0; r < c.rows; ++r) {
        if (outer->bias)
          bias[r] = (*outer->bias)[r];
        if (inner->bias)
          for (int64_t k = 0; k < outer->cols; ++k)
            bias[r] += outer->at(r, k) * (*inner->bias)[k];
      }
      c.bias = std::move(bias);
    }
    replaceWithProjection(rewriter, op, innerOp->getOperand(0), c, nameOf(op));
    return success();
  }
};

/// A scale whose factors can be applied along the last dimension: either one
/// factor for everything, or one per element of a 1-d signal.
std::optional<std::vector<double>> lastDimFactors(ScaleOp scale) {
  ArrayRef<int64_t> shape = getSignalShape(scale.getType());
  NeuronParam factors(scale.getScale());
  if (!factors.isBroadcast() && shape.size() != 1)
    return std::nullopt;
  return factors.expand(shape.back());
}

/// W (s * x) + b  ->  (W diag(s)) x + b
template <typename ProjectionOp>
struct FoldScaleIntoProjection : OpRewritePattern<ProjectionOp> {
  using OpRewritePattern<ProjectionOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(ProjectionOp projection,
                                PatternRewriter &rewriter) const override {
    Operation *op = projection.getOperation();
    std::optional<Projection> p = readProjection(op);
    if (!p)
      return failure();
    auto scale = op->getOperand(0).getDefiningOp<ScaleOp>();
    if (!scale || !scale->hasOneUse())
      return failure();
    std::optional<std::vector<double>> s = lastDimFactors(scale);
    if (!s)
      return failure();
    for (int64_t r = 0; r < p->rows; ++r)
      for (int64_t c = 0; c < p->cols; ++c)
        p->at(r, c) *= (*s)[c];
    replaceWithProjection(rewriter, op, scale.getInput(), *p, nameOf(op));
    return success();
  }
};

/// s * (W x + b)  ->  (diag(s) W) x + s * b
struct FoldProjectionIntoScale : OpRewritePattern<ScaleOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ScaleOp scale,
                                PatternRewriter &rewriter) const override {
    Operation *producer = scale.getInput().getDefiningOp();
    std::optional<Projection> p = readProjection(producer);
    if (!p || !producer->hasOneUse())
      return failure();
    std::optional<std::vector<double>> s = lastDimFactors(scale);
    if (!s)
      return failure();
    for (int64_t r = 0; r < p->rows; ++r) {
      for (int64_t c = 0; c < p->cols; ++c)
        p->at(r, c) *= (*s)[r];
      if (p->bias)
        (*p->bias)[r] *= (*s)[r];
    }
    replaceWithProjection(rewriter, scale, producer->getOperand(0), *p,
                          nameOf(producer));
    return success();
  }
};

/// s2 * (s1 * x)  ->  (s1 s2) * x
struct ComposeScales : OpRewritePattern<ScaleOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ScaleOp outer,
                                PatternRewriter &rewriter) const override {
    auto inner = outer.getInput().getDefiningOp<ScaleOp>();
    if (!inner || inner == outer || !inner->hasOneUse())
      return failure();
    NeuronParam a(inner.getScale()), b(outer.getScale());
    Attribute factors;
    if (a.isBroadcast() && b.isBroadcast()) {
      factors = rewriter.getF64FloatAttr(a[0] * b[0]);
    } else {
      ArrayRef<int64_t> shape = getSignalShape(outer.getType());
      int64_t n = shape::numElements(shape::Shape(shape.begin(), shape.end()));
      std::vector<double> product(n);
      for (int64_t i = 0; i < n; ++i)
        product[i] = a[i] * b[i];
      factors = makeTensor(shape, rewriter.getF64Type(), product);
    }
    rewriter.replaceOpWithNewOp<ScaleOp>(outer, outer.getType(),
                                         inner.getInput(), factors,
                                         outer.getNameAttr());
    return success();
  }
};

/// flatten(flatten(x)) -> flatten(x): merging two ranges of contiguous
/// dimensions merges one contiguous range of x's dimensions.
struct MergeFlattens : OpRewritePattern<FlattenOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(FlattenOp outer,
                                PatternRewriter &rewriter) const override {
    auto inner = outer.getInput().getDefiningOp<FlattenOp>();
    if (!inner || inner == outer)
      return failure();
    ArrayRef<int64_t> in = getSignalShape(inner.getInput().getType());
    ArrayRef<int64_t> out = getSignalShape(outer.getType());
    auto range = shape::flattenRange(shape::Shape(in.begin(), in.end()),
                                     shape::Shape(out.begin(), out.end()));
    if (!range)
      return failure();
    rewriter.replaceOpWithNewOp<FlattenOp>(
        outer, outer.getType(), inner.getInput(),
        rewriter.getI64IntegerAttr(range->first),
        rewriter.getI64IntegerAttr(range->second), outer.getNameAttr());
    return success();
  }
};

} // namespace

void AffineOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                           MLIRContext *context) {
  results.add<ComposeProjections<AffineOp>, FoldScaleIntoProjection<AffineOp>>(
      context);
}

void LinearOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                           MLIRContext *context) {
  results.add<ComposeProjections<LinearOp>, FoldScaleIntoProjection<LinearOp>>(
      context);
}

void ScaleOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                          MLIRContext *context) {
  results.add<FoldProjectionIntoScale, ComposeScales>(context);
}

void FlattenOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                            MLIRContext *context) {
  results.add<MergeFlattens>(context);
}
