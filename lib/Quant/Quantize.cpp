//===- Quantize.cpp - a float network to its integer form -----------------===//

#include "Quant/Quantize.h"
#include "Quant/QuantizeLoihi2.h"
#include "Quant/QuantizeXylo.h"
#include "SNN/IR/SNNDiscrete.h"
#include "SNN/IR/SNNIntegerUnits.h"
#include "SNN/IR/SNNLimits.h"
#include "SNN/IR/SNNSparse.h"
#include "SNN/IR/SNNParams.h"
#include "Shape/ShapeInference.h"
#include "Sim/Schedule.h"
#include "Support/Npy.h"
#include "Target/Target.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>

using namespace mlir;

namespace snn::quant {

std::vector<double> floatValues(mlir::DenseFPElementsAttr attr) {
  std::vector<double> out;
  for (const APFloat &v : attr.getValues<APFloat>())
    out.push_back(v.convertToDouble());
  return out;
}

namespace {


double roundNearest(double x) { return std::nearbyint(x); }

/// A projection seen as rows (output features or channels), each with its
/// weights already in units of the input integers.
struct Projection {
  Operation *op = nullptr;
  int64_t rows = 0, perRow = 0;
  std::vector<double> weights; // [rows][perRow], input unit folded in
  std::vector<double> bias;    // [rows], zero when the op has none
  bool hasBias = false;
  double inputMax = 1;   // largest |input integer|
  int64_t rowStride = 1; // output elements per row and block (conv pixels)
  int64_t blocks = 1;    // repetitions of the rows over the output
  // snn.sparse: `weights` holds only the stored entries, row k's at
  // [offsets[k], offsets[k+1]) with their inputs in `indices`. Absent
  // entries are zero weights, which change no unit, bound or error below.
  bool sparse = false;
  std::vector<int64_t> offsets, indices;

  int64_t rowBegin(int64_t k) const { return sparse ? offsets[k] : k * perRow; }
  int64_t rowEnd(int64_t k) const {
    return sparse ? offsets[k + 1] : (k + 1) * perRow;
  }
  /// The weights of row k, the absent ones of a sparse row left out.
  ArrayRef<double> row(int64_t k) const {
    return ArrayRef<double>(weights).slice(rowBegin(k),
                                           rowEnd(k) - rowBegin(k));
  }
};

/// The unit that quantizes `values` to `qmax` with the least squared error
/// (clipping the largest weights when that pays), or max-abs.
double weightUnit(const std::vector<double> &values, int64_t qmax,
                  ScaleMethod method) {
  double maxAbs = 0;
  for (double w : values)
    maxAbs = std::max(maxAbs, std::abs(w));
  if (maxAbs == 0)
    return 0;
  if (method == ScaleMethod::MaxAbs)
    return maxAbs / double(qmax);
  // Zero weights quantize to zero at every unit and add nothing to the
  // error: a sparse matrix is searched over its non-zero weights only.
  std::vector<double> nonzero;
  for (double w : values)
    if (w != 0)
      nonzero.push_back(w);
  double best = maxAbs / double(qmax), bestError = INFINITY;
  for (int t = 0; t <= 50; ++t) {
    double unit = maxAbs * (1.0 - 0.01 * t) / double(qmax);
    double error = 0;
    for (double w : nonzero) {
      double q =
          std::clamp(roundNearest(w / unit), -double(qmax), double(qmax));
      error += (w - q * unit) * (w - q * unit);
    }
    if (error < bestError) {
      bestError = error;
      best = unit;
    }
  }
  return best;
}

class Quantizer {
public:
  Quantizer(NetworkOp network, const QuantizeOptions &options,
            const Calibration *calibration, QuantReport &report)
      : network(network), options(options), calibration(calibration),
        report(report), builder(network.getContext()) {
    dt = network.getDt().convertToDouble();
  }

  LogicalResult run();

private:
  NetworkOp network;
  const QuantizeOptions &options;
  const Calibration *calibration;
  QuantReport &report;
  OpBuilder builder;
  double dt = 1;

  int64_t weightMax() const { return signedMax(options.weightBits); }
  int64_t currentBits() const {
    return options.currentBits ? options.currentBits : options.stateBits;
  }
  const NodeRange *range(Operation *op) const {
    if (!calibration)
      return nullptr;
    auto it = calibration->nodes.find(nodeKey(op));
    return it == calibration->nodes.end() ? nullptr : &it->second;
  }

  LogicalResult quantizeInputs();
  FailureOr<Projection> readProjection(Operation *op);
  FailureOr<SmallVector<Operation *>> projectionsInto(Operation *neuron);
  /// A neuron being quantized: what each step below finds out.
  struct Neuron {
    Operation *op = nullptr;
    StepConstants c;
    int64_t n = 0, rows = 1, rowStride = 1;
    SmallVector<Projection> projections;
    const NodeRange *seen = nullptr; // calibrated ranges, if any
    std::vector<double> fV, fI;      // state units per projection unit
    double vNeeded = 0, iNeeded = 0; // largest |v| and |i| to hold
    std::vector<double> vUnit, iUnit;
    std::vector<int64_t> vDecay, iDecay, vBias, theta, vReset;
    /// The row (unit) of output element e.
    int64_t rowOf(int64_t e) const { return (e / rowStride) % rows; }
  };
  LogicalResult quantizeNeuron(Operation *neuron);
  /// The projections feeding the neuron, with one row count.
  LogicalResult readSources(Neuron &nr);
  /// The gains from a projection's unit to the membrane and current units.
  LogicalResult stateGains(Neuron &nr);
  /// The largest membrane and current the state must hold.
  LogicalResult stateRanges(Neuron &nr);
  /// The projections' output units, per row.
  struct Units;
  Units neuronUnits(const Neuron &nr);
  /// Decay factors as multipliers or shifts.
  LogicalResult quantizeDecay(const Neuron &nr, const std::vector<double> &alpha,
                              std::vector<int64_t> &out, LayerReport &layer);
  /// Real constants in membrane units, within the state's bits.
  LogicalResult toState(const Neuron &nr, const std::vector<double> &real,
                        StringRef what, std::vector<int64_t> &out);
  LogicalResult neuronConstants(Neuron &nr, LayerReport &layer);
  /// Replaces the neuron by snn.qneuron.
  void emitQNeuron(const Neuron &nr);
  LogicalResult quantizeStandalone(Operation *projection);
  /// Output units per row and the weight exponent (see chooseUnits).
  struct Units {
    std::vector<double> unit;
    int64_t exp = 0;
    std::string limitedBy;
  };
  /// The units of rows whose weights are `rowWeights` and whose outputs must
  /// not be finer than `floor` (state and accumulator ranges, named
  /// `floorName`): the least-error weight step, divided by the largest
  /// power of two (up to 2^maxWeightExp) that keeps every row above its floor.
  Units chooseUnits(const std::vector<std::vector<double>> &rowWeights,
                    std::vector<double> floor, const std::string &floorName);
  /// Replaces a projection by its integer form.
  void emitProjection(const Projection &p, const Units &units);
  /// snn.qsparse for a projection whose integer weights are mostly zero
  /// (preferSparse); null when the dense snn.qlinear is the better form.
  Operation *emitSparse(const Projection &p, const std::vector<int64_t> &weights,
                        const std::vector<int64_t> &bias, const Units &units);
  LogicalResult quantizeDelay(DelayOp op);
};

LogicalResult Quantizer::quantizeInputs() {
  Block &body = network.getBodyBlock();
  for (BlockArgument arg : body.getArguments()) {
    if (isSpikes(arg.getType()) || arg.use_empty())
      continue;
    std::string name =
        cast<StringAttr>(network.getInputNames()[arg.getArgNumber()]).str();
    if (!calibration || calibration->inputMax.size() <= arg.getArgNumber())
      return network.emitOpError()
             << "input '" << name
             << "' carries real values; snn-quantize needs their range from a "
                "calibration run (snn-run --calibrate FILE, then "
                "calibration=FILE)";
    double maxAbs = calibration->inputMax[arg.getArgNumber()];
    double unit =
        maxAbs > 0 ? maxAbs / double(signedMax(options.inputBits)) : 1;
    builder.setInsertionPointToStart(&body);
    auto q = builder.create<QuantizeOp>(
        network.getLoc(), arg.getType(), arg, builder.getF64FloatAttr(unit),
        builder.getI64IntegerAttr(options.inputBits),
        builder.getStringAttr(name + ".quantize"));
    arg.replaceAllUsesExcept(q.getResult(), q);
    LayerReport layer;
    layer.node = name + ".quantize";
    layer.op = "snn.quantize";
    layer.unitMin = layer.unitMax = unit;
    layer.stateBits = options.inputBits;
    layer.limitedBy = "calibrated input range";
    report.layers.push_back(layer);
  }
  return success();
}

FailureOr<Projection> Quantizer::readProjection(Operation *op) {
  // Quantization holds every weight as a double: a huge splat would expand
  // to gigabytes.
  if (auto weight = op->getAttrOfType<ElementsAttr>("weight");
      weight && weight.getNumElements() > limits::kMaxDenseElements)
    return op->emitOpError()
           << "has a weight of " << weight.getNumElements()
           << " elements, more than the " << limits::kMaxDenseElements
           << " snn-quantize holds dense";
  Projection p;
  p.op = op;
  Value input = op->getOperand(0);
  std::optional<std::vector<double>> unit = integerUnit(input);
  if (!unit)
    return op->emitOpError()
           << "reads a signal that is not integer yet (a delayed real value, "
              "or an op snn-quantize does not handle); its unit is unknown";
  int64_t inElements = getSignalSize(input);
  auto unitAt = [&](int64_t k) { return (*unit)[unit->size() == 1 ? 0 : k]; };
  p.inputMax = integerBound(input);
  bool ok = true;
  llvm::TypeSwitch<Operation *>(op)
      .Case<AffineOp, LinearOp>([&](auto o) {
        ArrayRef<int64_t> w = o.getWeight().getType().getShape();
        p.rows = w[0];
        p.perRow = w[1];
        p.blocks = inElements / w[1];
        std::vector<double> raw = floatValues(o.getWeight());
        p.weights.resize(raw.size());
        for (int64_t j = 0; j < w[1]; ++j) {
          double u = unitAt(j);
          for (int64_t blk = 1; blk < p.blocks; ++blk)
            if (unitAt(blk * w[1] + j) != u)
              ok = false;
          for (int64_t k = 0; k < w[0]; ++k)
            p.weights[k * w[1] + j] = raw[k * w[1] + j] * u;
        }
        p.bias.assign(w[0], 0.0);
        if constexpr (std::is_same_v<decltype(o), AffineOp>) {
          p.bias = floatValues(o.getBias());
          p.hasBias = true;
        }
      })
      .Case<SparseOp>([&](SparseOp o) {
        FloatCsr m = csrOf(o);
        p.rows = m.rows;
        p.perRow = m.cols;
        p.sparse = true;
        p.weights = std::move(m.values);
        for (size_t e = 0; e < p.weights.size(); ++e)
          p.weights[e] *= unitAt(m.indices[e]);
        p.offsets = std::move(m.offsets);
        p.indices = std::move(m.indices);
        p.bias.assign(p.rows, 0.0);
        if (o.getBiasAttr()) {
          p.bias = floatValues(o.getBiasAttr());
          p.hasBias = true;
        }
      })
      .Case<Conv1dOp, Conv2dOp>([&](auto o) {
        ArrayRef<int64_t> w = o.getWeight().getType().getShape();
        ArrayRef<int64_t> in = getSignalShape(input.getType());
        int64_t pixels = inElements / in[0];
        int64_t groups = o.getGroupsAttr().getInt();
        int64_t inPerGroup = in[0] / groups, outPerGroup = w[0] / groups;
        p.rows = w[0];
        p.perRow = shape::numElements(shape::Shape(w.begin() + 1, w.end()));
        int64_t taps = p.perRow / w[1];
        p.rowStride = getSignalSize(op->getResult(0)) / w[0];
        std::vector<double> raw = floatValues(o.getWeight());
        p.weights.resize(raw.size());
        for (int64_t oc = 0; oc < w[0]; ++oc)
          for (int64_t cg = 0; cg < w[1]; ++cg) {
            int64_t c = (oc / outPerGroup) * inPerGroup + cg;
            double u = unitAt(c * pixels);
            for (int64_t k = 1; k < pixels && unit->size() > 1; ++k)
              if (unitAt(c * pixels + k) != u)
                ok = false;
            for (int64_t t = 0; t < taps; ++t) {
              int64_t idx = (oc * w[1] + cg) * taps + t;
              p.weights[idx] = raw[idx] * u;
            }
          }
        p.bias = floatValues(o.getBias());
        p.hasBias = true;
      })
      .Default([&](Operation *) { ok = false; });
  if (!ok)
    return op->emitOpError()
           << "its input's integers do not share one unit per input feature "
              "(or channel); snn-quantize cannot fold them into the weights";
  // The verifier refuses NaN and Inf weights; a finite weight times its
  // input's unit can still overflow to Inf, which would round to garbage.
  auto finite = [&](const std::vector<double> &values,
                    StringRef what) -> LogicalResult {
    for (size_t k = 0; k < values.size(); ++k)
      if (!std::isfinite(values[k]))
        return op->emitOpError()
               << "has " << what << " " << formatNumber(values[k])
               << " at flat index " << k
               << "; snn-quantize needs finite weights and biases";
    return success();
  };
  if (failed(finite(p.weights, "weight")) || failed(finite(p.bias, "bias")))
    return failure();
  return p;
}

/// The projections whose sum is the neuron's input: the neuron must read a
/// projection, or a sum of projections, that nothing else reads.
FailureOr<SmallVector<Operation *>>
Quantizer::projectionsInto(Operation *neuron) {
  auto isProjection = [](Operation *op) {
    return op && isa<AffineOp, LinearOp, SparseOp, Conv1dOp, Conv2dOp>(op);
  };
  Value input = neuron->getOperand(0);
  Operation *def = input.getDefiningOp();
  SmallVector<Operation *> found;
  if (isProjection(def) && input.hasOneUse()) {
    found.push_back(def);
    return found;
  }
  if (auto sum = dyn_cast_or_null<SumOp>(def); sum && input.hasOneUse()) {
    for (Value operand : sum.getInputs()) {
      Operation *p = operand.getDefiningOp();
      if (!isProjection(p) || !operand.hasOneUse())
        return neuron->emitOpError()
               << "reads a sum whose inputs are not all projections read by "
                  "this neuron alone; snn-quantize folds the neuron's input "
                  "gain into the weights that feed it";
      found.push_back(p);
    }
    return found;
  }
  return neuron->emitOpError()
         << "reads " << (def ? describeOp(def) : std::string("a network input"))
         << " directly; snn-quantize needs its input to be projections "
            "(affine, linear, conv) that only it reads, so that the input gain "
            "can be folded into their weights";
}

Quantizer::Units
Quantizer::chooseUnits(const std::vector<std::vector<double>> &rowWeights,
                       std::vector<double> floor,
                       const std::string &floorName) {
  int64_t rows = static_cast<int64_t>(rowWeights.size());
  std::vector<double> step(rows);
  if (options.perChannel) {
    for (int64_t k = 0; k < rows; ++k)
      step[k] = weightUnit(rowWeights[k], weightMax(), options.scaleMethod);
  } else {
    std::vector<double> all;
    for (const std::vector<double> &w : rowWeights)
      all.insert(all.end(), w.begin(), w.end());
    step.assign(rows, weightUnit(all, weightMax(), options.scaleMethod));
    floor.assign(rows, *std::max_element(floor.begin(), floor.end()));
  }
  auto powerOfTwo = [&](double u) {
    return options.powerOfTwo && u > 0 ? std::exp2(std::ceil(std::log2(u))) : u;
  };
  Units units;
  units.exp = options.maxWeightExp;
  for (int64_t k = 0; k < rows; ++k) {
    step[k] = powerOfTwo(step[k]);
    if (step[k] > 0 && floor[k] > 0)
      units.exp = std::min<int64_t>(
          units.exp,
          static_cast<int64_t>(std::floor(std::log2(step[k] / floor[k]))));
  }
  units.exp = std::max<int64_t>(units.exp, 0);
  units.limitedBy = "weights";
  for (int64_t k = 0; k < rows; ++k) {
    double u = step[k] / std::exp2(double(units.exp));
    if (u < floor[k]) {
      u = powerOfTwo(floor[k]);
      units.limitedBy = floorName;
    }
    units.unit.push_back(u > 0 ? u : 1.0);
  }
  return units;
}

/// The integer weights `weights` of sparse projection `p` (one per stored
/// entry) as compressed rows, the entries that rounded to zero left out.
Csr sparseRows(const Projection &p, const std::vector<int64_t> &weights) {
  Csr m;
  m.rows = p.rows;
  m.cols = p.perRow;
  m.offsets.reserve(size_t(p.rows) + 1);
  for (int64_t k = 0; k < p.rows; ++k) {
    for (int64_t e = p.rowBegin(k); e < p.rowEnd(k); ++e)
      if (weights[e] != 0) {
        m.indices.push_back(p.indices[e]);
        m.values.push_back(weights[e]);
      }
    m.offsets.push_back(int64_t(m.indices.size()));
  }
  return m;
}

Operation *Quantizer::emitSparse(const Projection &p,
                                 const std::vector<int64_t> &weights,
                                 const std::vector<int64_t> &bias,
                                 const Units &units) {
  Operation *op = p.op;
  int64_t weightBytes = options.weightBits <= 8 ? 1 : 2;
  int64_t nonzero = llvm::count_if(weights, [](int64_t w) { return w != 0; });
  if (!isa<AffineOp, LinearOp, SparseOp>(op) || p.blocks != 1 ||
      !preferSparse(p.rows, p.perRow, nonzero, weightBytes))
    return nullptr;
  Csr m = p.sparse ? sparseRows(p, weights)
                   : csrFromDense(weights, p.rows, p.perRow);
  auto vector = [&](const std::vector<int64_t> &values, unsigned bits) {
    SmallVector<APInt> ints;
    ints.reserve(values.size());
    for (int64_t v : values)
      ints.emplace_back(bits, v, /*isSigned=*/true);
    return DenseIntElementsAttr::get(
        RankedTensorType::get({int64_t(values.size())},
                              builder.getIntegerType(bits)),
        ints);
  };
  DenseIntElementsAttr biasAttr;
  if (p.hasBias && llvm::any_of(bias, [](int64_t b) { return b != 0; }))
    biasAttr = vector(bias, 32);
  IntegerAttr exp =
      units.exp ? builder.getI64IntegerAttr(units.exp) : IntegerAttr();
  return builder.create<QSparseOp>(
      op->getLoc(), op->getResult(0).getType(), op->getOperand(0),
      vector(m.offsets, 32), vector(m.indices, 32),
      vector(m.values, unsigned(weightBytes * 8)), biasAttr,
      builder.getI64IntegerAttr(options.weightBits), exp,
      builder.getI64IntegerAttr(options.accBits),
      OverflowAttr::get(builder.getContext(), options.overflow),
      paramAttr(builder, units.unit, {p.rows}),
      op->getAttrOfType<StringAttr>("name"));
}

void Quantizer::emitProjection(const Projection &p, const Units &units) {
  const std::vector<double> &rowUnit = units.unit;
  double scale =
      std::exp2(double(units.exp)); // one weight step in output units
  Operation *op = p.op;
  int64_t qmax = weightMax();
  std::vector<int64_t> weights(p.weights.size());
  LayerReport layer;
  layer.node = nodeKey(op);
  layer.op = op->getName().getStringRef().str();
  layer.weightBits = options.weightBits;
  layer.weights = p.rows * p.perRow; // as many as the dense matrix has
  layer.limitedBy = units.limitedBy;
  layer.weightExp = units.exp;
  layer.unitMin = *std::min_element(rowUnit.begin(), rowUnit.end());
  layer.unitMax = *std::max_element(rowUnit.begin(), rowUnit.end());
  double errorSq = 0, normSq = 0;
  for (int64_t k = 0; k < p.rows; ++k)
    for (int64_t e = p.rowBegin(k); e < p.rowEnd(k); ++e) {
      double w = p.weights[e];
      double stepReal = rowUnit[k] * scale;
      double q = roundNearest(w / stepReal);
      if (q > qmax || q < -qmax) {
        ++layer.clipped;
        q = std::clamp(q, -double(qmax), double(qmax));
      }
      weights[e] = static_cast<int64_t>(q);
      errorSq += (w - q * stepReal) * (w - q * stepReal);
      normSq += w * w;
    }
  layer.weightError = normSq > 0 ? std::sqrt(errorSq / normSq) : 0;
  std::vector<int64_t> bias(p.rows);
  int64_t accMax = signedMax(options.accBits);
  for (int64_t k = 0; k < p.rows; ++k)
    bias[k] = static_cast<int64_t>(std::clamp(
        roundNearest(p.bias[k] / rowUnit[k]), -double(accMax), double(accMax)));

  builder.setInsertionPoint(op);
  if (Operation *sparse = emitSparse(p, weights, bias, units)) {
    op->getResult(0).replaceAllUsesWith(sparse->getResult(0));
    op->erase();
    report.layers.push_back(layer);
    return;
  }
  if (p.sparse) // not sparse enough once quantized: the dense matrix
    weights = sparseRows(p, weights).dense();
  SmallVector<int64_t> weightShape{p.rows, p.perRow};
  if (auto dense = op->getAttrOfType<ElementsAttr>("weight"))
    weightShape.assign(cast<ShapedType>(dense.getType()).getShape().begin(),
                       cast<ShapedType>(dense.getType()).getShape().end());
  Type weightElement = builder.getIntegerType(options.weightBits <= 8 ? 8 : 16);
  SmallVector<APInt> weightInts;
  weightInts.reserve(weights.size());
  for (int64_t w : weights)
    weightInts.emplace_back(weightElement.getIntOrFloatBitWidth(), w, true);
  auto weightAttr = DenseIntElementsAttr::get(
      RankedTensorType::get(weightShape, weightElement), weightInts);
  DenseIntElementsAttr biasAttr;
  if (p.hasBias && llvm::any_of(bias, [](int64_t b) { return b != 0; }))
    biasAttr = DenseIntElementsAttr::get(
        RankedTensorType::get({p.rows}, builder.getI32Type()),
        llvm::to_vector(llvm::map_range(
            bias, [](int64_t b) { return static_cast<int32_t>(b); })));
  Attribute unitAttr = paramAttr(builder, rowUnit, {p.rows});
  auto name = op->getAttrOfType<StringAttr>("name");
  auto bits = builder.getI64IntegerAttr(options.weightBits);
  IntegerAttr exp =
      units.exp ? builder.getI64IntegerAttr(units.exp) : IntegerAttr();
  auto acc = builder.getI64IntegerAttr(options.accBits);
  auto overflow = OverflowAttr::get(builder.getContext(), options.overflow);
  Operation *replacement =
      llvm::TypeSwitch<Operation *, Operation *>(op)
          .Case<AffineOp, LinearOp, SparseOp>([&](auto o) {
            return builder.create<QLinearOp>(
                o.getLoc(), o.getType(), o.getInput(), weightAttr, biasAttr,
                bits, exp, acc, overflow, unitAttr, name);
          })
          .Case<Conv1dOp>([&](Conv1dOp o) {
            return builder.create<QConv1dOp>(
                o.getLoc(), o.getType(), o.getInput(), weightAttr, biasAttr,
                o.getStrideAttr(), o.getPaddingAttr(), o.getDilationAttr(),
                o.getGroupsAttr(), bits, exp, acc, overflow, unitAttr, name);
          })
          .Case<Conv2dOp>([&](Conv2dOp o) {
            return builder.create<QConv2dOp>(
                o.getLoc(), o.getType(), o.getInput(), weightAttr, biasAttr,
                o.getStrideAttr(), o.getPaddingAttr(), o.getDilationAttr(),
                o.getGroupsAttr(), bits, exp, acc, overflow, unitAttr, name);
          });
  op->getResult(0).replaceAllUsesWith(replacement->getResult(0));
  op->erase();
  report.layers.push_back(layer);
}

LogicalResult Quantizer::quantizeStandalone(Operation *op) {
  FailureOr<Projection> p = readProjection(op);
  if (failed(p))
    return failure();
  std::vector<std::vector<double>> rowWeights(p->rows);
  std::vector<double> accFloor(p->rows);
  for (int64_t k = 0; k < p->rows; ++k) {
    rowWeights[k] = p->row(k).vec();
    double sum = std::abs(p->bias[k]);
    for (double w : rowWeights[k])
      sum += std::abs(w) * p->inputMax;
    accFloor[k] = sum / double(signedMax(options.accBits));
  }
  emitProjection(*p, chooseUnits(rowWeights, accFloor, "accumulator"));
  return success();
}

LogicalResult Quantizer::readSources(Neuron &nr) {
  FailureOr<SmallVector<Operation *>> sources = projectionsInto(nr.op);
  if (failed(sources))
    return failure();
  for (Operation *op : *sources) {
    FailureOr<Projection> p = readProjection(op);
    if (failed(p))
      return failure();
    nr.projections.push_back(std::move(*p));
  }
  nr.rows = nr.projections.front().rows;
  nr.rowStride = nr.projections.front().rowStride;
  for (const Projection &p : nr.projections)
    if (p.rows != nr.rows)
      return nr.op->emitOpError()
             << "is fed by projections with different row counts";
  return success();
}

LogicalResult Quantizer::stateGains(Neuron &nr) {
  // Gains from the projection's unit to the states': v = f_v * s, i = f_i * s.
  const StepConstants &c = nr.c;
  nr.fV.assign(nr.n, 0.0);
  nr.fI.assign(nr.n, 1.0);
  for (int64_t j = 0; j < nr.n; ++j) {
    if (c.hasCurrent)
      nr.fI[j] = c.iGain[j];
    nr.fV[j] = c.vGain[j] * nr.fI[j];
    if (!(nr.fV[j] > 0) || !(nr.fI[j] > 0) || !std::isfinite(nr.fV[j]))
      return nr.op->emitOpError()
             << "has input gain " << formatNumber(nr.fV[j]) << " at neuron "
             << j
             << "; integer neurons need a positive gain from input to membrane";
  }
  return success();
}

LogicalResult Quantizer::stateRanges(Neuron &nr) {
  const StepConstants &c = nr.c;
  for (int64_t j = 0; j < nr.n; ++j) {
    if (c.fires)
      nr.vNeeded = std::max(nr.vNeeded, std::abs(c.threshold[j]));
    if (!c.vReset.empty())
      nr.vNeeded = std::max(nr.vNeeded, std::abs(c.vReset[j]));
  }
  if (nr.seen) {
    nr.vNeeded = std::max(nr.vNeeded, nr.seen->membraneMax);
    nr.iNeeded = nr.seen->currentMax;
    return success();
  }
  if (c.fires) {
    // Without calibration: the membrane stays within ±4θ, and the current
    // within what would carry the membrane there in one step.
    nr.vNeeded *= 4;
    if (c.hasCurrent)
      for (int64_t j = 0; j < nr.n; ++j)
        nr.iNeeded = std::max(nr.iNeeded, nr.vNeeded / std::abs(c.vGain[j]));
    return success();
  }
  // A non-firing neuron settles at most at its largest input over (1 - α).
  for (int64_t j = 0; j < nr.n; ++j) {
    double leak = 1.0 - c.vDecay[j] * (c.hasCurrent ? c.iDecay[j] : 1.0);
    if (!(leak > 0))
      return nr.op->emitOpError()
             << "does not leak, so its range is unbounded; give "
                "snn-quantize a calibration file (snn-run --calibrate)";
    double input = 0;
    for (const Projection &p : nr.projections) {
      double rowSum = std::abs(p.bias[nr.rowOf(j)]);
      for (double w : p.row(nr.rowOf(j)))
        rowSum += std::abs(w) * p.inputMax;
      input += rowSum;
    }
    nr.vNeeded = std::max(nr.vNeeded, nr.fV[j] * input / leak);
  }
  return success();
}

Quantizer::Units Quantizer::neuronUnits(const Neuron &nr) {
  // One unit per row: the least-error weight unit, raised where a state or
  // the accumulator would overflow.
  int64_t vMax = signedMax(options.stateBits), iMax = signedMax(currentBits());
  int64_t accMax = signedMax(options.accBits);
  std::vector<std::vector<double>> rowWeights(nr.rows);
  std::vector<double> rowInputMax(nr.rows, 0.0);
  for (const Projection &p : nr.projections)
    for (int64_t k = 0; k < nr.rows; ++k) {
      double sum = std::abs(p.bias[k]);
      for (double w : p.row(k)) {
        rowWeights[k].push_back(w);
        sum += std::abs(w) * p.inputMax;
      }
      rowInputMax[k] += sum;
    }
  std::vector<double> floor(nr.rows, 0.0);
  for (int64_t e = 0; e < nr.n; ++e) {
    int64_t k = nr.rowOf(e);
    floor[k] = std::max(floor[k], nr.vNeeded / (nr.fV[e] * double(vMax)));
    if (nr.c.hasCurrent)
      floor[k] = std::max(floor[k], nr.iNeeded / (nr.fI[e] * double(iMax)));
  }
  for (int64_t k = 0; k < nr.rows; ++k)
    floor[k] = std::max(floor[k], rowInputMax[k] / double(accMax));
  return chooseUnits(rowWeights, floor,
                     nr.seen ? "calibrated state range" : "state range");
}

LogicalResult Quantizer::quantizeDecay(const Neuron &nr,
                                       const std::vector<double> &alpha,
                                       std::vector<int64_t> &out,
                                       LayerReport &layer) {
  for (int64_t j = 0; j < nr.n; ++j) {
    double a = alpha[j];
    if (!(a >= 0 && a <= 1))
      return nr.op->emitOpError()
             << "keeps " << formatNumber(a)
             << " of its state per step at neuron " << j
             << "; integer decays need a factor in [0, 1] (a smaller dt "
                "or integration(exponential))";
    double quantized;
    if (options.decay == DecayArith::Multiply) {
      int64_t m = static_cast<int64_t>(
          roundNearest(a * double(int64_t(1) << options.decayShift)));
      out.push_back(m);
      quantized = double(m) / double(int64_t(1) << options.decayShift);
    } else {
      int64_t k = a >= 1 ? 62
                         : static_cast<int64_t>(std::clamp(
                               roundNearest(-std::log2(1.0 - a)), 0.0, 62.0));
      out.push_back(k);
      quantized = 1.0 - std::exp2(-double(k));
    }
    layer.decayError = std::max(layer.decayError, std::abs(a - quantized));
  }
  return success();
}

LogicalResult Quantizer::toState(const Neuron &nr,
                                 const std::vector<double> &real,
                                 StringRef what, std::vector<int64_t> &out) {
  int64_t vMax = signedMax(options.stateBits);
  for (int64_t j = 0; j < nr.n; ++j) {
    if (!std::isfinite(real[j]))
      return nr.op->emitOpError()
             << what << " " << formatNumber(real[j]) << " at neuron " << j
             << " is not a finite number; snn-quantize needs finite "
                "parameters";
    double q = roundNearest(real[j] / nr.vUnit[j]);
    if (std::abs(q) > double(vMax))
      return nr.op->emitOpError()
             << what << " " << formatNumber(real[j]) << " at neuron " << j
             << " is " << formatNumber(q) << " state units, more than "
             << options.stateBits << " bits hold";
    out.push_back(static_cast<int64_t>(q));
  }
  return success();
}

LogicalResult Quantizer::neuronConstants(Neuron &nr, LayerReport &layer) {
  const StepConstants &c = nr.c;
  auto allOne = [](const std::vector<double> &v) {
    return std::all_of(v.begin(), v.end(), [](double a) { return a == 1.0; });
  };
  if (!allOne(c.vDecay) && failed(quantizeDecay(nr, c.vDecay, nr.vDecay, layer)))
    return failure();
  if (c.hasCurrent && !allOne(c.iDecay) &&
      failed(quantizeDecay(nr, c.iDecay, nr.iDecay, layer)))
    return failure();
  if (failed(toState(nr, c.vBias, "v_bias", nr.vBias)) ||
      (c.fires && failed(toState(nr, c.threshold, "v_threshold", nr.theta))) ||
      (!c.vReset.empty() && failed(toState(nr, c.vReset, "v_reset", nr.vReset))))
    return failure();
  if (c.fires) {
    layer.thresholdMin = *std::min_element(nr.theta.begin(), nr.theta.end());
    layer.thresholdMax = *std::max_element(nr.theta.begin(), nr.theta.end());
  }
  return success();
}

void Quantizer::emitQNeuron(const Neuron &nr) {
  const StepConstants &c = nr.c;
  Operation *neuron = nr.op;
  builder.setInsertionPoint(neuron);
  MLIRContext *ctx = builder.getContext();
  ArrayRef<int64_t> shape = getSignalShape(neuron->getResult(0).getType());
  auto optionalInt = [&](const std::vector<int64_t> &v) -> Attribute {
    return v.empty() ? Attribute() : intParamAttr(builder, v, shape);
  };
  bool anyBias = llvm::any_of(nr.vBias, [](int64_t b) { return b != 0; });
  auto q = builder.create<QNeuronOp>(
      neuron->getLoc(), neuron->getResult(0).getType(), neuron->getOperand(0),
      builder.getI64IntegerAttr(options.stateBits),
      c.hasCurrent ? builder.getI64IntegerAttr(currentBits()) : IntegerAttr(),
      DecayArithAttr::get(ctx, options.decay),
      options.decay == DecayArith::Multiply
          ? builder.getI64IntegerAttr(options.decayShift)
          : IntegerAttr(),
      optionalInt(nr.vDecay), optionalInt(nr.iDecay),
      anyBias ? optionalInt(nr.vBias) : Attribute(), optionalInt(nr.theta),
      optionalInt(nr.vReset), RoundingAttr::get(ctx, options.rounding),
      OverflowAttr::get(ctx, options.overflow),
      paramAttr(builder, nr.vUnit, shape),
      c.hasCurrent ? paramAttr(builder, nr.iUnit, shape) : Attribute(),
      c.fires ? ResetModeAttr::get(ctx, c.reset) : ResetModeAttr(),
      c.fires ? ResetTimingAttr::get(ctx, c.timing) : ResetTimingAttr(),
      c.fires ? SpikeConditionAttr::get(ctx, c.spike) : SpikeConditionAttr(),
      neuron->getAttrOfType<StringAttr>("name"));
  neuron->getResult(0).replaceAllUsesWith(q.getResult());
  neuron->erase();
}

LogicalResult Quantizer::quantizeNeuron(Operation *neuron) {
  Neuron nr;
  nr.op = neuron;
  nr.c = *stepConstants(neuron, dt);
  nr.n = getSignalSize(neuron->getResult(0));
  nr.seen = range(neuron);
  if (failed(readSources(nr)) || failed(stateGains(nr)) ||
      failed(stateRanges(nr)))
    return failure();
  Units units = neuronUnits(nr);
  for (const Projection &p : nr.projections)
    emitProjection(p, units);

  // The neuron: states in units f * s, constants rounded into them.
  LayerReport layer;
  layer.node = nodeKey(neuron);
  layer.op = neuron->getName().getStringRef().str();
  layer.isNeuron = true;
  layer.stateBits = options.stateBits;
  layer.currentBits = nr.c.hasCurrent ? currentBits() : 0;
  nr.vUnit.resize(nr.n);
  nr.iUnit.resize(nr.n);
  for (int64_t j = 0; j < nr.n; ++j) {
    nr.vUnit[j] = nr.fV[j] * units.unit[nr.rowOf(j)];
    nr.iUnit[j] = nr.fI[j] * units.unit[nr.rowOf(j)];
  }
  layer.unitMin = *std::min_element(nr.vUnit.begin(), nr.vUnit.end());
  layer.unitMax = *std::max_element(nr.vUnit.begin(), nr.vUnit.end());
  if (failed(neuronConstants(nr, layer)))
    return failure();
  emitQNeuron(nr);
  report.layers.push_back(layer);
  return success();
}

LogicalResult Quantizer::quantizeDelay(DelayOp op) {
  if (op.getStepsAttr())
    return success();
  FailureOr<std::vector<int64_t>> steps = delayInSteps(op, dt);
  if (failed(steps))
    return failure();
  op.removeDelayAttr();
  op.setStepsAttr(intParamAttr(builder, *steps, getSignalShape(op.getType())));
  return success();
}

LogicalResult Quantizer::run() {
  if (failed(quantizeInputs()))
    return failure();
  // In evaluation order every projection's input is integer before the
  // projection is reached (only a delayed real value is not, and that is
  // refused). Rewriting a neuron erases the projections before it, which
  // the walk has already passed.
  FailureOr<sim::Schedule> plan = sim::schedule(network);
  if (failed(plan))
    return failure();
  auto isNeuron = [](Operation *op) {
    return op->hasTrait<OpTrait::NeuronOp>() && !isa<QNeuronOp>(op);
  };
  for (Operation *op : plan->order) {
    LogicalResult result = success();
    if (isNeuron(op)) {
      result = quantizeNeuron(op);
    } else if (isa<AffineOp, LinearOp, SparseOp, Conv1dOp, Conv2dOp>(op)) {
      // Rewritten with its neuron when it feeds one, alone or in a sum.
      Value out = op->getResult(0);
      Operation *user = out.hasOneUse() ? *out.getUsers().begin() : nullptr;
      bool feedsNeuron =
          user && (isNeuron(user) ||
                   (isa<SumOp>(user) && user->getResult(0).hasOneUse() &&
                    isNeuron(*user->getResult(0).getUsers().begin())));
      if (!feedsNeuron)
        result = quantizeStandalone(op);
    } else if (auto delay = dyn_cast<DelayOp>(op)) {
      result = quantizeDelay(delay);
    } else if (isa<ThresholdOp, ScaleOp, AvgPool2dOp>(op)) {
      return op->emitOpError()
             << "has no integer form in snn-quantize yet"
             << (isa<ScaleOp>(op) ? "; -canonicalize folds scales into the "
                                    "projections around them"
                                  : "");
    }
    if (failed(result))
      return failure();
  }
  return success();
}

} // namespace

LogicalResult quantizeNetwork(NetworkOp network, const QuantizeOptions &options,
                              const Calibration *calibration,
                              QuantReport &report) {
  report.options = options;
  report.calibrated = calibration != nullptr;
  return Quantizer(network, options, calibration, report).run();
}

llvm::json::Object QuantReport::toJson() const {
  llvm::json::Array out;
  for (const LayerReport &l : layers) {
    llvm::json::Object o{{"node", l.node},
                         {"op", l.op},
                         {"unit_min", l.unitMin},
                         {"unit_max", l.unitMax}};
    if (l.weights) {
      o["weight_bits"] = l.weightBits;
      o["weight_exp"] = l.weightExp;
      o["weights"] = l.weights;
      o["clipped_weights"] = l.clipped;
      o["weight_rms_error"] = l.weightError;
      o["unit_set_by"] = l.limitedBy;
    }
    if (l.isNeuron) {
      o["state_bits"] = l.stateBits;
      if (l.currentBits)
        o["current_bits"] = l.currentBits;
      o["threshold_min"] = l.thresholdMin;
      o["threshold_max"] = l.thresholdMax;
      o["decay_error"] = l.decayError;
    }
    out.push_back(std::move(o));
  }
  const char *decayNames[] = {"multiply", "shift"};
  const char *roundingNames[] = {"nearest_even", "half_away", "floor"};
  return llvm::json::Object{
      {"weight_bits", options.weightBits},
      {"weight_exp_max", options.maxWeightExp},
      {"state_bits", options.stateBits},
      {"current_bits",
       options.currentBits ? options.currentBits : options.stateBits},
      {"acc_bits", options.accBits},
      {"per_channel", options.perChannel},
      {"power_of_two", options.powerOfTwo},
      {"decay", decayNames[static_cast<int>(options.decay)]},
      {"rounding", roundingNames[static_cast<int>(options.rounding)]},
      {"overflow",
       options.overflow == Overflow::Saturate ? "saturate" : "wrap"},
      {"scale_method",
       options.scaleMethod == ScaleMethod::MinError ? "min-error" : "max-abs"},
      {"calibrated", calibrated},
      {"layers", std::move(out)}};
}

LogicalResult checkOptions(NetworkOp network, const QuantizeOptions &o) {
  auto inRange = [&](llvm::StringRef name, int64_t v, int64_t lo,
                     int64_t hi) -> LogicalResult {
    if (v >= lo && v <= hi)
      return success();
    return network.emitError(llvm::formatv(
        "snn-quantize: {0}={1} is outside [{2}, {3}]", name, v, lo, hi));
  };
  if (failed(inRange("weight-bits", o.weightBits, 2, 16)) ||
      failed(inRange("weight-exp-max", o.maxWeightExp, 0, 24)) ||
      failed(inRange("state-bits", o.stateBits, 2, 32)) ||
      (o.currentBits != 0 &&
       failed(inRange("current-bits", o.currentBits, 2, 32))) ||
      failed(inRange("acc-bits", o.accBits, 2, 32)) ||
      failed(inRange("input-bits", o.inputBits, 2, 32)) ||
      failed(inRange("decay-shift", o.decayShift, 1, 30)))
    return failure();
  return success();
}

LogicalResult quantizeFromOptions(NetworkOp network, QuantizeOptions options,
                                  llvm::StringRef targetPath,
                                  llvm::StringRef calibrationPath,
                                  QuantReport &report) {
  if (failed(checkOptions(network, options)))
    return failure();
  std::string error;
  // A device or a pipe would be read forever.
  for (llvm::StringRef path : {targetPath, calibrationPath})
    if (!path.empty() && !npy::isRegularFile(path.str(), error))
      return network.emitError() << "snn-quantize: " << error;
  if (!targetPath.empty()) {
    llvm::Expected<target::Target> t = target::readTarget(targetPath.str());
    if (!t)
      return network.emitError()
             << "snn-quantize: " << llvm::toString(t.takeError());
    // Lava's arithmetic is not a choice of widths: the network becomes the
    // layers of a netx file (QuantizeLoihi2.h).
    if (isLavaTarget(*t)) {
      if (!calibrationPath.empty())
        network.emitWarning()
            << "snn-quantize: " << calibrationPath
            << " is not used: for Loihi 2 the units follow from the "
               "thresholds";
      report.options = options;
      return quantizeLoihi2(network, report);
    }
    // A Xylo device's core is one op (QuantizeXylo.h).
    if (isXyloTarget(*t)) {
      std::optional<Calibration> ranges;
      if (!calibrationPath.empty()) {
        llvm::Expected<Calibration> read =
            readCalibration(calibrationPath.str());
        if (!read)
          return network.emitError()
                 << "snn-quantize: " << llvm::toString(read.takeError());
        ranges = std::move(*read);
        if (failed(checkCalibration(network, *ranges, calibrationPath)))
          return failure();
      }
      report.options = options;
      return quantizeXylo(network, *t, report, ranges ? &*ranges : nullptr);
    }
    target::applyTarget(*t, options);
  }
  std::optional<Calibration> ranges;
  if (!calibrationPath.empty()) {
    llvm::Expected<Calibration> read = readCalibration(calibrationPath.str());
    if (!read)
      return network.emitError()
             << "snn-quantize: " << llvm::toString(read.takeError());
    ranges = std::move(*read);
    if (failed(checkCalibration(network, *ranges, calibrationPath)))
      return failure();
  }
  return quantizeNetwork(network, options, ranges ? &*ranges : nullptr,
                         report);
}

void printQuantReport(const QuantReport &report, llvm::raw_ostream &os) {
  os << "quantized node           from             bits      unit (min .. max)"
        "        clipped  rms error  set by / threshold\n";
  for (const LayerReport &l : report.layers) {
    bool neuron = l.isNeuron;
    int64_t bits = neuron || !l.weights ? l.stateBits : l.weightBits;
    os << llvm::format("%-24s %-16s %4lld  %11.4g .. %-11.4g ", l.node.c_str(),
                       l.op.c_str(), static_cast<long long>(bits), l.unitMin,
                       l.unitMax);
    if (neuron)
      os << llvm::format("%9c %10c  threshold %lld .. %lld, decay error %.2g",
                         '-', '-', static_cast<long long>(l.thresholdMin),
                         static_cast<long long>(l.thresholdMax), l.decayError);
    else if (l.weights)
      os << llvm::format("%9lld %10.4f  %s", static_cast<long long>(l.clipped),
                         l.weightError, l.limitedBy.c_str())
         << (l.weightExp ? ", weight exponent " + std::to_string(l.weightExp)
                         : std::string());
    else
      os << llvm::format("%9c %10c  %s", '-', '-', l.limitedBy.c_str());
    os << "\n";
  }
}

bool isQuantized(NetworkOp network) {
  for (Operation &op : network.getBodyBlock().without_terminator())
    if ((op.hasTrait<OpTrait::NeuronOp>() && !isa<QNeuronOp>(op)) ||
        isa<AffineOp, LinearOp, SparseOp, Conv1dOp, Conv2dOp, ScaleOp,
            ThresholdOp, AvgPool2dOp>(op))
      return false;
  for (BlockArgument arg : network.getBodyBlock().getArguments())
    if (!isSpikes(arg.getType()) &&
        llvm::any_of(arg.getUsers(),
                     [](Operation *u) { return !isa<QuantizeOp>(u); }))
      return false;
  return true;
}

llvm::cl::ValuesClass decayValues() {
  return llvm::cl::values(
      clEnumValN(DecayArith::Multiply, "multiply",
                 "by an n-bit constant, then shift (default)"),
      clEnumValN(DecayArith::Shift, "shift", "s - (s >> k)"));
}
llvm::cl::ValuesClass roundingValues() {
  return llvm::cl::values(
      clEnumValN(Rounding::NearestEven, "nearest_even",
                 "to nearest, ties to even (default)"),
      clEnumValN(Rounding::HalfAway, "half_away",
                 "to nearest, ties away from zero"),
      clEnumValN(Rounding::Floor, "floor", "towards minus infinity"));
}
llvm::cl::ValuesClass overflowValues() {
  return llvm::cl::values(
      clEnumValN(Overflow::Saturate, "saturate",
                 "clamp to the range (default)"),
      clEnumValN(Overflow::Wrap, "wrap", "two's complement wrap-around"));
}
llvm::cl::ValuesClass scaleMethodValues() {
  return llvm::cl::values(
      clEnumValN(ScaleMethod::MinError, "min-error",
                 "least squared weight error (default)"),
      clEnumValN(ScaleMethod::MaxAbs, "max-abs", "largest |weight| to the "
                                                 "largest level"));
}

} // namespace snn::quant
