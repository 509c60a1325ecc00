//===- SNNSparseOps.td - projections held sparsely ---------*- tablegen -*-===//
//
// A quantized projection whose weights are mostly zero, held as compressed
// rows instead of a dense matrix: a network of N neurons with a fixed fan-in
// then costs memory in proportion to its synapses, not to N². Its meaning is
// exactly that of `snn.qlinear` with the dense matrix the rows describe
// (docs/quantization.md); snn-quantize chooses it for sparse weights.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_SPARSE_OPS_TD
#define SNN_SPARSE_OPS_TD

def SNN_QSparseOp : SNN_Op<"qsparse", [Pure]> {
  let summary = "integer y = W x (+ b) with W in compressed sparse rows";
  let description = [{
    The weights of output `r` are `values[e]` at input `indices[e]` for
    `offsets[r] <= e < offsets[r+1]` (CSR: `offsets` has one entry per
    output plus one, starts at 0 and never decreases; the indices of a row
    increase strictly). Input and output are read as flat vectors:
    `y[r] = fit(2^weight_exp · Σ_e values[e] · x[indices[e]] + bias[r],
    acc_bits, overflow)`, exactly as `snn.qlinear` computes it with the
    dense matrix these entries describe (absent entries are zero weights).
    `values` are symmetric `weight_bits`-bit integers, `offsets` and
    `indices` 32-bit; a negative `weight_exp` shifts the exact sum right
    (floor), as in `snn.qlinear`.
  }];
  let arguments = (ins SNN_Signal:$input, SNN_IntTensorAttr:$offsets,
                       SNN_IntTensorAttr:$indices, SNN_IntTensorAttr:$values,
                       OptionalAttr<SNN_IntTensorAttr>:$bias,
                       I64Attr:$weight_bits, OptionalAttr<I64Attr>:$weight_exp,
                       I64Attr:$acc_bits,
                       SNN_Overflow:$overflow, SNN_ParamAttr:$scale,
                       OptionalAttr<StrAttr>:$name);
  let results = (outs SNN_ValuesType:$output);
  let assemblyFormat = [{
    ($name^)? $input `overflow` `(` $overflow `)`
    attr-dict `:` type($input) `->` qualified(type($output))
  }];
  let hasVerifier = 1;
}

def SNN_SparseOp : SNN_Op<"sparse", [Pure]> {
  let summary = "real y = W x (+ b) with W in compressed sparse rows";
  let description = [{
    The float form of `snn.qsparse`: the weights of output `r` are
    `values[e]` at input `indices[e]` for `offsets[r] <= e < offsets[r+1]`
    (CSR, the same structure rules as `snn.qsparse`), and
    `y[r] = Σ_e values[e] · x[indices[e]] + bias[r]` on the flat input and
    output vectors: exactly `snn.affine` (or `snn.linear` without `bias`)
    with the dense matrix these entries describe, absent entries being zero
    weights. The NIR importer writes it for large, mostly-zero `Linear` and
    `Affine` weights, so that no dense N x N matrix is held after import;
    snn-quantize turns it into `snn.qsparse` (or `snn.qlinear` when its
    integer weights are not sparse enough).
  }];
  let arguments = (ins SNN_Signal:$input, SNN_IntTensorAttr:$offsets,
                       SNN_IntTensorAttr:$indices, SNN_FloatTensorAttr:$values,
                       OptionalAttr<SNN_FloatTensorAttr>:$bias,
                       OptionalAttr<StrAttr>:$name);
  let results = (outs SNN_ValuesType:$output);
  let assemblyFormat = [{
    ($name^)? $input attr-dict `:` type($input) `->` qualified(type($output))
  }];
  let hasVerifier = 1;
}

#endif // SNN_SPARSE_OPS_TD
