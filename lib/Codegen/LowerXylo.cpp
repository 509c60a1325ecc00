//===- LowerXylo.cpp - snn.xylo as loops calling snn_xylo.h ---------------===//

#include "Codegen/LowerXylo.h"
#include "SNN/IR/SNNParams.h"

#include <map>

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/EmitC/IR/EmitC.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;

namespace snn::codegen {

namespace {

/// One source's synapses (input channel, hidden or readout neuron), each a
/// state slot (`2·h + s` for hidden neurons, `o` for outputs) and its weight
/// as added (`i16(w << shift)`), in Rockpool's order.
struct SynapseLists {
  std::vector<int64_t> offsets{0}, slots, weights;
};

int64_t shifted(int64_t w, int64_t shift) {
  uint32_t bits = static_cast<uint32_t>(w) << static_cast<uint32_t>(shift);
  return static_cast<int16_t>(static_cast<uint16_t>(bits & 0xffffu));
}

SynapseLists lists(DenseIntElementsAttr w, int64_t rows, int64_t cols,
                   int64_t syn, int64_t shift, int64_t slotsPerTarget) {
  SynapseLists l;
  std::vector<int64_t> flat;
  bool zero = w.isSplat() && w.getSplatValue<APInt>().isZero();
  if (!zero)
    flat = w.isSplat() ? std::vector<int64_t>(
                             rows * cols * syn,
                             w.getSplatValue<APInt>().getSExtValue())
                       : intValues(w);
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t s = 0; s < syn && !zero; ++s)
      for (int64_t c = 0; c < cols; ++c) {
        int64_t v = flat[(r * cols + c) * syn + s];
        if (v == 0)
          continue;
        l.slots.push_back(c * slotsPerTarget + s);
        l.weights.push_back(shifted(v, shift));
      }
    l.offsets.push_back(static_cast<int64_t>(l.slots.size()));
  }
  return l;
}

std::vector<int64_t> expand(Attribute attr, int64_t n) {
  return attr ? IntParam(attr).expand(n) : std::vector<int64_t>(n, 0);
}

class XyloLowering {
public:
  XyloLowering(XyloOp op, const std::string &name, XyloLoopContext &ctx)
      : op(op), name(name), ctx(ctx), b(ctx.b), loc(ctx.loc) {
    nIn = getSignalSize(op.getInput());
    nHid = op.getNumHidden();
    nOen = op.getNumOutputExpansion();
    nOut = getSignalSize(op.getType());
  }

  void plan();
  void step(Value in, Value out);
  std::string global(const std::string &what) const { return globals.at(what); }

private:
  XyloOp op;
  std::string name;
  XyloLoopContext &ctx;
  OpBuilder &b;
  Location loc;
  int64_t nIn, nHid, nOen, nOut;

  std::string sym(const std::string &what) { return name + "_" + what; }
  Type i16() { return b.getI16Type(); }
  Type i32() { return b.getI32Type(); }
  Type i64() { return b.getI64Type(); }
  Value index(int64_t v) { return b.create<arith::ConstantIndexOp>(loc, v); }
  Value int64(int64_t v) { return b.create<arith::ConstantIntOp>(loc, v, i64()); }
  Value toI64(Value v) {
    if (v.getType().isIndex())
      return b.create<arith::IndexCastOp>(loc, i64(), v);
    unsigned w = v.getType().getIntOrFloatBitWidth();
    return w == 64 ? v : b.create<arith::ExtSIOp>(loc, i64(), v).getResult();
  }
  Value toIndex(Value v) {
    return b.create<arith::IndexCastOp>(loc, b.getIndexType(), toI64(v));
  }
  Value narrow(Value v, Type t) {
    return t.getIntOrFloatBitWidth() == 64
               ? v
               : b.create<arith::TruncIOp>(loc, t, v).getResult();
  }
  Value load(Value m, Value i) {
    return b.create<memref::LoadOp>(loc, m, ValueRange{i});
  }
  void store(Value v, Value m, Value i) {
    b.create<memref::StoreOp>(loc, v, m, ValueRange{i});
  }
  Value call(StringRef callee, ValueRange operands) {
    return b
        .create<emitc::CallOpaqueOp>(loc, TypeRange{i64()}, callee, operands)
        .getResult(0);
  }
  Value mem(const std::string &what, Type t, int64_t n) {
    return ctx.fetch(globals.at(what), t, n);
  }
  void loop(Value lo, Value hi, llvm::function_ref<void(Value)> body) {
    auto f = b.create<scf::ForOp>(loc, lo, hi, index(1));
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(f.getBody());
    body(f.getInductionVar());
  }
  void loop(int64_t n, llvm::function_ref<void(Value)> body) {
    loop(index(0), index(n), body);
  }
  void when(Value c, llvm::function_ref<void()> body) {
    auto ifOp = b.create<scf::IfOp>(loc, c, /*withElse=*/false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(ifOp.thenBlock());
    body();
  }
  Value cmp(arith::CmpIPredicate p, Value a, Value c) {
    return b.create<arith::CmpIOp>(loc, p, a, c);
  }
  /// A per-neuron constant: one value inline, else a load from a global.
  Value param(const std::string &what, const std::vector<int64_t> &v,
              Value j) {
    if (std::all_of(v.begin(), v.end(), [&](int64_t x) { return x == v[0]; }))
      return int64(v[0]);
    return toI64(load(mem(what, i32(), v.size()), j));
  }

  std::map<std::string, std::string> globals;
  std::map<std::string, std::vector<int64_t>> params;
  std::map<std::string, SynapseLists> synapses;
  void constantArray(const std::string &what, Type t,
                     const std::vector<int64_t> &v) {
    globals[what] = ctx.constant(sym(what), t, v);
  }
  void stateArray(const std::string &what, Type t, int64_t n) {
    globals[what] = ctx.state(sym(what), t, n);
  }
  void planLists(const std::string &what, const SynapseLists &l);
  /// n events from every source with a count, over its synapse list.
  void project(const std::string &what, int64_t sources, Value stateMem,
               llvm::function_ref<Value(Value p)> count);
  void neurons(bool hidden, Value out);
};

void XyloLowering::planLists(const std::string &what, const SynapseLists &l) {
  synapses[what] = l;
  if (l.slots.empty())
    return;
  constantArray(what + "_offsets", i32(), l.offsets);
  constantArray(what + "_slots", i32(), l.slots);
  constantArray(what + "_weights", i16(), l.weights);
}

void XyloLowering::plan() {
  planLists("in", lists(op.getWeightsIn(), nIn, op.getNumInputExpansion(),
                        op.getInputSynapses(), op.getWeightShiftIn(), 2));
  planLists("rec", lists(op.getWeightsRec(), nHid, nHid,
                         op.getRecurrentSynapses(), op.getWeightShiftRec(), 2));
  planLists("readout", lists(op.getWeightsOut(), nOen, nOut, 1,
                             op.getWeightShiftOut(), 1));
  std::vector<int64_t> alias(nHid, -1);
  if (auto a = op.getAliasesAttr())
    alias.assign(a.asArrayRef().begin(), a.asArrayRef().end());
  params = {{"dash_mem", expand(op.getDashMemAttr(), nHid)},
            {"dash_syn", expand(op.getDashSynAttr(), nHid)},
            {"dash_syn_2", expand(op.getDashSyn_2Attr(), nHid)},
            {"threshold", expand(op.getThresholdAttr(), nHid)},
            {"bias", expand(op.getBiasAttr(), nHid)},
            {"alias", alias},
            {"dash_mem_out", expand(op.getDashMemOutAttr(), nOut)},
            {"dash_syn_out", expand(op.getDashSynOutAttr(), nOut)},
            {"threshold_out", expand(op.getThresholdOutAttr(), nOut)},
            {"bias_out", expand(op.getBiasOutAttr(), nOut)}};
  for (auto &[what, v] : params)
    if (!std::all_of(v.begin(), v.end(), [&](int64_t x) { return x == v[0]; }))
      constantArray(what, i32(), v);
  stateArray("isyn", i16(), 2 * nHid);
  stateArray("vmem", i16(), nHid);
  stateArray("spk", i32(), nHid);
  stateArray("isyn_out", i16(), nOut);
  stateArray("vmem_out", i16(), nOut);
}

void XyloLowering::project(const std::string &what, int64_t sources,
                           Value stateMem,
                           llvm::function_ref<Value(Value p)> count) {
  const SynapseLists &l = synapses[what];
  if (l.slots.empty())
    return;
  Value offsets = mem(what + "_offsets", i32(), l.offsets.size());
  Value slots = mem(what + "_slots", i32(), l.slots.size());
  Value weights = mem(what + "_weights", i16(), l.weights.size());
  loop(sources, [&](Value p) {
    Value n = count(p);
    when(cmp(arith::CmpIPredicate::sgt, n, int64(0)), [&] {
      Value begin = toIndex(load(offsets, p));
      Value end = toIndex(load(offsets, b.create<arith::AddIOp>(loc, p, index(1))));
      loop(begin, end, [&](Value e) {
        Value slot = toIndex(load(slots, e));
        Value updated = call("snn_xylo_events_value",
                             {toI64(load(stateMem, slot)),
                              toI64(load(weights, e)), n});
        store(narrow(updated, i16()), stateMem, slot);
      });
    });
  });
}

void XyloLowering::neurons(bool hidden, Value out) {
  int64_t n = hidden ? nHid : nOut;
  std::string suffix = hidden ? "" : "_out";
  Value isyn = mem(hidden ? "isyn" : "isyn_out", i16(), hidden ? 2 * n : n);
  Value vmem = mem(hidden ? "vmem" : "vmem_out", i16(), n);
  Value spk = hidden ? mem("spk", i32(), n) : Value();
  int64_t max = hidden ? 31 : 1;
  int64_t version = op.getVersion();
  loop(n, [&](Value h) {
    Value current = int64(0);
    int synapsesPerNeuron = hidden ? 2 : 1;
    for (int s = 0; s < synapsesPerNeuron; ++s) {
      std::string dashName =
          hidden ? (s == 0 ? "dash_syn" : "dash_syn_2") : "dash_syn_out";
      Value slot = hidden ? b.create<arith::AddIOp>(
                                loc, b.create<arith::MulIOp>(loc, h, index(2)),
                                index(s))
                          : h;
      Value decayed = call("snn_xylo_decay",
                           {toI64(load(isyn, slot)),
                            param(dashName, params[dashName], h)});
      store(narrow(decayed, i16()), isyn, slot);
      current = b.create<arith::AddIOp>(loc, current, decayed);
    }
    Value v = call("snn_xylo_membrane",
                   {int64(version), toI64(load(vmem, h)), current,
                    param("dash_mem" + suffix, params["dash_mem" + suffix], h),
                    param("bias" + suffix, params["bias" + suffix], h)});
    Value theta =
        param("threshold" + suffix, params["threshold" + suffix], h);
    Value held = hidden ? toI64(load(spk, h)) : int64(0);
    Value count =
        call("snn_xylo_fire_count", {v, theta, held, int64(max)});
    Value rest = call("snn_xylo_fire_rest", {v, theta, held, int64(max)});
    store(narrow(rest, i16()), vmem, h);
    if (!hidden) {
      Type t = out.getType().cast<MemRefType>().getElementType();
      store(narrow(count, t), out, h);
      return;
    }
    store(narrow(count, i32()), spk, h);
    Value a = param("alias", params["alias"], h);
    when(cmp(arith::CmpIPredicate::sge, a, int64(0)), [&] {
      Value ai = toIndex(a);
      Value sum = b.create<arith::AddIOp>(loc, toI64(load(spk, ai)), count);
      // (arith.minsi has no EmitC form.)
      Value capped = b.create<arith::SelectOp>(
          loc, cmp(arith::CmpIPredicate::slt, sum, int64(31)), sum, int64(31));
      store(narrow(capped, i32()), spk, ai);
    });
  });
}

void XyloLowering::step(Value in, Value out) {
  Value isyn = mem("isyn", i16(), 2 * nHid);
  Value isynOut = mem("isyn_out", i16(), nOut);
  Value spk = mem("spk", i32(), nHid);
  // 1. input counts, clipped at 15; 2. last step's hidden spikes; 3. readout.
  project("in", nIn, isyn, [&](Value i) {
    return call("snn_xylo_clip_input", {toI64(load(in, i))});
  });
  project("rec", nHid, isyn, [&](Value p) { return toI64(load(spk, p)); });
  int64_t oen0 = nHid - nOen;
  project("readout", nOen, isynOut, [&](Value r) {
    return toI64(load(spk, b.create<arith::AddIOp>(loc, r, index(oen0))));
  });
  // 4. clear the spikes; 5. hidden neurons; 6. output neurons.
  loop(nHid, [&](Value h) {
    store(b.create<arith::ConstantIntOp>(loc, 0, i32()), spk, h);
  });
  neurons(/*hidden=*/true, out);
  neurons(/*hidden=*/false, out);
}

} // namespace

struct XyloLoops::Impl {
  XyloLoopContext ctx;
  XyloLowering lowering;
  Impl(XyloOp op, const std::string &name, XyloLoopContext c)
      : ctx(std::move(c)), lowering(op, name, ctx) {}
};

XyloLoops::XyloLoops(XyloOp op, const std::string &name, XyloLoopContext ctx)
    : impl(std::make_unique<Impl>(op, name, std::move(ctx))) {
  impl->lowering.plan();
}

XyloLoops::~XyloLoops() = default;

void XyloLoops::step(Value in, Value out) { impl->lowering.step(in, out); }

std::string XyloLoops::outputMembrane() const {
  return impl->lowering.global("vmem_out");
}
std::string XyloLoops::outputCurrent() const {
  return impl->lowering.global("isyn_out");
}

} // namespace snn::codegen
