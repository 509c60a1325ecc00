// RUN: snn-opt %s -split-input-file -verify-diagnostics

// Tests that offsets have one entry per output plus one.
snn.network @short_offsets(%x: !snn.spikes<3>) -> (y: !snn.values<2>) attributes {dt = 1.0} {
  // expected-error @+1 {{offsets has 2 elements but needs 3}}
  %y = snn.qsparse "p" %x overflow(saturate) {offsets = dense<[0, 1]> : tensor<2xi32>, indices = dense<[0]> : tensor<1xi32>, values = dense<[1]> : tensor<1xi8>, weight_bits = 8 : i64, acc_bits = 16 : i64, scale = 1.0 : f64} : !snn.spikes<3> -> !snn.values<2>
  snn.output %y : !snn.values<2>
}

// -----

// Tests that offsets start at zero.
snn.network @offset_start(%x: !snn.spikes<3>) -> (y: !snn.values<2>) attributes {dt = 1.0} {
  // expected-error @+1 {{offsets must start at 0 but start at 1}}
  %y = snn.qsparse "p" %x overflow(saturate) {offsets = dense<[1, 1, 1]> : tensor<3xi32>, indices = dense<[0]> : tensor<1xi32>, values = dense<[1]> : tensor<1xi8>, weight_bits = 8 : i64, acc_bits = 16 : i64, scale = 1.0 : f64} : !snn.spikes<3> -> !snn.values<2>
  snn.output %y : !snn.values<2>
}

// -----

// Tests that offsets never decrease.
snn.network @offset_order(%x: !snn.spikes<3>) -> (y: !snn.values<2>) attributes {dt = 1.0} {
  // expected-error @+1 {{offsets decrease at row 1 (2 then 1)}}
  %y = snn.qsparse "p" %x overflow(saturate) {offsets = dense<[0, 2, 1]> : tensor<3xi32>, indices = dense<[0]> : tensor<1xi32>, values = dense<[1]> : tensor<1xi8>, weight_bits = 8 : i64, acc_bits = 16 : i64, scale = 1.0 : f64} : !snn.spikes<3> -> !snn.values<2>
  snn.output %y : !snn.values<2>
}

// -----

// Tests that offsets end at the number of values.
snn.network @offset_end(%x: !snn.spikes<3>) -> (y: !snn.values<2>) attributes {dt = 1.0} {
  // expected-error @+1 {{offsets end at 1 but there are 2 values}}
  %y = snn.qsparse "p" %x overflow(saturate) {offsets = dense<[0, 1, 1]> : tensor<3xi32>, indices = dense<[0, 1]> : tensor<2xi32>, values = dense<[1, 2]> : tensor<2xi8>, weight_bits = 8 : i64, acc_bits = 16 : i64, scale = 1.0 : f64} : !snn.spikes<3> -> !snn.values<2>
  snn.output %y : !snn.values<2>
}

// -----

// Tests that an index names an input.
snn.network @index_range(%x: !snn.spikes<3>) -> (y: !snn.values<2>) attributes {dt = 1.0} {
  // expected-error @+1 {{index 3 of row 1 is outside the 3 inputs}}
  %y = snn.qsparse "p" %x overflow(saturate) {offsets = dense<[0, 1, 2]> : tensor<3xi32>, indices = dense<[0, 3]> : tensor<2xi32>, values = dense<[1, 2]> : tensor<2xi8>, weight_bits = 8 : i64, acc_bits = 16 : i64, scale = 1.0 : f64} : !snn.spikes<3> -> !snn.values<2>
  snn.output %y : !snn.values<2>
}

// -----

// Tests that a row names each input once, in order.
snn.network @index_order(%x: !snn.spikes<3>) -> (y: !snn.values<2>) attributes {dt = 1.0} {
  // expected-error @+1 {{indices of row 0 must increase strictly (2 then 2)}}
  %y = snn.qsparse "p" %x overflow(saturate) {offsets = dense<[0, 2, 2]> : tensor<3xi32>, indices = dense<[2, 2]> : tensor<2xi32>, values = dense<[1, 2]> : tensor<2xi8>, weight_bits = 8 : i64, acc_bits = 16 : i64, scale = 1.0 : f64} : !snn.spikes<3> -> !snn.values<2>
  snn.output %y : !snn.values<2>
}

// -----

// Tests that indices and values pair up.
snn.network @index_count(%x: !snn.spikes<3>) -> (y: !snn.values<2>) attributes {dt = 1.0} {
  // expected-error @+1 {{indices has 1 elements but needs 2}}
  %y = snn.qsparse "p" %x overflow(saturate) {offsets = dense<[0, 1, 2]> : tensor<3xi32>, indices = dense<[0]> : tensor<1xi32>, values = dense<[1, 2]> : tensor<2xi8>, weight_bits = 8 : i64, acc_bits = 16 : i64, scale = 1.0 : f64} : !snn.spikes<3> -> !snn.values<2>
  snn.output %y : !snn.values<2>
}

// -----

// Tests that weights fit their bits (symmetric range).
snn.network @wide_weight(%x: !snn.spikes<3>) -> (y: !snn.values<2>) attributes {dt = 1.0} {
  // expected-error @+1 {{weight -8 (entry 1) does not fit 4-bit weights [-7, 7]}}
  %y = snn.qsparse "p" %x overflow(saturate) {offsets = dense<[0, 1, 2]> : tensor<3xi32>, indices = dense<[0, 1]> : tensor<2xi32>, values = dense<[1, -8]> : tensor<2xi8>, weight_bits = 4 : i64, acc_bits = 16 : i64, scale = 1.0 : f64} : !snn.spikes<3> -> !snn.values<2>
  snn.output %y : !snn.values<2>
}

// -----

// Tests that the bias fits the accumulator and has one entry per row.
snn.network @wide_bias(%x: !snn.spikes<3>) -> (y: !snn.values<2>) attributes {dt = 1.0} {
  // expected-error @+1 {{bias 200 at row 1 does not fit the 8-bit accumulator}}
  %y = snn.qsparse "p" %x overflow(saturate) {offsets = dense<[0, 1, 2]> : tensor<3xi32>, indices = dense<[0, 1]> : tensor<2xi32>, values = dense<[1, 2]> : tensor<2xi8>, bias = dense<[1, 200]> : tensor<2xi32>, weight_bits = 8 : i64, acc_bits = 8 : i64, scale = 1.0 : f64} : !snn.spikes<3> -> !snn.values<2>
  snn.output %y : !snn.values<2>
}

// -----

snn.network @bias_rows(%x: !snn.spikes<3>) -> (y: !snn.values<2>) attributes {dt = 1.0} {
  // expected-error @+1 {{bias has 3 elements but needs 2}}
  %y = snn.qsparse "p" %x overflow(saturate) {offsets = dense<[0, 1, 2]> : tensor<3xi32>, indices = dense<[0, 1]> : tensor<2xi32>, values = dense<[1, 2]> : tensor<2xi8>, bias = dense<[1, 2, 3]> : tensor<3xi32>, weight_bits = 8 : i64, acc_bits = 16 : i64, scale = 1.0 : f64} : !snn.spikes<3> -> !snn.values<2>
  snn.output %y : !snn.values<2>
}

// -----

// Tests that a projection does not take a neuron state's overflow.
snn.network @lava_overflow(%x: !snn.spikes<3>) -> (y: !snn.values<2>) attributes {dt = 1.0} {
  // expected-error @+1 {{overflow(wrap_once) is for neuron states; a projection takes saturate or wrap}}
  %y = snn.qsparse "p" %x overflow(wrap_once) {offsets = dense<[0, 1, 2]> : tensor<3xi32>, indices = dense<[0, 1]> : tensor<2xi32>, values = dense<[1, 2]> : tensor<2xi8>, weight_bits = 8 : i64, acc_bits = 16 : i64, scale = 1.0 : f64} : !snn.spikes<3> -> !snn.values<2>
  snn.output %y : !snn.values<2>
}

// -----

// Tests that the unit has one value or one per row, each positive.
snn.network @unit_rows(%x: !snn.spikes<3>) -> (y: !snn.values<2>) attributes {dt = 1.0} {
  // expected-error @+1 {{scale has 3 values but there are 2 rows (give one, or one per row)}}
  %y = snn.qsparse "p" %x overflow(saturate) {offsets = dense<[0, 1, 2]> : tensor<3xi32>, indices = dense<[0, 1]> : tensor<2xi32>, values = dense<[1, 2]> : tensor<2xi8>, weight_bits = 8 : i64, acc_bits = 16 : i64, scale = dense<[1.0, 1.0, 1.0]> : tensor<3xf64>} : !snn.spikes<3> -> !snn.values<2>
  snn.output %y : !snn.values<2>
}

// -----

snn.network @unit_sign(%x: !snn.spikes<3>) -> (y: !snn.values<2>) attributes {dt = 1.0} {
  // expected-error @+1 {{scale must be positive and finite}}
  %y = snn.qsparse "p" %x overflow(saturate) {offsets = dense<[0, 1, 2]> : tensor<3xi32>, indices = dense<[0, 1]> : tensor<2xi32>, values = dense<[1, 2]> : tensor<2xi8>, weight_bits = 8 : i64, acc_bits = 16 : i64, scale = -1.0 : f64} : !snn.spikes<3> -> !snn.values<2>
  snn.output %y : !snn.values<2>
}

// -----

// Tests the widths and the weight exponent.
snn.network @bits(%x: !snn.spikes<3>) -> (y: !snn.values<2>) attributes {dt = 1.0} {
  // expected-error @+1 {{weight_bits must be in [2, 16] but is 17}}
  %y = snn.qsparse "p" %x overflow(saturate) {offsets = dense<[0, 1, 2]> : tensor<3xi32>, indices = dense<[0, 1]> : tensor<2xi32>, values = dense<[1, 2]> : tensor<2xi8>, weight_bits = 17 : i64, acc_bits = 16 : i64, scale = 1.0 : f64} : !snn.spikes<3> -> !snn.values<2>
  snn.output %y : !snn.values<2>
}

// -----

snn.network @exp(%x: !snn.spikes<3>) -> (y: !snn.values<2>) attributes {dt = 1.0} {
  // expected-error @+1 {{weight_exp must be in [-24, 24] but is 30}}
  %y = snn.qsparse "p" %x overflow(saturate) {offsets = dense<[0, 1, 2]> : tensor<3xi32>, indices = dense<[0, 1]> : tensor<2xi32>, values = dense<[1, 2]> : tensor<2xi8>, weight_bits = 8 : i64, weight_exp = 30 : i64, acc_bits = 16 : i64, scale = 1.0 : f64} : !snn.spikes<3> -> !snn.values<2>
  snn.output %y : !snn.values<2>
}

// -----

// Tests that offsets are a vector.
snn.network @rank(%x: !snn.spikes<3>) -> (y: !snn.values<2>) attributes {dt = 1.0} {
  // expected-error @+1 {{offsets must be a 1-d tensor}}
  %y = snn.qsparse "p" %x overflow(saturate) {offsets = dense<[[0, 1, 2]]> : tensor<1x3xi32>, indices = dense<[0, 1]> : tensor<2xi32>, values = dense<[1, 2]> : tensor<2xi8>, weight_bits = 8 : i64, acc_bits = 16 : i64, scale = 1.0 : f64} : !snn.spikes<3> -> !snn.values<2>
  snn.output %y : !snn.values<2>
}

// -----

// Tests that the float form checks the same compressed-row structure.
snn.network @float_offsets(%x: !snn.spikes<3>) -> (y: !snn.values<2>) attributes {dt = 1.0} {
  // expected-error @+1 {{offsets end at 1 but there are 2 values}}
  %y = snn.sparse "p" %x {offsets = dense<[0, 1, 1]> : tensor<3xi32>, indices = dense<[0, 1]> : tensor<2xi32>, values = dense<[1.0, 2.0]> : tensor<2xf32>} : !snn.spikes<3> -> !snn.values<2>
  snn.output %y : !snn.values<2>
}

// -----

// Tests that the float form's indices stay inside the input.
snn.network @float_index(%x: !snn.spikes<3>) -> (y: !snn.values<2>) attributes {dt = 1.0} {
  // expected-error @+1 {{index 3 of row 1 is outside the 3 inputs}}
  %y = snn.sparse "p" %x {offsets = dense<[0, 1, 2]> : tensor<3xi32>, indices = dense<[0, 3]> : tensor<2xi32>, values = dense<[1.0, 2.0]> : tensor<2xf32>} : !snn.spikes<3> -> !snn.values<2>
  snn.output %y : !snn.values<2>
}

// -----

// Tests that the float form's weights are finite.
snn.network @float_nan(%x: !snn.spikes<3>) -> (y: !snn.values<2>) attributes {dt = 1.0} {
  // expected-error @+1 {{values}}
  %y = snn.sparse "p" %x {offsets = dense<[0, 1, 2]> : tensor<3xi32>, indices = dense<[0, 2]> : tensor<2xi32>, values = dense<[1.0, 0x7FC00000]> : tensor<2xf32>} : !snn.spikes<3> -> !snn.values<2>
  snn.output %y : !snn.values<2>
}

// -----

// Tests that the float form's bias has one value per output.
snn.network @float_bias(%x: !snn.spikes<3>) -> (y: !snn.values<2>) attributes {dt = 1.0} {
  // expected-error @+1 {{bias has 3 elements but needs 2}}
  %y = snn.sparse "p" %x {offsets = dense<[0, 1, 2]> : tensor<3xi32>, indices = dense<[0, 2]> : tensor<2xi32>, values = dense<[1.0, 2.0]> : tensor<2xf32>, bias = dense<[0.0, 0.0, 0.0]> : tensor<3xf32>} : !snn.spikes<3> -> !snn.values<2>
  snn.output %y : !snn.values<2>
}
