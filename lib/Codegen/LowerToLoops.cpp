//===- LowerToLoops.cpp - a quantized network as loops over buffers -------===//

#include "Codegen/LowerToLoops.h"
#include "Codegen/LowerXylo.h"
#include "Quant/Quantize.h"
#include "SNN/IR/SNNIntegerUnits.h"
#include "SNN/IR/SNNLimits.h"
#include "SNN/IR/SNNParams.h"
#include "SNN/IR/SNNSparse.h"
#include "Sim/Kernels.h"
#include "Sim/Schedule.h"
#include "Support/Identifier.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/EmitC/IR/EmitC.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;

namespace snn::codegen {

namespace {

/// A C identifier from a node name.
std::string identifier(llvm::StringRef text) {
  return identifierFrom(text.str(), "n");
}

/// A projection's weights as its kernel stores them (packWeights).
struct PackedWeights {
  std::vector<int64_t> weights, indices, offsets;
  int64_t lists = 0, length = 0; // lists of `length` entries (or fewer)
  bool event = false, compressed = false;
};

/// The packed weights and the globals that hold them in a function.
struct ProjectionView {
  const PackedWeights *packed = nullptr;
  Value weight, index, offset;
};

/// Where a signal lives: a global buffer, or the step function's argument.
struct Buffer {
  std::string global; // empty: an argument of step
  int argument = -1;
  Type element;
  int64_t size = 0;
};

class Lowering {
public:
  Lowering(NetworkOp network, ModuleOp module, const CodegenOptions &options,
           Interface &interface)
      : network(network), module(module), options(options),
        interface(interface), b(network.getContext()), loc(network.getLoc()) {}

  /// Lowers the network; errors go on the op at fault, or on the network
  /// prefixed with `caller` (the tool or pass) when they are about it.
  LogicalResult run();
  std::string caller;

private:
  NetworkOp network;
  ModuleOp module;
  const CodegenOptions &options;
  Interface &interface;
  OpBuilder b;
  Location loc;
  std::string prefix;
  llvm::DenseMap<Value, Buffer> buffers;
  /// Per function: globals already fetched, and the step's arguments.
  llvm::StringMap<Value> fetched;
  SmallVector<Value> stepArguments;
  /// Globals go before the network's first function, so that C sees every
  /// declaration before its use.
  Operation *firstFunction = nullptr;
  /// snn.xylo ops, lowered by LowerXylo.cpp.
  llvm::DenseMap<Operation *, std::unique_ptr<XyloLoops>> xyloCores;
  XyloLoopContext xyloContext();

  Type i8() { return b.getI8Type(); }
  Type i16() { return b.getI16Type(); }
  Type i32() { return b.getI32Type(); }
  Type i64() { return b.getI64Type(); }
  Value index(int64_t v) { return b.create<arith::ConstantIndexOp>(loc, v); }
  Value constant(int64_t v, Type type) {
    return b.create<arith::ConstantIntOp>(loc, v, type);
  }

  /// A global buffer `<prefix>_<name>` of `size` elements.
  std::string global(const std::string &name, Type element, int64_t size,
                     Attribute init, bool isConstant) {
    std::string symbol = prefix + "_" + name;
    OpBuilder::InsertionGuard guard(b);
    if (firstFunction)
      b.setInsertionPoint(firstFunction);
    else
      b.setInsertionPointToEnd(module.getBody());
    auto type = MemRefType::get({size}, element);
    b.create<memref::GlobalOp>(loc, symbol, b.getStringAttr("private"), type,
                               init ? init : Attribute(b.getUnitAttr()),
                               isConstant, IntegerAttr());
    int64_t bytes = size * element.getIntOrFloatBitWidth() / 8;
    (isConstant ? interface.weightBytes : interface.stateBytes) += bytes;
    return symbol;
  }

  std::string constantGlobal(const std::string &name, Type element,
                             ArrayRef<int64_t> values) {
    unsigned width = element.getIntOrFloatBitWidth();
    SmallVector<APInt> ints;
    for (int64_t v : values)
      ints.emplace_back(width, v, /*isSigned=*/true);
    auto type = RankedTensorType::get({int64_t(values.size())}, element);
    return global(name, element, values.size(),
                  DenseIntElementsAttr::get(type, ints), true);
  }

  Value memrefOf(const Buffer &buffer) {
    if (buffer.argument >= 0)
      return stepArguments[buffer.argument];
    return fetch(buffer.global, buffer.element, buffer.size);
  }

  Value fetch(const std::string &symbol, Type element, int64_t size) {
    auto it = fetched.find(symbol);
    if (it != fetched.end())
      return it->second;
    OpBuilder::InsertionGuard guard(b);
    Block *entry = b.getInsertionBlock();
    while (!isa<func::FuncOp>(entry->getParentOp()))
      entry = entry->getParentOp()->getBlock();
    b.setInsertionPointToStart(entry);
    Value v = b.create<memref::GetGlobalOp>(
        loc, MemRefType::get({size}, element), symbol);
    fetched[symbol] = v;
    return v;
  }

  Value load(Value memref, Value i) {
    return b.create<memref::LoadOp>(loc, memref, ValueRange{i});
  }
  void store(Value v, Value memref, Value i) {
    b.create<memref::StoreOp>(loc, v, memref, ValueRange{i});
  }
  /// Integer `v` widened (sign-extended) or narrowed to `type`.
  Value convert(Value v, Type type) {
    unsigned from = v.getType().getIntOrFloatBitWidth();
    unsigned to = type.getIntOrFloatBitWidth();
    if (from == to)
      return v;
    if (from < to)
      return b.create<arith::ExtSIOp>(loc, type, v);
    return b.create<arith::TruncIOp>(loc, type, v);
  }
  Value call(StringRef callee, ValueRange operands) {
    return b
        .create<emitc::CallOpaqueOp>(loc, TypeRange{i64()}, callee, operands)
        .getResult(0);
  }
  Value fit(Value v, int64_t bits, Overflow overflow) {
    return call("snn_fit", {v, constant(bits, i32()),
                            constant(static_cast<int64_t>(overflow), i32())});
  }
  void loop(int64_t n, llvm::function_ref<void(Value)> body) {
    auto f = b.create<scf::ForOp>(loc, index(0), index(n), index(1));
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(f.getBody());
    body(f.getInductionVar());
  }
  /// i * n + j on indices.
  Value flat(Value i, int64_t n, Value j) {
    return b.create<arith::AddIOp>(
        loc, b.create<arith::MulIOp>(loc, i, index(n)), j);
  }

  /// A per-neuron integer parameter: a constant when all agree, else a load
  /// from a constant global.
  Value param(const std::string &name, const std::vector<int64_t> &values,
              Value j) {
    if (std::all_of(values.begin(), values.end(),
                    [&](int64_t v) { return v == values[0]; }))
      return constant(values[0], i64());
    std::string symbol = constantGlobal(name, i32(), values);
    return convert(load(fetch(symbol, i32(), values.size()), j), i64());
  }

  Buffer signal(Operation *op, const std::string &name) {
    Value v = op->getResult(0);
    Buffer buffer;
    buffer.size = getSignalSize(v);
    buffer.element = isSpikes(v.getType())             ? i8()
                     : integerBound(v) <= 2147483647.0 ? i32()
                                                       : i64();
    buffer.global = global(name, buffer.element, buffer.size, {}, false);
    return buffer;
  }

  /// Fails, on `op`, when `what` would be a C array of no elements or of
  /// more than limits::kMaxDenseElements (or an uncountable number).
  LogicalResult checkArray(Operation *op, StringRef what,
                           std::optional<int64_t> elements);
  LogicalResult lowerProjection(QLinearOp op, const std::string &name);
  /// Constant globals for packed weights, fetched into `view`.
  void projectionArrays(const PackedWeights &packed, Type weightType,
                        const std::string &name, ProjectionView &view);
  /// List l's entries [begin, end), and entry e's index and weight.
  std::pair<Value, Value> listBounds(const ProjectionView &v, Value l);
  std::pair<Value, Value> listEntry(const ProjectionView &v, Value l, Value e);
  /// visit(k, weight) for every entry of list l.
  void forEntries(const ProjectionView &v, Value l,
                  llvm::function_ref<void(Value k, Value w)> visit);
  /// Σ term(j, weight) over list l.
  Value sumEntries(const ProjectionView &v, Value l,
                   llvm::function_ref<Value(Value j, Value w)> term);
  /// Event-driven accumulation of block `blk`: inputs scatter into outputs.
  void scatterProjection(const ProjectionView &v, Value in, Value acc,
                         Value blk, int64_t rows, int64_t cols);
  /// Dense accumulation of block `blk`: each output gathers its inputs.
  void gatherProjection(const ProjectionView &v, Value in, Value acc,
                        Value blk, int64_t rows, int64_t cols);
  /// Scales the accumulators, adds the bias and fits the outputs of a
  /// projection (`op`: its weight_exp, acc_bits, overflow, bias).
  void projectionOutput(Operation *op, const std::vector<int64_t> &bias,
                        const std::string &name, Value acc, int64_t rows,
                        int64_t blocks);
  /// Expected fraction of non-zero entries of a projection's input per step.
  double activityOf(Value input) {
    Operation *def = input.getDefiningOp();
    std::string key = def ? nodeKey(def) : "input";
    auto it = options.activity.find(key);
    if (it != options.activity.end())
      return it->second;
    return isSpikes(input.getType()) ? options.spikeActivity
                                     : options.valueActivity;
  }
  LogicalResult lowerNeuron(QNeuronOp op, const std::string &name);

  // Sparse projections (snn.qsparse) and the narrow fast paths
  // (docs/embedded.md, "Sparse projections").
  /// How a sparse projection runs: exactly (its sums provably fit, so the
  /// outputs accumulate in place and only touched ones are restored) or
  /// through the 64-bit accumulators and a fit of every output.
  struct SparsePlan {
    bool exact = false;
    Type weight, target, out; // C element types of the exact kernel
    int64_t bound = 0;        // largest |output| before fitting
  };
  llvm::DenseMap<Operation *, SparsePlan> sparsePlans;
  bool usesSparseRuntime = false;
  /// Whether the neuron whose output is the network's output stores it in
  /// the caller's buffer too (then step copies nothing at its end).
  bool outputStoredByNeuron = false;
  SparsePlan planSparse(QSparseOp op);
  /// The largest |value| of a signal: integerBound, tightened by the
  /// largest row sums of the exact sparse projections it adds.
  double valueBound(Value v) {
    Operation *def = v.getDefiningOp();
    if (!def)
      return integerBound(v);
    if (auto it = sparsePlans.find(def);
        it != sparsePlans.end() && it->second.exact)
      return double(it->second.bound);
    if (auto sum = dyn_cast<SumOp>(def)) {
      double total = 0;
      for (Value in : sum.getInputs())
        total += valueBound(in);
      return std::min(total, integerBound(v));
    }
    if (isa<FlattenOp, DelayOp>(def))
      return valueBound(def->getOperand(0));
    return integerBound(v);
  }
  /// Whether every value of `op`'s update provably fits 32 bits with the
  /// 32-bit primitives of snn_sparse.h (their preconditions).
  bool isNarrowNeuron(QNeuronOp op);
  /// Whether it fits 16 bits with the 16-bit primitives (their
  /// preconditions, on top of isNarrowNeuron's); then its states are int16_t.
  bool isNarrow16Neuron(QNeuronOp op);
  /// The C type of a neuron's membrane and current arrays.
  Type stateType(QNeuronOp op) { return isNarrow16Neuron(op) ? i16() : i32(); }
  /// One-step delays read as their input's own buffer (no ring, no copy):
  /// the buffer still holds the previous step when every reader of the
  /// delay runs before the op that writes it. Not with probes, which read
  /// every node's buffer after the step.
  llvm::DenseSet<Operation *> aliasedDelays;
  void planAliasedDelays(ArrayRef<Operation *> order);
  /// Sums read only by one neuron are added inside the neuron's loop
  /// (no buffer, no pass of their own); not with probes.
  llvm::DenseSet<Operation *> fusedSums;
  bool isFusedSum(Operation *op) {
    auto sum = dyn_cast<SumOp>(op);
    return sum && !options.probes && sum->hasOneUse() &&
           isa<QNeuronOp>(*sum->getUsers().begin()) &&
           !isa<BlockArgument>(sum.getInputs()[0]);
  }
  /// Event-driven tables without bias that one neuron loop reads (directly
  /// or through a fused sum), not with probes: the loop zeroes each
  /// accumulator as it reads it, a vector store, so that the next step needs
  /// no pass over the targets the last step's inputs reached.
  llvm::DenseSet<Operation *> consumedTables;
  void planConsumedTables(ArrayRef<Operation *> order);
  /// Consumed tables of one fused sum whose outputs share one element type
  /// and whose summed bounds fit it add into the first one's buffer: the
  /// sum is then that buffer, one load and one zeroing store per neuron.
  /// Maps each such table to the table whose buffer it adds into.
  llvm::DenseMap<Operation *, Operation *> sharedTables;
  void planSharedTables(ArrayRef<Operation *> order);
  /// x[j] of a buffer a neuron loop reads; zeroed if a consumed table's.
  Value readNeuronTerm(Value term, Value j, Type work) {
    Value memref = memrefOf(buffers[term]);
    Value x = load(memref, j);
    if (Operation *table = term.getDefiningOp();
        table && consumedTables.count(table))
      store(constant(0, buffers[term].element), memref, j);
    return convert(x, work);
  }
  /// The neuron input x[j]: its buffer, or the sum of a fused sum's.
  Value neuronInput(Value input, Value j, Type work) {
    auto sum = input.getDefiningOp<SumOp>();
    if (!sum || !fusedSums.count(sum))
      return readNeuronTerm(input, j, work);
    Value total = constant(0, work);
    for (Value operand : sum.getInputs())
      if (!sharedTables.count(operand.getDefiningOp()))
        total = b.create<arith::AddIOp>(loc, total,
                                        readNeuronTerm(operand, j, work));
    return total;
  }
  LogicalResult lowerSparse(QSparseOp op, const std::string &name);
  void lowerSparseExact(QSparseOp op, const Csr &byInput,
                        const SparsePlan &plan, const std::string &name);
  void lowerSparseGeneral(QSparseOp op, const Csr &byInput,
                          const std::string &name);
  /// `callee(operands)` with the given result types (none: a statement).
  Operation *callOpaque(StringRef callee, TypeRange results,
                        ValueRange operands) {
    SmallVector<Value> args;
    for (Value v : operands)
      args.push_back(asArray(v));
    return b.create<emitc::CallOpaqueOp>(loc, results, callee, args);
  }
  /// A buffer as the C array it becomes, for calls into the runtime (an
  /// EmitC call takes no memref); the cast is the identity after
  /// convertToEmitC.
  Value asArray(Value v) {
    auto type = dyn_cast<MemRefType>(v.getType());
    if (!type)
      return v;
    auto array = emitc::ArrayType::get(type.getShape(), type.getElementType());
    return b.create<UnrealizedConversionCastOp>(loc, TypeRange{array}, v)
        .getResult(0);
  }
  std::string cType(Type t) {
    return "i" + std::to_string(t.getIntOrFloatBitWidth());
  }
  /// Convolution (integer) or window sum: for every output position, every
  /// tap inside the input adds `tap(output channel, input index, tap index)`
  /// to the output's accumulator `acc`.
  void lowerWindows(const sim::Window &g, Value in, Value acc, bool convolution,
                    llvm::function_ref<Value(Value o, Value x, Value tap)> tap);
  LogicalResult lowerConv(Operation *op, const std::string &name);
  LogicalResult lowerPool(SumPool2dOp op, const std::string &name);
  /// `v` (index) as i64, and back.
  Value toI64(Value v) { return b.create<arith::IndexCastOp>(loc, i64(), v); }
  Value toIndex(Value v) {
    return b.create<arith::IndexCastOp>(loc, b.getIndexType(), v);
  }
  Value mul(Value a, int64_t c) {
    Value factor = a.getType().isIndex() ? index(c) : constant(c, a.getType());
    return b.create<arith::MulIOp>(loc, a, factor);
  }
  Value add(Value a, Value c) { return b.create<arith::AddIOp>(loc, a, c); }
  void when(Value condition, llvm::function_ref<void()> body) {
    auto ifOp = b.create<scf::IfOp>(loc, condition, /*withElse=*/false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(ifOp.thenBlock());
    body();
  }
  void lowerDelays(ArrayRef<DelayOp> delays, bool emit);
  /// An error about the whole network.
  LogicalResult fail(const std::string &message);
  /// What the C backend takes: a quantized network, one input, one output.
  LogicalResult checkNetwork();
  void emitIncludes();
  /// The step's input buffer (its first argument).
  void planInput();
  /// A delay's ring of past inputs, checked against the ring limit.
  LogicalResult planRing(DelayOp delay, const std::string &name);
  /// A global per signal and ring, the accumulators; `delays` in order.
  LogicalResult planBuffers(ArrayRef<Operation *> order,
                            SmallVectorImpl<DelayOp> &delays);
  LogicalResult lowerOp(Operation *op);
  /// `<prefix>_step(input, output)`: delays emit, ops run, delays store.
  LogicalResult emitStep(ArrayRef<Operation *> order,
                         ArrayRef<DelayOp> delays);
  /// `<prefix>_reset()`: every state buffer back to zero.
  void emitReset();
  void lowerSum(SumOp op, const Buffer &out);
  /// The 64-bit accumulators every projection, convolution and pool uses in
  /// turn (one array, as large as the largest of them needs).
  int64_t accumulatorSize = 0;
  Value accumulators() {
    return fetch(prefix + "_accumulators", i64(), accumulatorSize);
  }
  /// `void <prefix>_probe_<node>_<kind>(T out[size])` copying `global`.
  void addProbe(const std::string &node, const std::string &kind,
                const std::string &global, Type element, int64_t size,
                bool spikes, std::vector<double> unit);
  void addProbes(ArrayRef<Operation *> order);
};

/// A projection's weights as its kernel stores them: event-driven kernels
/// walk one input's weights ([in][out]), dense ones one output's
/// ([out][in]); compressed storage keeps the non-zero ones as (index,
/// weight) lists with offsets.
PackedWeights packWeights(const std::vector<int64_t> &w, int64_t rows,
                          int64_t cols, const KernelChoice &choice) {
  PackedWeights p;
  p.event = choice.accumulation == Accumulation::EventDriven;
  p.compressed = choice.storage == Storage::Compressed;
  p.lists = p.event ? cols : rows;
  p.length = p.event ? rows : cols;
  p.offsets.push_back(0);
  for (int64_t l = 0; l < p.lists; ++l) {
    for (int64_t k = 0; k < p.length; ++k) {
      int64_t v = p.event ? w[k * cols + l] : w[l * cols + k];
      if (p.compressed && v == 0)
        continue;
      p.weights.push_back(v);
      if (p.compressed)
        p.indices.push_back(k);
    }
    p.offsets.push_back(int64_t(p.weights.size()));
  }
  return p;
}

LogicalResult Lowering::checkArray(Operation *op, StringRef what,
                                   std::optional<int64_t> elements) {
  if (!elements || *elements > limits::kMaxDenseElements) {
    InFlightDiagnostic diag = op->emitOpError() << what << " needs ";
    if (elements)
      diag << *elements;
    else
      diag << "more than 2^63";
    return diag << " elements in a C array, more than the limit of "
                << limits::kMaxDenseElements;
  }
  if (*elements <= 0)
    return op->emitOpError() << what << " would be a C array of no elements";
  return success();
}

void Lowering::projectionArrays(const PackedWeights &p, Type weightType,
                                const std::string &name, ProjectionView &v) {
  v.packed = &p;
  // An all-zero compressed weight stores nothing: no zero-sized arrays.
  if (!p.weights.empty())
    v.weight = fetch(constantGlobal(name + "_weight", weightType, p.weights),
                     weightType, p.weights.size());
  Type indexType = p.length <= 32767 ? b.getI16Type() : i32();
  if (p.compressed) {
    if (!p.indices.empty())
      v.index = fetch(constantGlobal(name + "_index", indexType, p.indices),
                      indexType, p.indices.size());
    if (!p.indices.empty()) // read only where there are entries (forEntries)
      v.offset = fetch(constantGlobal(name + "_offsets", i32(), p.offsets),
                       i32(), p.offsets.size());
  }
}

std::pair<Value, Value> Lowering::listBounds(const ProjectionView &v,
                                             Value l) {
  if (!v.packed->compressed)
    return {index(0), index(v.packed->length)};
  return {toIndex(load(v.offset, l)), toIndex(load(v.offset, add(l, index(1))))};
}

std::pair<Value, Value> Lowering::listEntry(const ProjectionView &v, Value l,
                                            Value e) {
  if (!v.packed->compressed)
    return {e, convert(load(v.weight, flat(l, v.packed->length, e)), i64())};
  Value k = toIndex(convert(load(v.index, e), i64()));
  return {k, convert(load(v.weight, e), i64())};
}

void Lowering::forEntries(const ProjectionView &v, Value l,
                          llvm::function_ref<void(Value k, Value w)> visit) {
  if (v.packed->compressed && v.packed->indices.empty())
    return;
  auto [begin, end] = listBounds(v, l);
  auto f = b.create<scf::ForOp>(loc, begin, end, index(1));
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(f.getBody());
  auto [k, wv] = listEntry(v, l, f.getInductionVar());
  visit(k, wv);
}

Value Lowering::sumEntries(const ProjectionView &v, Value l,
                           llvm::function_ref<Value(Value j, Value w)> term) {
  if (v.packed->compressed && v.packed->indices.empty())
    return constant(0, i64());
  auto [begin, end] = listBounds(v, l);
  // Summed in a local variable: a store per term into the accumulator
  // array could alias the input.
  auto f = b.create<scf::ForOp>(
      loc, begin, end, index(1), ValueRange{constant(0, i64())},
      [&](OpBuilder &, Location, Value e, ValueRange partial) {
        auto [j, wv] = listEntry(v, l, e);
        b.create<scf::YieldOp>(loc, ValueRange{add(partial[0], term(j, wv))});
      });
  return f.getResult(0);
}

void Lowering::scatterProjection(const ProjectionView &v, Value in, Value acc,
                                 Value blk, int64_t rows, int64_t cols) {
  // Every non-zero input adds its weights, times itself, to the outputs.
  loop(cols, [&](Value j) {
    Value x = load(in, flat(blk, cols, j));
    when(b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::ne, x,
                                 constant(0, x.getType())),
         [&] {
           Value xv = convert(x, i64());
           forEntries(v, j, [&](Value k, Value wv) {
             Value slot = flat(blk, rows, k);
             Value product = b.create<arith::MulIOp>(loc, wv, xv);
             store(add(load(acc, slot), product), acc, slot);
           });
         });
  });
}

void Lowering::gatherProjection(const ProjectionView &v, Value in, Value acc,
                                Value blk, int64_t rows, int64_t cols) {
  loop(rows, [&](Value k) {
    Value sum = sumEntries(v, k, [&](Value j, Value wv) {
      return b
          .create<arith::MulIOp>(loc, wv,
                                 convert(load(in, flat(blk, cols, j)), i64()))
          .getResult();
    });
    store(sum, acc, flat(blk, rows, k));
  });
}

void Lowering::projectionOutput(Operation *op, const std::vector<int64_t> &bias,
                                const std::string &name, Value acc,
                                int64_t rows, int64_t blocks) {
  const Buffer &outBuffer = buffers[op->getResult(0)];
  Value out = memrefOf(outBuffer);
  auto expAttr = op->getAttrOfType<IntegerAttr>("weight_exp");
  int64_t exp = expAttr ? expAttr.getInt() : 0;
  int64_t scale = int64_t(1) << std::max<int64_t>(exp, 0);
  int64_t accBits = op->getAttrOfType<IntegerAttr>("acc_bits").getInt();
  Overflow overflow = op->getAttrOfType<OverflowAttr>("overflow").getValue();
  loop(blocks, [&](Value blk) {
    loop(rows, [&](Value k) {
      Value slot = flat(blk, rows, k);
      Value sum = mul(load(acc, slot), scale);
      if (exp < 0) // Lava's Dense: the sum shifted right (floor)
        sum = call("snn_floor_shift", {sum, constant(-exp, i32())});
      Value total = add(sum, param(name + "_bias", bias, k));
      Value y = fit(total, accBits, overflow);
      store(convert(y, outBuffer.element), out, slot);
    });
  });
}

LogicalResult Lowering::lowerProjection(QLinearOp op, const std::string &name) {
  ArrayRef<int64_t> shape = op.getWeight().getType().getShape();
  int64_t rows = shape[0], cols = shape[1];
  // Checked before the weights are read: a huge splat is never expanded.
  if (failed(checkArray(op, "the weight", limits::checkedMul(rows, cols))))
    return failure();
  int64_t blocks = getSignalSize(op.getInput()) / cols;
  Type weightType =
      op.getWeightBitsAttr().getInt() <= 8 ? i8() : b.getI16Type();
  std::vector<int64_t> w = intValues(op.getWeight());
  int64_t nonzero =
      std::count_if(w.begin(), w.end(), [](int64_t v) { return v; });
  KernelChoice choice =
      chooseKernel(rows, cols, nonzero, weightType.getIntOrFloatBitWidth() / 8,
                   activityOf(op.getInput()));
  interface.kernels.push_back({name, choice});
  PackedWeights packed = packWeights(w, rows, cols, choice);
  ProjectionView view;
  projectionArrays(packed, weightType, name, view);
  // Fetched in this order (input, then output) so that the C declares them
  // as it always has.
  Value acc = accumulators();
  Value in = memrefOf(buffers[op.getInput()]);
  (void)memrefOf(buffers[op.getResult()]);
  loop(rows * blocks, [&](Value k) { store(constant(0, i64()), acc, k); });
  loop(blocks, [&](Value blk) {
    if (packed.event)
      scatterProjection(view, in, acc, blk, rows, cols);
    else
      gatherProjection(view, in, acc, blk, rows, cols);
  });
  projectionOutput(op,
                   op.getBiasAttr() ? intValues(op.getBiasAttr())
                                    : std::vector<int64_t>(rows, 0),
                   name, acc, rows, blocks);
  return success();
}

LogicalResult Lowering::lowerNeuron(QNeuronOp op, const std::string &name) {
  int64_t n = getSignalSize(op.getResult());
  bool current = static_cast<bool>(op.getIBitsAttr());
  bool fires = static_cast<bool>(op.getVThresholdAttr());
  int64_t vBits = op.getVBitsAttr().getInt();
  int64_t shift = op.getDecayShiftAttr() ? op.getDecayShiftAttr().getInt() : 0;
  Overflow overflow = op.getOverflow();
  // Narrow neurons compute in 16 or 32 bits through snn_sparse.h, which
  // compilers vectorize; the others in 64 bits through snn_arith.h.
  bool narrow16 = isNarrow16Neuron(op);
  bool narrow = narrow16 || isNarrowNeuron(op);
  usesSparseRuntime |= narrow;
  Type work = narrow16 ? i16() : narrow ? i32() : i64();
  Type state = stateType(op);
  std::string suffix = narrow16 ? "16" : narrow ? "32" : "";
  auto callW = [&](StringRef callee, ValueRange operands) -> Value {
    return callOpaque((callee + suffix).str(), {work}, operands)->getResult(0);
  };
  // fit(a + x): in 16 bits one primitive, whose sum never leaves int16_t.
  auto addFit = [&](Value a, Value x, int64_t bits, Overflow how) {
    Value width = constant(bits, i32());
    Value mode = constant(static_cast<int64_t>(how), i32());
    if (narrow16)
      return callW("snn_add_fit", {a, x, width, mode});
    return callW("snn_fit", {b.create<arith::AddIOp>(loc, a, x), width, mode});
  };
  auto ints = [&](Attribute attr, int64_t absent) {
    return attr ? IntParam(attr).expand(n) : std::vector<int64_t>(n, absent);
  };
  std::string v = global(name + "_v", state, n, {}, false);
  std::string i = current ? global(name + "_i", state, n, {}, false) : "";
  bool nextStep = fires && *op.getResetTiming() == ResetTiming::NextStep;
  std::string s = nextStep ? global(name + "_s", i8(), n, {}, false) : "";
  const Buffer &outBuffer = buffers[op.getResult()];
  Value out = memrefOf(outBuffer);
  // The network's output is stored where the caller reads it in the same
  // loop: no copy of the whole output after the step.
  Value callerOut;
  if (stepArguments.size() == 2 &&
      network.getOutputOp().getOutputs()[0] == op.getResult() &&
      !isa<BlockArgument>(op.getResult())) {
    callerOut = stepArguments[1];
    outputStoredByNeuron = true;
  }
  auto storeOut = [&](Value y, Value j) {
    store(y, out, j);
    if (callerOut)
      store(y, callerOut, j);
  };
  auto decay = [&](Value state, Attribute constantAttr, const std::string &what,
                   Value j) -> Value {
    if (!constantAttr)
      return state;
    Value m = param(name + "_" + what, ints(constantAttr, 0), j);
    return callW("snn_decay",
                {state, constant(op.getDecay() == DecayArith::Shift, i32()),
                 convert(m, work),
                 constant(shift, i32()),
                 constant(static_cast<int64_t>(op.getRounding()), i32())});
  };
  loop(n, [&](Value j) {
    Value x = neuronInput(op.getInput(), j, work);
    if (op.getInputShiftAttr() || op.getInputBitsAttr())
      x = call("snn_shift_input",
               {x,
                constant(op.getInputShiftAttr()
                             ? op.getInputShiftAttr().getInt()
                             : 0,
                         i32()),
                constant(op.getInputBitsAttr() ? op.getInputBitsAttr().getInt()
                                               : 0,
                         i32())});
    Value drive = x;
    if (current) {
      Value iMem = fetch(i, state, n);
      Value kept = decay(convert(load(iMem, j), work), op.getIDecayAttr(),
                         "i_decay", j);
      drive = addFit(kept, x, op.getIBitsAttr().getInt(),
                     op.getIOverflow().value_or(overflow));
      store(convert(drive, state), iMem, j);
    }
    Value vMem = fetch(v, state, n);
    Value kept =
        decay(convert(load(vMem, j), work), op.getVDecayAttr(), "v_decay", j);
    // The bias joins the input (the 16-bit primitive adds one term; the
    // wider sums are exact in either order).
    if (op.getVBiasAttr())
      drive = b.create<arith::AddIOp>(
          loc, drive,
          convert(param(name + "_v_bias", ints(op.getVBiasAttr(), 0), j),
                  work));
    Value u = addFit(kept, drive, vBits, overflow);
    if (!fires) {
      store(convert(u, state), vMem, j);
      storeOut(convert(u, outBuffer.element), j);
      return;
    }
    Value theta = convert(
        param(name + "_threshold", ints(op.getVThresholdAttr(), 0), j), work);
    auto predicate = *op.getSpike() == SpikeCondition::GreaterEqual
                         ? arith::CmpIPredicate::sge
                         : arith::CmpIPredicate::sgt;
    auto fire = [&](Value m) {
      return b.create<arith::CmpIOp>(loc, predicate, m, theta).getResult();
    };
    auto reset = [&](Value m) -> Value {
      if (*op.getReset() == ResetMode::Subtract)
        return addFit(m, b.create<arith::SubIOp>(loc, constant(0, work), theta),
                      vBits, overflow);
      return convert(param(name + "_v_reset", ints(op.getVResetAttr(), 0), j),
                     work);
    };
    Value spike, next;
    if (nextStep) {
      Value sMem = fetch(s, i8(), n);
      Value previous = b.create<arith::CmpIOp>(
          loc, arith::CmpIPredicate::ne, load(sMem, j), constant(0, i8()));
      next = b.create<arith::SelectOp>(loc, previous, reset(u), u);
      spike = fire(next);
      store(b.create<arith::ExtUIOp>(loc, i8(), spike), sMem, j);
    } else {
      spike = fire(u);
      next = b.create<arith::SelectOp>(loc, spike, reset(u), u);
    }
    store(convert(next, state), vMem, j);
    storeOut(b.create<arith::ExtUIOp>(loc, outBuffer.element, spike), j);
  });
  return success();
}

void Lowering::lowerWindows(
    const sim::Window &g, Value in, Value acc, bool convolution,
    llvm::function_ref<Value(Value o, Value x, Value tap)> tap) {
  // A pooled channel reads its own input channel; convolution groups
  // unroll here, so that no loop divides.
  int64_t groups = convolution ? g.groups : 1;
  int64_t inPerGroup = convolution ? g.channels / g.groups : 1;
  int64_t outPerGroup = g.outChannels / groups;
  // The input position out·stride + tap·dilation − pad (signed: padding
  // makes it negative) and whether it lies inside [0, size).
  auto windowTap = [&](Value out, Value tap, int64_t stride, int64_t dilation,
                       int64_t pad, int64_t size) {
    Value at = b.create<arith::SubIOp>(
        loc, add(mul(toI64(out), stride), mul(toI64(tap), dilation)),
        constant(pad, i64()));
    Value inside = b.create<arith::AndIOp>(
        loc,
        b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::sge, at,
                                constant(0, i64())),
        b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::slt, at,
                                constant(size, i64())));
    return std::make_pair(at, inside);
  };
  for (int64_t group = 0; group < groups; ++group) {
    loop(outPerGroup, [&](Value og) {
      Value o = add(og, index(group * outPerGroup));
      Value first = convolution ? index(group * inPerGroup) : o;
      loop(g.outHeight, [&](Value oy) {
        loop(g.outWidth, [&](Value ox) {
          Value slot = flat(flat(o, g.outHeight, oy), g.outWidth, ox);
          loop(inPerGroup, [&](Value cg) {
            Value c = add(first, cg);
            loop(g.kh, [&](Value ky) {
              std::pair<Value, Value> row =
                  windowTap(oy, ky, g.sh, g.dh, g.ph, g.height);
              Value iy = row.first, rowOk = row.second;
              when(rowOk, [&] {
                loop(g.kw, [&](Value kx) {
                  std::pair<Value, Value> col =
                      windowTap(ox, kx, g.sw, g.dw, g.pw, g.width);
                  Value ix = col.first, colOk = col.second;
                  when(colOk, [&] {
                    Value inIndex = flat(flat(c, g.height, toIndex(iy)),
                                         g.width, toIndex(ix));
                    Value tapIndex =
                        flat(flat(flat(o, inPerGroup, cg), g.kh, ky), g.kw, kx);
                    Value x = convert(load(in, inIndex), i64());
                    store(add(load(acc, slot), tap(o, x, tapIndex)), acc, slot);
                  });
                });
              });
            });
          });
        });
      });
    });
  }
}

LogicalResult Lowering::lowerConv(Operation *op, const std::string &name) {
  sim::Window g = sim::windowOf(op);
  auto weightAttr = op->getAttrOfType<DenseIntElementsAttr>("weight");
  int64_t weightBits = op->getAttrOfType<IntegerAttr>("weight_bits").getInt();
  Type weightType = weightBits <= 8 ? i8() : b.getI16Type();
  if (failed(checkArray(op, "the kernel",
                        limits::checkedProduct(
                            weightAttr.getType().getShape()))))
    return failure();
  std::vector<int64_t> weights = intValues(weightAttr);
  Value weight = fetch(constantGlobal(name + "_weight", weightType, weights),
                       weightType, weights.size());
  auto biasAttr = op->getAttrOfType<DenseIntElementsAttr>("bias");
  std::vector<int64_t> bias =
      biasAttr ? intValues(biasAttr) : std::vector<int64_t>(g.outChannels, 0);
  int64_t outSize = g.outChannels * g.outHeight * g.outWidth;
  Value acc =
      accumulators();
  Value in = memrefOf(buffers[op->getOperand(0)]);
  const Buffer &outBuffer = buffers[op->getResult(0)];
  Value out = memrefOf(outBuffer);
  loop(outSize, [&](Value k) { store(constant(0, i64()), acc, k); });
  lowerWindows(
      g, in, acc, /*convolution=*/true, [&](Value, Value x, Value tap) {
        return b
            .create<arith::MulIOp>(loc, x, convert(load(weight, tap), i64()))
            .getResult();
      });
  auto expAttr = op->getAttrOfType<IntegerAttr>("weight_exp");
  int64_t exp = expAttr ? expAttr.getInt() : 0;
  int64_t scale = int64_t(1) << std::max<int64_t>(exp, 0);
  int64_t pixels = g.outHeight * g.outWidth;
  int64_t accBits = op->getAttrOfType<IntegerAttr>("acc_bits").getInt();
  Overflow overflow = op->getAttrOfType<OverflowAttr>("overflow").getValue();
  loop(g.outChannels, [&](Value o) {
    Value bo = param(name + "_bias", bias, o);
    loop(pixels, [&](Value p) {
      Value slot = flat(o, pixels, p);
      Value sum = mul(load(acc, slot), scale);
      if (exp < 0)
        sum = call("snn_floor_shift", {sum, constant(-exp, i32())});
      Value total = add(sum, bo);
      store(convert(fit(total, accBits, overflow), outBuffer.element), out,
            slot);
    });
  });
  return success();
}

LogicalResult Lowering::lowerPool(SumPool2dOp op, const std::string &name) {
  sim::Window g = sim::windowOf(op);
  int64_t outSize = g.outChannels * g.outHeight * g.outWidth;
  Value acc =
      accumulators();
  Value in = memrefOf(buffers[op.getInput()]);
  const Buffer &outBuffer = buffers[op.getResult()];
  Value out = memrefOf(outBuffer);
  loop(outSize, [&](Value k) { store(constant(0, i64()), acc, k); });
  lowerWindows(g, in, acc, /*convolution=*/false,
               [&](Value, Value x, Value) { return x; });
  loop(outSize, [&](Value k) {
    store(convert(load(acc, k), outBuffer.element), out, k);
  });
  return success();
}

void Lowering::lowerSum(SumOp op, const Buffer &out) {
  Value outMem = memrefOf(out);
  // A 32-bit result is bounded by 2^31 - 1 (integerBound): so is its sum.
  Type work = out.element.getIntOrFloatBitWidth() <= 32 ? i32() : i64();
  loop(out.size, [&](Value j) {
    Value total = constant(0, work);
    for (Value operand : op.getInputs())
      total = b.create<arith::AddIOp>(
          loc, total, convert(load(memrefOf(buffers[operand]), j), work));
    store(convert(total, out.element), outMem, j);
  });
}

/// Delays keep a ring of their last D inputs. `emit` writes each delay's
/// output for this step (the input of t - d, zero before); otherwise each
/// delay stores this step's input into the ring.
void Lowering::lowerDelays(ArrayRef<DelayOp> delays, bool emit) {
  Value timeMem = fetch(prefix + "_time", i64(), 1);
  Value t = load(timeMem, index(0));
  for (DelayOp op : delays) {
    if (aliasedDelays.count(op))
      continue;
    const Buffer &out = buffers[op.getResult()];
    std::vector<int64_t> steps = IntParam(op.getStepsAttr()).expand(out.size);
    int64_t depth = *std::max_element(steps.begin(), steps.end());
    std::string name = identifier(nodeKey(op));
    std::string ringName = prefix + "_" + name + "_ring";
    Value ring = fetch(ringName, out.element, depth * out.size);
    if (!emit) {
      Value slot = b.create<arith::IndexCastOp>(
          loc, b.getIndexType(),
          b.create<arith::RemSIOp>(loc, t, constant(depth, i64())));
      Value in = memrefOf(buffers[op.getInput()]);
      loop(out.size, [&](Value j) {
        store(convert(load(in, j), out.element), ring, flat(slot, out.size, j));
      });
      continue;
    }
    Value outMem = memrefOf(out);
    loop(out.size, [&](Value j) {
      Value d = param(name + "_steps", steps, j);
      Value ready =
          b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::sge, t, d);
      // (t - d) mod depth is in range only when ready; 0 is a safe slot else.
      Value back = b.create<arith::SelectOp>(
          loc, ready, b.create<arith::SubIOp>(loc, t, d), constant(0, i64()));
      Value slot = b.create<arith::IndexCastOp>(
          loc, b.getIndexType(),
          b.create<arith::RemSIOp>(loc, back, constant(depth, i64())));
      Value stored = load(ring, flat(slot, out.size, j));
      store(b.create<arith::SelectOp>(loc, ready, stored,
                                      constant(0, out.element)),
            outMem, j);
    });
  }
}

//===----------------------------------------------------------------------===//
// Sparse projections
//===----------------------------------------------------------------------===//

Lowering::SparsePlan Lowering::planSparse(QSparseOp op) {
  SparsePlan plan;
  int64_t rows = getSignalSize(op.getResult());
  int64_t exp = op.getWeightExpAttr() ? op.getWeightExpAttr().getInt() : 0;
  // The exact kernel adds spikes into outputs of at most 32 bits.
  if (!isSpikes(op.getInput().getType()) || exp < 0 || exp > 14)
    return plan;
  std::vector<int64_t> offsets = intValues(op.getOffsets());
  std::vector<int64_t> values = intValues(op.getValues());
  std::vector<int64_t> bias = op.getBiasAttr() ? intValues(op.getBiasAttr())
                                               : std::vector<int64_t>();
  int64_t largest = 0, bound = 0;
  for (int64_t r = 0; r < rows; ++r) {
    int64_t sum = bias.empty() ? 0 : std::abs(bias[r]);
    for (int64_t e = offsets[r]; e < offsets[r + 1]; ++e) {
      largest = std::max(largest, std::abs(values[e]) << exp);
      sum += std::abs(values[e]) << exp; // < 2^31 · 2^15 · 2^14: no overflow
    }
    bound = std::max(bound, sum);
  }
  // No output ever leaves the accumulator's range, so fitting is the
  // identity and each output is its exact sum (docs/quantization.md).
  if (bound > signedMax(op.getAccBitsAttr().getInt()) || largest > 32767)
    return plan;
  plan.exact = true;
  plan.bound = bound;
  plan.weight = largest <= 127 ? i8() : b.getI16Type();
  plan.target = rows <= 32767 ? b.getI16Type() : i32();
  plan.out = bound <= 32767 ? b.getI16Type() : i32();
  return plan;
}

/// Whether every value of a neuron parameter over n neurons lies in
/// [low, high]; an absent one does.
static bool paramWithin(Attribute attr, int64_t n, int64_t low, int64_t high) {
  if (!attr)
    return true;
  return llvm::all_of(IntParam(attr).expand(n),
                      [&](int64_t v) { return v >= low && v <= high; });
}

bool Lowering::isNarrowNeuron(QNeuronOp op) {
  auto narrowOverflow = [](Overflow o) {
    return o == Overflow::Saturate || o == Overflow::Wrap;
  };
  if (op.getRounding() == Rounding::TowardZero ||
      !narrowOverflow(op.getOverflow()) ||
      !narrowOverflow(op.getIOverflow().value_or(op.getOverflow())) ||
      op.getInputShiftAttr() || op.getInputBitsAttr())
    return false;
  if (op.getVBitsAttr().getInt() > 16 ||
      (op.getIBitsAttr() && op.getIBitsAttr().getInt() > 16))
    return false;
  // s · m < 2^15 · 2^15 and shifts below 16; the input's bound plus a
  // 16-bit state and bias stays below 2^30.
  int64_t n = getSignalSize(op.getResult());
  auto within = [&](Attribute attr, int64_t limit) {
    return paramWithin(attr, n, -limit, limit);
  };
  int64_t shift = op.getDecayShiftAttr() ? op.getDecayShiftAttr().getInt() : 0;
  bool multiply = op.getDecay() == DecayArith::Multiply;
  if ((multiply && shift > 15) ||
      !within(op.getVDecayAttr(), multiply ? 32768 : 15) ||
      !within(op.getIDecayAttr(), multiply ? 32768 : 15) ||
      !within(op.getVBiasAttr(), 32767))
    return false;
  return integerBound(op.getInput()) <= double(1 << 29);
}

bool Lowering::isNarrow16Neuron(QNeuronOp op) {
  if (!isNarrowNeuron(op))
    return false;
  int64_t n = getSignalSize(op.getResult());
  auto largest = [&](Attribute attr) -> int64_t {
    int64_t most = 0;
    if (attr)
      for (int64_t v : IntParam(attr).expand(n))
        most = std::max(most, std::abs(v));
    return most;
  };
  auto within = [&](Attribute attr, int64_t low, int64_t high) {
    return paramWithin(attr, n, low, high);
  };
  // Decays never grow the state (multipliers 0..2^k, shifts 0..15), so the
  // decayed state stays inside its range; snn_decay_multiply16 takes
  // multipliers up to 32767.
  int64_t shift = op.getDecayShiftAttr() ? op.getDecayShiftAttr().getInt() : 0;
  int64_t top = op.getDecay() == DecayArith::Multiply
                    ? std::min<int64_t>(int64_t(1) << shift, 32767)
                    : 15;
  int64_t vBits = op.getVBitsAttr().getInt();
  int64_t vMax = (int64_t(1) << (vBits - 1)) - 1;
  if (!within(op.getVDecayAttr(), 0, top) ||
      !within(op.getIDecayAttr(), 0, top) ||
      !within(op.getVThresholdAttr(), -32767, 32767) ||
      !within(op.getVResetAttr(), -vMax - 1, vMax))
    return false;
  // snn_add_fit16's terms: 16-bit, and within 2^bits - 1 when saturating.
  auto addable = [](double bound, int64_t bits, Overflow how) {
    return bound <= 32767.0 &&
           (how == Overflow::Wrap || bound <= double((int64_t(1) << bits) - 1));
  };
  Overflow overflow = op.getOverflow();
  double drive = valueBound(op.getInput());
  if (op.getIBitsAttr()) {
    int64_t iBits = op.getIBitsAttr().getInt();
    if (!addable(drive, iBits, op.getIOverflow().value_or(overflow)))
      return false;
    drive = double(int64_t(1) << (iBits - 1));
  }
  if (!addable(drive + double(largest(op.getVBiasAttr())), vBits, overflow))
    return false;
  return !(op.getVThresholdAttr() && *op.getReset() == ResetMode::Subtract &&
           !addable(double(largest(op.getVThresholdAttr())), vBits, overflow));
}

void Lowering::planAliasedDelays(ArrayRef<Operation *> order) {
  if (options.probes)
    return;
  llvm::DenseMap<Operation *, size_t> position;
  for (auto [k, op] : llvm::enumerate(order))
    position[op] = k;
  for (Operation *op : order) {
    auto delay = dyn_cast<DelayOp>(op);
    if (!delay || !delay.getStepsAttr())
      continue;
    std::vector<int64_t> steps = IntParam(delay.getStepsAttr())
                                     .expand(getSignalSize(delay.getResult()));
    Operation *writer = delay.getInput().getDefiningOp();
    if (llvm::any_of(steps, [](int64_t d) { return d != 1; }) || !writer ||
        isa<FlattenOp, QuantizeOp, DelayOp>(writer) ||
        !position.count(writer))
      continue;
    bool early = llvm::all_of(delay->getUsers(), [&](Operation *user) {
      return !isa<FlattenOp, QuantizeOp, DelayOp>(user) &&
             position.count(user) && position[user] < position[writer];
    });
    if (early)
      aliasedDelays.insert(op);
  }
}

void Lowering::planConsumedTables(ArrayRef<Operation *> order) {
  if (options.probes)
    return;
  for (Operation *op : order) {
    auto table = dyn_cast<QSparseOp>(op);
    if (!table || !sparsePlans.lookup(op).exact || !table->hasOneUse() ||
        (table.getBiasAttr() &&
         llvm::any_of(intValues(table.getBiasAttr()),
                      [](int64_t v) { return v != 0; })))
      continue;
    Operation *reader = *table->getUsers().begin();
    if (isa<QNeuronOp>(reader) || isFusedSum(reader))
      consumedTables.insert(op);
  }
}

void Lowering::planSharedTables(ArrayRef<Operation *> order) {
  // The host is the earliest of its tables in `order`, so that its buffer
  // is planned before the others take it.
  llvm::DenseMap<Operation *, Operation *> hostOf; // fused sum -> host
  llvm::DenseMap<Operation *, int64_t> bounds;     // host -> summed bound
  for (Operation *table : order) {
    if (!consumedTables.count(table))
      continue;
    Operation *sum = *table->getUsers().begin();
    if (!isFusedSum(sum))
      continue;
    const SparsePlan &plan = sparsePlans[table];
    auto [host, first] = hostOf.try_emplace(sum, table);
    if (first) {
      bounds[table] = plan.bound;
      continue;
    }
    int64_t &bound = bounds[host->second];
    if (plan.out != sparsePlans[host->second].out ||
        bound + plan.bound > signedMax(plan.out.getIntOrFloatBitWidth()))
      continue;
    bound += plan.bound;
    sharedTables[table] = host->second;
  }
}

LogicalResult Lowering::lowerSparse(QSparseOp op, const std::string &name) {
  Csr byInput = csrOf(op).transposed();
  SparsePlan plan = sparsePlans.lookup(op);
  interface.kernels.push_back(
      {name, sparseKernel(byInput.cols, byInput.rows, byInput.nonzeros(),
                          plan.exact ? plan.weight.getIntOrFloatBitWidth() / 8
                          : op.getWeightBitsAttr().getInt() <= 8 ? 1
                                                                 : 2,
                          plan.exact ? plan.target.getIntOrFloatBitWidth() / 8
                          : byInput.cols <= 32767 ? 2
                                                  : 4,
                          activityOf(op.getInput()))});
  if (plan.exact)
    lowerSparseExact(op, byInput, plan, name);
  else
    lowerSparseGeneral(op, byInput, name);
  return success();
}

void Lowering::lowerSparseExact(QSparseOp op, const Csr &byInput,
                                const SparsePlan &plan,
                                const std::string &name) {
  usesSparseRuntime = true;
  int64_t rows = byInput.cols, cols = byInput.rows;
  int64_t exp = op.getWeightExpAttr() ? op.getWeightExpAttr().getInt() : 0;
  std::vector<int64_t> weights = byInput.values;
  for (int64_t &w : weights)
    w *= int64_t(1) << exp;
  std::string suffix = cType(plan.weight) + "_" + cType(plan.target) + "_" +
                       cType(plan.out);
  const Buffer &outBuffer = buffers[op.getResult()];
  Value out = memrefOf(outBuffer);
  Value in = memrefOf(buffers[op.getInput()]);
  // The inputs that were non-zero in the previous step, and how many (not
  // needed when the neuron loop zeroes the outputs, consumedTables).
  bool consumed = consumedTables.count(op);
  Value active = fetch(global(name + "_active", i32(), cols, {}, false), i32(),
                       cols);
  Value count;
  if (!consumed)
    count = fetch(global(name + "_count", i32(), 1, {}, false), i32(), 1);
  std::vector<int64_t> bias = op.getBiasAttr() ? intValues(op.getBiasAttr())
                                               : std::vector<int64_t>();
  bool hasBias = llvm::any_of(bias, [](int64_t v) { return v != 0; });
  Value biasMem;
  if (hasBias)
    biasMem = fetch(constantGlobal(name + "_bias", plan.out, bias), plan.out,
                    rows);
  if (hasBias) {
    // reset() zeroes every buffer; the first step starts from the bias.
    Value t = load(fetch(prefix + "_time", i64(), 1), index(0));
    when(b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, t,
                                 constant(0, i64())),
         [&] { loop(rows, [&](Value r) { store(load(biasMem, r), out, r); }); });
  }
  if (!weights.empty()) {
    Value offsets = fetch(constantGlobal(name + "_offsets", i32(),
                                         byInput.offsets),
                          i32(), cols + 1);
    Value targets = fetch(constantGlobal(name + "_targets", plan.target,
                                         byInput.indices),
                          plan.target, byInput.indices.size());
    Value weightMem = fetch(constantGlobal(name + "_weights", plan.weight,
                                           weights),
                            plan.weight, weights.size());
    // Only the outputs the previous step's inputs reached differ from the
    // bias: put those back, instead of clearing every output (unless the
    // neuron loop reading them has, consumedTables).
    if (hasBias)
      callOpaque("snn_sparse_restore_" + suffix, {},
                 {active, load(count, index(0)), offsets, targets, biasMem,
                  out});
    else if (!consumed)
      callOpaque("snn_sparse_clear_" + suffix, {},
                 {active, load(count, index(0)), offsets, targets, out});
    Value now = callOpaque("snn_active_i8", {i32()},
                           {in, constant(cols, i32()), active})
                    ->getResult(0);
    if (!consumed)
      store(now, count, index(0));
    callOpaque("snn_sparse_add_spikes_" + suffix, {},
               {active, now, offsets, targets, weightMem, out});
  }
}

void Lowering::lowerSparseGeneral(QSparseOp op, const Csr &byInput,
                                  const std::string &name) {
  int64_t rows = byInput.cols, cols = byInput.rows;
  PackedWeights packed;
  packed.event = packed.compressed = true;
  packed.lists = cols;
  packed.length = rows;
  packed.weights = byInput.values;
  packed.indices = byInput.indices;
  packed.offsets = byInput.offsets;
  Type weightType =
      op.getWeightBitsAttr().getInt() <= 8 ? i8() : b.getI16Type();
  ProjectionView view;
  projectionArrays(packed, weightType, name, view);
  Value acc = accumulators();
  Value in = memrefOf(buffers[op.getInput()]);
  loop(rows, [&](Value k) { store(constant(0, i64()), acc, k); });
  scatterProjection(view, in, acc, index(0), rows, cols);
  projectionOutput(op,
                   op.getBiasAttr() ? intValues(op.getBiasAttr())
                                    : std::vector<int64_t>(rows, 0),
                   name, acc, rows, 1);
}

LogicalResult Lowering::fail(const std::string &message) {
  InFlightDiagnostic diag = network.emitError();
  if (!caller.empty())
    diag << caller << ": ";
  return diag << message;
}

LogicalResult Lowering::checkNetwork() {
  if (!quant::isQuantized(network))
    return fail("the network is not quantized; run snn-quantize first");
  FunctionType type = network.getFunctionType();
  if (type.getNumInputs() != 1 || type.getNumResults() != 1)
    return fail("the C backend takes networks with one input and one output");
  if (isa<BlockArgument>(network.getOutputOp().getOutputs()[0]))
    return fail("the network's output is its input");
  return success();
}

void Lowering::emitIncludes() {
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(module.getBody());
  b.create<emitc::IncludeOp>(loc, "stdbool.h", true);
  b.create<emitc::IncludeOp>(loc, "stddef.h", true);
  b.create<emitc::IncludeOp>(loc, "stdint.h", true);
  b.create<emitc::IncludeOp>(loc, "snn_arith.h", false);
  if (!network.getBodyBlock().getOps<XyloOp>().empty())
    b.create<emitc::IncludeOp>(loc, "snn_xylo.h", false);
}

XyloLoopContext Lowering::xyloContext() {
  return XyloLoopContext{
      b, loc,
      [this](const std::string &name, Type element, int64_t size) {
        return global(name, element, size, {}, false);
      },
      [this](const std::string &name, Type element, ArrayRef<int64_t> values) {
        return constantGlobal(name, element, values);
      },
      [this](const std::string &symbol, Type element, int64_t size) {
        return fetch(symbol, element, size);
      }};
}

void Lowering::planInput() {
  BlockArgument input = network.getBodyBlock().getArgument(0);
  Buffer in;
  in.argument = 0;
  in.size = getSignalSize(input);
  in.element = isSpikes(input.getType()) ? i8() : i32();
  buffers[input] = in;
  interface.inputSize = in.size;
  interface.inputSpikes = isSpikes(input.getType());
  interface.inputBits = in.element.getIntOrFloatBitWidth();
  // snn.xylo reads event counts (docs/semantics.md, "Xylo cores").
  interface.inputCounts =
      interface.inputSpikes && !input.use_empty() &&
      llvm::all_of(input.getUsers(),
                   [](Operation *user) { return isa<XyloOp>(user); });
}

LogicalResult Lowering::planRing(DelayOp delay, const std::string &name) {
  if (!delay.getStepsAttr())
    return delay.emitOpError() << "delays must be in steps (snn-discretize)";
  const Buffer &out = buffers[delay.getResult()];
  std::vector<int64_t> steps = IntParam(delay.getStepsAttr()).expand(out.size);
  int64_t depth = *std::max_element(steps.begin(), steps.end());
  int64_t shortest = *std::min_element(steps.begin(), steps.end());
  // The ring is indexed modulo its depth: 0 steps would divide by zero.
  if (shortest < 1 || depth > limits::kMaxDelaySteps)
    return delay.emitOpError()
           << "a delay of " << (shortest < 1 ? shortest : depth)
           << " steps is outside [1, " << limits::kMaxDelaySteps
           << "], the steps generated C keeps";
  if (failed(checkArray(delay, "the delay ring",
                        limits::checkedMul(depth, out.size))))
    return failure();
  global(name + "_ring", out.element, depth * out.size, {}, false);
  return success();
}

LogicalResult Lowering::planBuffers(ArrayRef<Operation *> order,
                                    SmallVectorImpl<DelayOp> &delays) {
  planInput();
  planAliasedDelays(order);
  for (Operation *op : order)
    if (auto sparse = dyn_cast<QSparseOp>(op))
      sparsePlans[op] = planSparse(sparse);
  planConsumedTables(order);
  planSharedTables(order);
  for (Operation *op : order) {
    std::string name = identifier(nodeKey(op));
    if (aliasedDelays.count(op))
      continue; // its buffer is its input's, once that is planned
    if (auto host = sharedTables.find(op); host != sharedTables.end()) {
      buffers[op->getResult(0)] = buffers[host->second->getResult(0)];
      continue;
    }
    if (isFusedSum(op)) {
      fusedSums.insert(op);
      continue;
    }
    if (isa<FlattenOp, QuantizeOp>(op)) {
      buffers[op->getResult(0)] = buffers[op->getOperand(0)];
      if (auto q = dyn_cast<QuantizeOp>(op))
        interface.inputScale = NeuronParam(q.getScale()).expand(1);
      continue;
    }
    if (!isa<QLinearOp, QSparseOp, QConv1dOp, QConv2dOp, SumPool2dOp,
             QNeuronOp, SumOp, DelayOp, XyloOp>(op))
      return op->emitOpError() << "has no C lowering yet";
    if (failed(checkArray(op, "the output",
                          getSignalSize(op->getResult(0)))))
      return failure();
    if (auto sparse = dyn_cast<QSparseOp>(op)) {
      const SparsePlan &plan = sparsePlans[op];
      Buffer buffer;
      buffer.size = getSignalSize(sparse.getResult());
      buffer.element =
          plan.exact ? plan.out
          : integerBound(sparse.getResult()) <= 2147483647.0 ? i32()
                                                             : i64();
      buffer.global = global(name + "_out", buffer.element, buffer.size, {},
                             false);
      buffers[op->getResult(0)] = buffer;
      if (!plan.exact)
        accumulatorSize = std::max(accumulatorSize, buffer.size);
      continue;
    }
    buffers[op->getResult(0)] = signal(op, name + "_out");
    if (auto core = dyn_cast<XyloOp>(op))
      xyloCores[op] = std::make_unique<XyloLoops>(core, name, xyloContext());
    if (isa<QLinearOp, QConv1dOp, QConv2dOp, SumPool2dOp>(op))
      accumulatorSize =
          std::max(accumulatorSize, getSignalSize(op->getResult(0)));
    if (auto delay = dyn_cast<DelayOp>(op)) {
      if (failed(planRing(delay, name)))
        return failure();
      delays.push_back(delay);
    }
  }
  for (Operation *op : aliasedDelays)
    buffers[op->getResult(0)] = buffers[op->getOperand(0)];
  if (accumulatorSize > 0)
    global("accumulators", i64(), accumulatorSize, {}, false);
  return success();
}

LogicalResult Lowering::lowerOp(Operation *op) {
  std::string name = identifier(nodeKey(op));
  return llvm::TypeSwitch<Operation *, LogicalResult>(op)
      .Case<QLinearOp>([&](QLinearOp o) { return lowerProjection(o, name); })
      .Case<QSparseOp>([&](QSparseOp o) { return lowerSparse(o, name); })
      .Case<QNeuronOp>([&](QNeuronOp o) { return lowerNeuron(o, name); })
      .Case<QConv1dOp, QConv2dOp>(
          [&](Operation *o) { return lowerConv(o, name); })
      .Case<SumPool2dOp>([&](SumPool2dOp o) { return lowerPool(o, name); })
      .Case<XyloOp>([&](XyloOp o) {
        xyloCores[o]->step(memrefOf(buffers[o.getInput()]),
                           memrefOf(buffers[o.getResult()]));
        return success();
      })
      .Case<SumOp>([&](SumOp o) {
        if (!fusedSums.count(o))
          lowerSum(o, buffers[o.getResult()]);
        return success();
      })
      .Default([](Operation *) { return success(); });
}

LogicalResult Lowering::emitStep(ArrayRef<Operation *> order,
                                 ArrayRef<DelayOp> delays) {
  Value result = network.getOutputOp().getOutputs()[0];
  const Buffer outBuffer = buffers[result];
  interface.outputSize = outBuffer.size;
  interface.outputSpikes = isSpikes(result.getType());
  interface.outputBits = outBuffer.element.getIntOrFloatBitWidth();
  if (std::optional<std::vector<double>> unit = integerUnit(result))
    interface.outputScale = *unit;
  const Buffer &in = buffers[network.getBodyBlock().getArgument(0)];
  auto inType = MemRefType::get({in.size}, in.element);
  auto outType = MemRefType::get({outBuffer.size}, outBuffer.element);
  b.setInsertionPointToEnd(module.getBody());
  auto step = b.create<func::FuncOp>(loc, prefix + "_step",
                                     b.getFunctionType({inType, outType}, {}));
  firstFunction = step;
  outputStoredByNeuron = false;
  Block *entry = step.addEntryBlock();
  stepArguments.assign(entry->args_begin(), entry->args_end());
  b.setInsertionPointToStart(entry);
  fetched.clear();
  lowerDelays(delays, /*emit=*/true);
  for (Operation *op : order)
    if (failed(lowerOp(op)))
      return failure();
  lowerDelays(delays, /*emit=*/false);
  if (!outputStoredByNeuron) {
    Value outMem = memrefOf(outBuffer);
    loop(outBuffer.size,
         [&](Value j) { store(load(outMem, j), stepArguments[1], j); });
  }
  Value timeMem = fetch(prefix + "_time", i64(), 1);
  store(
      b.create<arith::AddIOp>(loc, load(timeMem, index(0)), constant(1, i64())),
      timeMem, index(0));
  b.create<func::ReturnOp>(loc);
  return success();
}

void Lowering::emitReset() {
  b.setInsertionPointToEnd(module.getBody());
  auto reset =
      b.create<func::FuncOp>(loc, prefix + "_reset", b.getFunctionType({}, {}));
  b.setInsertionPointToStart(reset.addEntryBlock());
  fetched.clear();
  for (memref::GlobalOp g : module.getOps<memref::GlobalOp>()) {
    if (g.getConstant() || !g.getSymName().starts_with(prefix + "_"))
      continue;
    MemRefType t = g.getType();
    Value mem =
        fetch(g.getSymName().str(), t.getElementType(), t.getNumElements());
    loop(t.getNumElements(),
         [&](Value j) { store(constant(0, t.getElementType()), mem, j); });
  }
  b.create<func::ReturnOp>(loc);
}

LogicalResult Lowering::run() {
  prefix = identifier(options.prefix.empty() ? network.getSymName().str()
                                             : options.prefix);
  interface.prefix = prefix;
  if (failed(checkNetwork()))
    return failure();
  FailureOr<sim::Schedule> plan = sim::schedule(network);
  if (failed(plan))
    return failure();
  emitIncludes();
  global("time", i64(), 1, {}, false);
  // Buffers: the input is the step's first argument; every op writes a
  // global, except flatten and snn.quantize, which rename their input.
  SmallVector<DelayOp> delays;
  if (failed(planBuffers(plan->order, delays)) ||
      failed(emitStep(plan->order, delays)))
    return failure();
  emitReset();
  if (options.probes)
    addProbes(plan->order);
  if (usesSparseRuntime) {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(module.getBody());
    for (auto include : module.getBody()->getOps<emitc::IncludeOp>())
      if (include.getInclude() == "snn_arith.h")
        b.setInsertionPointAfter(include);
    b.create<emitc::IncludeOp>(loc, "snn_sparse.h", false);
  }
  return success();
}

void Lowering::addProbe(const std::string &node, const std::string &kind,
                        const std::string &global, Type element, int64_t size,
                        bool spikes, std::vector<double> unit) {
  std::string symbol = prefix + "_probe_" + identifier(node) + "_" + kind;
  b.setInsertionPointToEnd(module.getBody());
  auto type = MemRefType::get({size}, element);
  auto f = b.create<func::FuncOp>(loc, symbol, b.getFunctionType({type}, {}));
  Block *entry = f.addEntryBlock();
  b.setInsertionPointToStart(entry);
  fetched.clear();
  Value from = fetch(global, element, size);
  loop(size, [&](Value j) { store(load(from, j), entry->getArgument(0), j); });
  b.create<func::ReturnOp>(loc);
  interface.probes.push_back({node, kind, symbol, size,
                              int(element.getIntOrFloatBitWidth()), spikes,
                              std::move(unit)});
}

void Lowering::addProbes(ArrayRef<Operation *> order) {
  for (Operation *op : order) {
    auto name = op->getAttrOfType<StringAttr>("name");
    const Buffer &buffer = buffers[op->getResult(0)];
    if (!name || buffer.global.empty())
      continue;
    std::string node = name.str(), id = identifier(nodeKey(op));
    bool spikes = isSpikes(op->getResult(0).getType());
    addProbe(node, "out", buffer.global, buffer.element, buffer.size, spikes,
             spikes ? std::vector<double>{}
                    : integerUnit(op->getResult(0)).value_or(
                          std::vector<double>{1.0}));
    if (auto neuron = dyn_cast<QNeuronOp>(op)) {
      addProbe(node, "v", prefix + "_" + id + "_v", stateType(neuron),
               buffer.size, false,
               NeuronParam(neuron.getVScale()).expand(buffer.size));
      if (neuron.getIBitsAttr())
        addProbe(node, "i", prefix + "_" + id + "_i", stateType(neuron),
                 buffer.size, false,
                 NeuronParam(neuron.getIScaleAttr()).expand(buffer.size));
    }
  }
}

} // namespace

LogicalResult lowerToLoops(NetworkOp network, ModuleOp module,
                           const CodegenOptions &options, Interface &interface,
                           llvm::StringRef caller) {
  Lowering lowering(network, module, options, interface);
  lowering.caller = caller.str();
  return lowering.run();
}

} // namespace snn::codegen
