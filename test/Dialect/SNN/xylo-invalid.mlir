// RUN: snn-opt %s -split-input-file -verify-diagnostics

// Tests that a version other than xylosim's two is refused.
snn.network @version(%x: !snn.spikes<2>) -> (y: !snn.spikes<1>) attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{version must be 1 or 2 (xylosim's cores) but is 3}}
  %y = snn.xylo "core" %x version(3) {weights_in = dense<1> : tensor<2x3xi8>, weights_rec = dense<0> : tensor<3x3xi8>, weights_out = dense<1> : tensor<3x1xi8>, weight_shift_in = 0 : i64, weight_shift_rec = 0 : i64, weight_shift_out = 0 : i64, dash_mem = 0 : i64, dash_syn = 0 : i64, dash_syn_2 = 0 : i64, threshold = 1 : i64, dash_mem_out = 0 : i64, dash_syn_out = 0 : i64, threshold_out = 1 : i64} : !snn.spikes<2> -> !snn.spikes<1>
  snn.output %y : !snn.spikes<1>
}

// -----

// Tests that a weight outside int8 is named by its index.
snn.network @weight_int8(%x: !snn.spikes<2>) -> (y: !snn.spikes<1>) attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{weights_in[1, 1] = 200 is outside int8 [-128, 127]}}
  %y = snn.xylo "core" %x version(2) {weights_in = dense<[[1, 2, 3], [4, 200, 6]]> : tensor<2x3xi16>, weights_rec = dense<0> : tensor<3x3xi8>, weights_out = dense<1> : tensor<3x1xi8>, weight_shift_in = 0 : i64, weight_shift_rec = 0 : i64, weight_shift_out = 0 : i64, dash_mem = 0 : i64, dash_syn = 0 : i64, dash_syn_2 = 0 : i64, threshold = 1 : i64, dash_mem_out = 0 : i64, dash_syn_out = 0 : i64, threshold_out = 1 : i64} : !snn.spikes<2> -> !snn.spikes<1>
  snn.output %y : !snn.spikes<1>
}

// -----

// Tests that a splat weight outside int8 is refused once.
snn.network @splat_int8(%x: !snn.spikes<2>) -> (y: !snn.spikes<1>) attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{weights_rec -129 (every element) is outside int8 [-128, 127]}}
  %y = snn.xylo "core" %x version(2) {weights_in = dense<1> : tensor<2x3xi8>, weights_rec = dense<-129> : tensor<3x3xi16>, weights_out = dense<1> : tensor<3x1xi8>, weight_shift_in = 0 : i64, weight_shift_rec = 0 : i64, weight_shift_out = 0 : i64, dash_mem = 0 : i64, dash_syn = 0 : i64, dash_syn_2 = 0 : i64, threshold = 1 : i64, dash_mem_out = 0 : i64, dash_syn_out = 0 : i64, threshold_out = 1 : i64} : !snn.spikes<2> -> !snn.spikes<1>
  snn.output %y : !snn.spikes<1>
}

// -----

// Tests that more than two synapses per neuron is refused.
snn.network @three_synapses(%x: !snn.spikes<2>) -> (y: !snn.spikes<1>) attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{weights_in has 3 synapses per neuron; Xylo has 1 or 2}}
  %y = snn.xylo "core" %x version(2) {weights_in = dense<1> : tensor<2x3x3xi8>, weights_rec = dense<0> : tensor<3x3xi8>, weights_out = dense<1> : tensor<3x1xi8>, weight_shift_in = 0 : i64, weight_shift_rec = 0 : i64, weight_shift_out = 0 : i64, dash_mem = 0 : i64, dash_syn = 0 : i64, dash_syn_2 = 0 : i64, threshold = 1 : i64, dash_mem_out = 0 : i64, dash_syn_out = 0 : i64, threshold_out = 1 : i64} : !snn.spikes<2> -> !snn.spikes<1>
  snn.output %y : !snn.spikes<1>
}

// -----

// Tests that the readout has one synapse.
snn.network @out_rank(%x: !snn.spikes<2>) -> (y: !snn.spikes<1>) attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{weights_out must have rank 2 but has rank 3}}
  %y = snn.xylo "core" %x version(2) {weights_in = dense<1> : tensor<2x3xi8>, weights_rec = dense<0> : tensor<3x3xi8>, weights_out = dense<1> : tensor<3x1x1xi8>, weight_shift_in = 0 : i64, weight_shift_rec = 0 : i64, weight_shift_out = 0 : i64, dash_mem = 0 : i64, dash_syn = 0 : i64, dash_syn_2 = 0 : i64, threshold = 1 : i64, dash_mem_out = 0 : i64, dash_syn_out = 0 : i64, threshold_out = 1 : i64} : !snn.spikes<2> -> !snn.spikes<1>
  snn.output %y : !snn.spikes<1>
}

// -----

// Tests that the recurrent weights are square.
snn.network @rec_square(%x: !snn.spikes<2>) -> (y: !snn.spikes<1>) attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{weights_rec must be [Nhid, Nhid] but is [3, 4]}}
  %y = snn.xylo "core" %x version(2) {weights_in = dense<1> : tensor<2x3xi8>, weights_rec = dense<0> : tensor<3x4xi8>, weights_out = dense<1> : tensor<3x1xi8>, weight_shift_in = 0 : i64, weight_shift_rec = 0 : i64, weight_shift_out = 0 : i64, dash_mem = 0 : i64, dash_syn = 0 : i64, dash_syn_2 = 0 : i64, threshold = 1 : i64, dash_mem_out = 0 : i64, dash_syn_out = 0 : i64, threshold_out = 1 : i64} : !snn.spikes<2> -> !snn.spikes<1>
  snn.output %y : !snn.spikes<1>
}

// -----

// Tests that the input reaches no more neurons than there are.
snn.network @ien(%x: !snn.spikes<2>) -> (y: !snn.spikes<1>) attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{weights_in reaches 4 hidden neurons but there are 3}}
  %y = snn.xylo "core" %x version(2) {weights_in = dense<1> : tensor<2x4xi8>, weights_rec = dense<0> : tensor<3x3xi8>, weights_out = dense<1> : tensor<3x1xi8>, weight_shift_in = 0 : i64, weight_shift_rec = 0 : i64, weight_shift_out = 0 : i64, dash_mem = 0 : i64, dash_syn = 0 : i64, dash_syn_2 = 0 : i64, threshold = 1 : i64, dash_mem_out = 0 : i64, dash_syn_out = 0 : i64, threshold_out = 1 : i64} : !snn.spikes<2> -> !snn.spikes<1>
  snn.output %y : !snn.spikes<1>
}

// -----

// Tests that the readout reads no more neurons than there are.
snn.network @oen(%x: !snn.spikes<2>) -> (y: !snn.spikes<1>) attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{weights_out reads 4 hidden neurons but there are 3}}
  %y = snn.xylo "core" %x version(2) {weights_in = dense<1> : tensor<2x3xi8>, weights_rec = dense<0> : tensor<3x3xi8>, weights_out = dense<1> : tensor<4x1xi8>, weight_shift_in = 0 : i64, weight_shift_rec = 0 : i64, weight_shift_out = 0 : i64, dash_mem = 0 : i64, dash_syn = 0 : i64, dash_syn_2 = 0 : i64, threshold = 1 : i64, dash_mem_out = 0 : i64, dash_syn_out = 0 : i64, threshold_out = 1 : i64} : !snn.spikes<2> -> !snn.spikes<1>
  snn.output %y : !snn.spikes<1>
}

// -----

// Tests that weights_in's channels are the input's.
snn.network @inputs(%x: !snn.spikes<2>) -> (y: !snn.spikes<1>) attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{weights_in has 5 input channels but the input has 2}}
  %y = snn.xylo "core" %x version(2) {weights_in = dense<1> : tensor<5x3xi8>, weights_rec = dense<0> : tensor<3x3xi8>, weights_out = dense<1> : tensor<3x1xi8>, weight_shift_in = 0 : i64, weight_shift_rec = 0 : i64, weight_shift_out = 0 : i64, dash_mem = 0 : i64, dash_syn = 0 : i64, dash_syn_2 = 0 : i64, threshold = 1 : i64, dash_mem_out = 0 : i64, dash_syn_out = 0 : i64, threshold_out = 1 : i64} : !snn.spikes<2> -> !snn.spikes<1>
  snn.output %y : !snn.spikes<1>
}

// -----

// Tests that weights_out's columns are the result's.
snn.network @outputs(%x: !snn.spikes<2>) -> (y: !snn.spikes<1>) attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{weights_out has 2 output neurons but the result has 1}}
  %y = snn.xylo "core" %x version(2) {weights_in = dense<1> : tensor<2x3xi8>, weights_rec = dense<0> : tensor<3x3xi8>, weights_out = dense<1> : tensor<3x2xi8>, weight_shift_in = 0 : i64, weight_shift_rec = 0 : i64, weight_shift_out = 0 : i64, dash_mem = 0 : i64, dash_syn = 0 : i64, dash_syn_2 = 0 : i64, threshold = 1 : i64, dash_mem_out = 0 : i64, dash_syn_out = 0 : i64, threshold_out = 1 : i64} : !snn.spikes<2> -> !snn.spikes<1>
  snn.output %y : !snn.spikes<1>
}

// -----

// Tests that a weight shift beyond 15 is refused.
snn.network @shift(%x: !snn.spikes<2>) -> (y: !snn.spikes<1>) attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{weight_shift_in must be in [0, 15] but is 16}}
  %y = snn.xylo "core" %x version(2) {weights_in = dense<1> : tensor<2x3xi8>, weights_rec = dense<0> : tensor<3x3xi8>, weights_out = dense<1> : tensor<3x1xi8>, weight_shift_in = 16 : i64, weight_shift_rec = 0 : i64, weight_shift_out = 0 : i64, dash_mem = 0 : i64, dash_syn = 0 : i64, dash_syn_2 = 0 : i64, threshold = 1 : i64, dash_mem_out = 0 : i64, dash_syn_out = 0 : i64, threshold_out = 1 : i64} : !snn.spikes<2> -> !snn.spikes<1>
  snn.output %y : !snn.spikes<1>
}

// -----

// Tests that a dash is 4 bits.
snn.network @dash(%x: !snn.spikes<2>) -> (y: !snn.spikes<1>) attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{dash_mem 16 does not fit 4-bit dashes [0, 15] at neuron 1}}
  %y = snn.xylo "core" %x version(2) {weights_in = dense<1> : tensor<2x3xi8>, weights_rec = dense<0> : tensor<3x3xi8>, weights_out = dense<1> : tensor<3x1xi8>, weight_shift_in = 0 : i64, weight_shift_rec = 0 : i64, weight_shift_out = 0 : i64, dash_mem = dense<[0, 16, 0]> : tensor<3xi64>, dash_syn = 0 : i64, dash_syn_2 = 0 : i64, threshold = 1 : i64, dash_mem_out = 0 : i64, dash_syn_out = 0 : i64, threshold_out = 1 : i64} : !snn.spikes<2> -> !snn.spikes<1>
  snn.output %y : !snn.spikes<1>
}

// -----

// Tests that a per-neuron dash has one value per hidden neuron.
snn.network @dash_count(%x: !snn.spikes<2>) -> (y: !snn.spikes<1>) attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{dash_mem has shape 2 but the neurons have shape 3 (give one value, or one per neuron)}}
  %y = snn.xylo "core" %x version(2) {weights_in = dense<1> : tensor<2x3xi8>, weights_rec = dense<0> : tensor<3x3xi8>, weights_out = dense<1> : tensor<3x1xi8>, weight_shift_in = 0 : i64, weight_shift_rec = 0 : i64, weight_shift_out = 0 : i64, dash_mem = dense<[0, 1]> : tensor<2xi64>, dash_syn = 0 : i64, dash_syn_2 = 0 : i64, threshold = 1 : i64, dash_mem_out = 0 : i64, dash_syn_out = 0 : i64, threshold_out = 1 : i64} : !snn.spikes<2> -> !snn.spikes<1>
  snn.output %y : !snn.spikes<1>
}

// -----

// Tests that a threshold is int16.
snn.network @threshold(%x: !snn.spikes<2>) -> (y: !snn.spikes<1>) attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{threshold 40000 does not fit int16 [-32768, 32767]}}
  %y = snn.xylo "core" %x version(2) {weights_in = dense<1> : tensor<2x3xi8>, weights_rec = dense<0> : tensor<3x3xi8>, weights_out = dense<1> : tensor<3x1xi8>, weight_shift_in = 0 : i64, weight_shift_rec = 0 : i64, weight_shift_out = 0 : i64, dash_mem = 0 : i64, dash_syn = 0 : i64, dash_syn_2 = 0 : i64, threshold = 40000 : i64, dash_mem_out = 0 : i64, dash_syn_out = 0 : i64, threshold_out = 1 : i64} : !snn.spikes<2> -> !snn.spikes<1>
  snn.output %y : !snn.spikes<1>
}

// -----

// Tests that version 1 cores have no bias.
snn.network @v1_bias(%x: !snn.spikes<2>) -> (y: !snn.spikes<1>) attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{bias 3 at neuron 1 is given but version 1 cores have no bias}}
  %y = snn.xylo "core" %x version(1) {weights_in = dense<1> : tensor<2x3xi8>, weights_rec = dense<0> : tensor<3x3xi8>, weights_out = dense<1> : tensor<3x1xi8>, weight_shift_in = 0 : i64, weight_shift_rec = 0 : i64, weight_shift_out = 0 : i64, dash_mem = 0 : i64, dash_syn = 0 : i64, dash_syn_2 = 0 : i64, threshold = 1 : i64, dash_mem_out = 0 : i64, dash_syn_out = 0 : i64, threshold_out = 1 : i64, bias = dense<[0, 3, 0]> : tensor<3xi64>} : !snn.spikes<2> -> !snn.spikes<1>
  snn.output %y : !snn.spikes<1>
}

// -----

// Tests that aliases has one entry per hidden neuron.
snn.network @alias_count(%x: !snn.spikes<2>) -> (y: !snn.spikes<1>) attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{aliases has 2 entries but there are 3 hidden neurons (one each, -1 for none)}}
  %y = snn.xylo "core" %x version(2) {weights_in = dense<1> : tensor<2x3xi8>, weights_rec = dense<0> : tensor<3x3xi8>, weights_out = dense<1> : tensor<3x1xi8>, weight_shift_in = 0 : i64, weight_shift_rec = 0 : i64, weight_shift_out = 0 : i64, dash_mem = 0 : i64, dash_syn = 0 : i64, dash_syn_2 = 0 : i64, threshold = 1 : i64, dash_mem_out = 0 : i64, dash_syn_out = 0 : i64, threshold_out = 1 : i64, aliases = array<i64: -1, 0>} : !snn.spikes<2> -> !snn.spikes<1>
  snn.output %y : !snn.spikes<1>
}

// -----

// Tests that an alias target is a hidden neuron.
snn.network @alias_target(%x: !snn.spikes<2>) -> (y: !snn.spikes<1>) attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{aliases[1] = 3 is not a hidden neuron (or -1 for none)}}
  %y = snn.xylo "core" %x version(2) {weights_in = dense<1> : tensor<2x3xi8>, weights_rec = dense<0> : tensor<3x3xi8>, weights_out = dense<1> : tensor<3x1xi8>, weight_shift_in = 0 : i64, weight_shift_rec = 0 : i64, weight_shift_out = 0 : i64, dash_mem = 0 : i64, dash_syn = 0 : i64, dash_syn_2 = 0 : i64, threshold = 1 : i64, dash_mem_out = 0 : i64, dash_syn_out = 0 : i64, threshold_out = 1 : i64, aliases = array<i64: -1, 3, 0>} : !snn.spikes<2> -> !snn.spikes<1>
  snn.output %y : !snn.spikes<1>
}
