// RUN: snn-opt %s -split-input-file -verify-diagnostics

// Tests that a weight must fit its declared bits (symmetric range).
snn.network @wide_weight(%x: !snn.spikes<2>) -> (y: !snn.values<1>) attributes {dt = 1.0} {
  // expected-error @+1 {{weight -8 at flat index 1 does not fit 4-bit weights [-7, 7]}}
  %y = snn.qlinear "fc" %x overflow(saturate) {weight = dense<[[3, -8]]> : tensor<1x2xi8>, weight_bits = 4 : i64, acc_bits = 16 : i64, scale = 0.5 : f64} : !snn.spikes<2> -> !snn.values<1>
  snn.output %y : !snn.values<1>
}

// -----

// Tests that a bias must fit the accumulator.
snn.network @wide_bias(%x: !snn.spikes<2>) -> (y: !snn.values<1>) attributes {dt = 1.0} {
  // expected-error @+1 {{bias 200 at row 0 does not fit the 8-bit accumulator}}
  %y = snn.qlinear "fc" %x overflow(wrap) {weight = dense<[[3, 1]]> : tensor<1x2xi8>, bias = dense<[200]> : tensor<1xi32>, weight_bits = 4 : i64, acc_bits = 8 : i64, scale = 0.5 : f64} : !snn.spikes<2> -> !snn.values<1>
  snn.output %y : !snn.values<1>
}

// -----

// Tests that a per-row unit has one value per row.
snn.network @unit_rows(%x: !snn.spikes<2>) -> (y: !snn.values<1>) attributes {dt = 1.0} {
  // expected-error @+1 {{scale has 2 values but there are 1 rows (give one, or one per row)}}
  %y = snn.qlinear "fc" %x overflow(saturate) {weight = dense<[[3, 1]]> : tensor<1x2xi8>, weight_bits = 8 : i64, acc_bits = 16 : i64, scale = dense<[0.5, 0.25]> : tensor<2xf64>} : !snn.spikes<2> -> !snn.values<1>
  snn.output %y : !snn.values<1>
}

// -----

// Tests that a unit must be positive.
snn.network @negative_unit(%x: !snn.spikes<2>) -> (y: !snn.values<1>) attributes {dt = 1.0} {
  // expected-error @+1 {{scale must be positive and finite but is -0.5}}
  %y = snn.qlinear "fc" %x overflow(saturate) {weight = dense<[[3, 1]]> : tensor<1x2xi8>, weight_bits = 8 : i64, acc_bits = 16 : i64, scale = -0.5 : f64} : !snn.spikes<2> -> !snn.values<1>
  snn.output %y : !snn.values<1>
}

// -----

// Tests that a threshold must fit the membrane's width.
snn.network @wide_threshold(%x: !snn.values<2>) -> (y: !snn.spikes<2>) attributes {dt = 1.0} {
  // expected-error @+1 {{v_threshold 200 does not fit 8-bit state [-128, 127]}}
  %y = snn.qneuron "n" %x decay(shift) rounding(floor) overflow(saturate) reset(subtract, same_step) fire(gt) {v_bits = 8 : i64, v_decay = 3 : i64, v_threshold = 200 : i64, v_scale = 1.0 : f64} : !snn.values<2> -> !snn.spikes<2>
  snn.output %y : !snn.spikes<2>
}

// -----

// Tests that a decay multiplier is at most 2^decay_shift, naming the neuron.
snn.network @decay_growth(%x: !snn.values<2>) -> (y: !snn.spikes<2>) attributes {dt = 1.0} {
  // expected-error @+1 {{v_decay 4097 does not fit multipliers of shift 12 [0, 4096] at neuron 1}}
  %y = snn.qneuron "n" %x decay(multiply) rounding(nearest_even) overflow(saturate) reset(subtract, same_step) fire(gt) {v_bits = 16 : i64, decay_shift = 12 : i64, v_decay = dense<[4000, 4097]> : tensor<2xi64>, v_threshold = 100 : i64, v_scale = 1.0 : f64} : !snn.values<2> -> !snn.spikes<2>
  snn.output %y : !snn.spikes<2>
}

// -----

// Tests that decay(multiply) needs its shift.
snn.network @no_shift(%x: !snn.values<2>) -> (y: !snn.spikes<2>) attributes {dt = 1.0} {
  // expected-error @+1 {{decay(multiply) needs decay_shift}}
  %y = snn.qneuron "n" %x decay(multiply) rounding(nearest_even) overflow(saturate) reset(subtract, same_step) fire(gt) {v_bits = 16 : i64, v_decay = 4000 : i64, v_threshold = 100 : i64, v_scale = 1.0 : f64} : !snn.values<2> -> !snn.spikes<2>
  snn.output %y : !snn.spikes<2>
}

// -----

// Tests that decay(shift) carries no multiplier shift that it would ignore.
snn.network @stray_shift(%x: !snn.values<2>) -> (y: !snn.spikes<2>) attributes {dt = 1.0} {
  // expected-error @+1 {{decay_shift is given but decay(shift) does not use it}}
  %y = snn.qneuron "n" %x decay(shift) rounding(nearest_even) overflow(saturate) reset(subtract, same_step) fire(gt) {v_bits = 16 : i64, decay_shift = 12 : i64, v_decay = 4 : i64, v_threshold = 100 : i64, v_scale = 1.0 : f64} : !snn.values<2> -> !snn.spikes<2>
  snn.output %y : !snn.spikes<2>
}

// -----

// Tests that a firing neuron declares threshold, reset and spike condition together.
snn.network @half_firing(%x: !snn.values<2>) -> (y: !snn.spikes<2>) attributes {dt = 1.0} {
  // expected-error @+1 {{v_threshold, reset(...) and fire(...) come together}}
  %y = snn.qneuron "n" %x decay(shift) rounding(floor) overflow(saturate) fire(gt) {v_bits = 16 : i64, v_threshold = 100 : i64, v_scale = 1.0 : f64} : !snn.values<2> -> !snn.spikes<2>
  snn.output %y : !snn.spikes<2>
}

// -----

// Tests that a neuron without threshold emits values.
snn.network @silent_spikes(%x: !snn.values<2>) -> (y: !snn.spikes<2>) attributes {dt = 1.0} {
  // expected-error @+1 {{result must be !snn.values (the neuron has no v_threshold)}}
  %y = snn.qneuron "n" %x decay(shift) rounding(floor) overflow(saturate) {v_bits = 16 : i64, v_scale = 1.0 : f64} : !snn.values<2> -> !snn.spikes<2>
  snn.output %y : !snn.spikes<2>
}

// -----

// Tests that a current's decay needs the current's width.
snn.network @current_without_bits(%x: !snn.values<2>) -> (y: !snn.values<2>) attributes {dt = 1.0} {
  // expected-error @+1 {{i_decay and i_scale need i_bits (a current)}}
  %y = snn.qneuron "n" %x decay(shift) rounding(floor) overflow(saturate) {v_bits = 16 : i64, i_decay = 2 : i64, v_scale = 1.0 : f64} : !snn.values<2> -> !snn.values<2>
  snn.output %y : !snn.values<2>
}

// -----

// Tests that integers in different units are not added.
snn.network @mixed_units(%x: !snn.spikes<2>) -> (y: !snn.values<1>) attributes {dt = 1.0} {
  %a = snn.qlinear "a" %x overflow(saturate) {weight = dense<[[3, 1]]> : tensor<1x2xi8>, weight_bits = 8 : i64, acc_bits = 16 : i64, scale = 0.5 : f64} : !snn.spikes<2> -> !snn.values<1>
  %b = snn.qlinear "b" %x overflow(saturate) {weight = dense<[[1, 1]]> : tensor<1x2xi8>, weight_bits = 8 : i64, acc_bits = 16 : i64, scale = 0.25 : f64} : !snn.spikes<2> -> !snn.values<1>
  // expected-error @+1 {{input 1 is in units of 0.25 but input 0 in units of 0.5 at element 0; integers in different units cannot be added}}
  %s = snn.sum %a, %b : !snn.values<1>, !snn.values<1> -> !snn.values<1>
  snn.output %s : !snn.values<1>
}

// -----

// Tests that input quantization has a sensible width.
snn.network @quantize_bits(%x: !snn.values<2>) -> (y: !snn.values<2>) attributes {dt = 1.0} {
  // expected-error @+1 {{bits must be in [2, 32] but is 40}}
  %q = snn.quantize %x {scale = 0.1 : f64, bits = 40 : i64} : !snn.values<2> -> !snn.values<2>
  snn.output %q : !snn.values<2>
}

// -----

// Tests that a per-step neuron with a current gives both its decay and gain.
snn.network @step_current(%x: !snn.values<2>) -> (y: !snn.values<2>) attributes {dt = 1.0} {
  // expected-error @+1 {{i_decay and i_gain come together (a current)}}
  %y = snn.neuron "n" %x {v_decay = 0.9 : f64, v_gain = 1.0 : f64, v_bias = 0.0 : f64, i_decay = 0.5 : f64} : !snn.values<2> -> !snn.values<2>
  snn.output %y : !snn.values<2>
}

// -----

// Tests that a huge splat integer weight is checked once, quickly, not walked
// over its 10^10 elements.
snn.network @huge_splat_weight(%x: !snn.spikes<100000>) -> (y: !snn.values<100000>) attributes {dt = 1.0} {
  // expected-error @+1 {{weight 9 (every element) does not fit 4-bit weights [-7, 7]}}
  %y = snn.qlinear "fc" %x overflow(saturate) {weight = dense<9> : tensor<100000x100000xi8>, weight_bits = 4 : i64, acc_bits = 16 : i64, scale = 0.5 : f64} : !snn.spikes<100000> -> !snn.values<100000>
  snn.output %y : !snn.values<100000>
}

// -----

// Tests that the current's own overflow (Lava's wrap_once) needs a current.
snn.network @i_overflow_without_current(%x: !snn.values<2>) -> (y: !snn.values<2>) attributes {dt = 1.0} {
  // expected-error @+1 {{i_overflow needs i_bits (a current)}}
  %y = snn.qneuron %x decay(multiply) rounding(toward_zero) overflow(saturate_symmetric) i_overflow(wrap_once) {v_bits = 24 : i64, decay_shift = 12 : i64, v_scale = 1.0 : f64} : !snn.values<2> -> !snn.values<2>
  snn.output %y : !snn.values<2>
}

// -----

// Tests that the input shift stays within its range.
snn.network @input_shift_range(%x: !snn.values<2>) -> (y: !snn.values<2>) attributes {dt = 1.0} {
  // expected-error @+1 {{input_shift must be in [0, 30] but is 31}}
  %y = snn.qneuron %x decay(multiply) rounding(toward_zero) overflow(saturate_symmetric) {v_bits = 24 : i64, decay_shift = 12 : i64, v_scale = 1.0 : f64, input_shift = 31 : i64} : !snn.values<2> -> !snn.values<2>
  snn.output %y : !snn.values<2>
}

// -----

// Tests that the input's width stays within its range.
snn.network @input_bits_range(%x: !snn.values<2>) -> (y: !snn.values<2>) attributes {dt = 1.0} {
  // expected-error @+1 {{input_bits must be in [2, 32] but is 64}}
  %y = snn.qneuron %x decay(multiply) rounding(toward_zero) overflow(saturate_symmetric) {v_bits = 24 : i64, decay_shift = 12 : i64, v_scale = 1.0 : f64, input_bits = 64 : i64} : !snn.values<2> -> !snn.values<2>
  snn.output %y : !snn.values<2>
}

// -----

// Tests that a projection refuses the neuron-state overflows.
snn.network @projection_wrap_once(%x: !snn.spikes<2>) -> (y: !snn.values<1>) attributes {dt = 1.0} {
  // expected-error @+1 {{overflow(wrap_once) is for neuron states; a projection takes saturate or wrap}}
  %a = snn.qlinear %x overflow(wrap_once) {weight = dense<[[3, 1]]> : tensor<1x2xi8>, weight_bits = 8 : i64, acc_bits = 16 : i64, scale = 1.0 : f64} : !snn.spikes<2> -> !snn.values<1>
  snn.output %a : !snn.values<1>
}

// -----

// Tests that a negative weight exponent stays within its range.
snn.network @weight_exp_range(%x: !snn.spikes<2>) -> (y: !snn.values<1>) attributes {dt = 1.0} {
  // expected-error @+1 {{weight_exp must be in [-24, 24] but is -25}}
  %a = snn.qlinear %x overflow(wrap) {weight = dense<[[3, 1]]> : tensor<1x2xi8>, weight_bits = 8 : i64, weight_exp = -25 : i64, acc_bits = 32 : i64, scale = 1.0 : f64} : !snn.spikes<2> -> !snn.values<1>
  snn.output %a : !snn.values<1>
}
