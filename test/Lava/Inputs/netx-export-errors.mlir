// The integer form of another target: its decays round to nearest.
snn.network @rounding(%input: !snn.spikes<2>) -> (output: !snn.spikes<2>) attributes {dt = 1.0 : f64} {
  %w = snn.qlinear "w" %input overflow(wrap) {acc_bits = 32 : i64, scale = 1.0 : f64, weight = dense<[[4, -3], [2, 5]]> : tensor<2x2xi16>, weight_bits = 10 : i64} : !snn.spikes<2> -> !snn.values<2>
  %w.d = snn.delay %w {steps = 1 : i64} : !snn.values<2> -> !snn.values<2>
  // expected-error @+1 {{'snn.qneuron' op cannot be a netx layer: Lava's decays truncate toward zero (rounding(toward_zero)) (quantize it with snn-quantize target=targets/loihi2.json)}}
  %n = snn.qneuron "n" %w.d decay(multiply) rounding(nearest_even) overflow(saturate_symmetric) i_overflow(wrap_once) reset(to_value, same_step) fire(gt) {decay_shift = 12 : i64, i_bits = 24 : i64, i_decay = 0 : i64, i_scale = 1.0 : f64, input_bits = 32 : i64, input_shift = 6 : i64, v_bits = 24 : i64, v_decay = 3072 : i64, v_reset = 0 : i64, v_scale = 1.0 : f64, v_threshold = 640 : i64} : !snn.values<2> -> !snn.spikes<2>
  snn.output %n : !snn.spikes<2>
}

// -----

// A mixed-sign matrix with 255: netx clips it to 254.
snn.network @clipped(%input: !snn.spikes<2>) -> (output: !snn.spikes<2>) attributes {dt = 1.0 : f64} {
  // expected-error @+1 {{'snn.qlinear' op cannot be a netx layer: netx's optimize_weight_bits and Lava's weight preparation turn forward weight 255 (index 0) into 254}}
  %w = snn.qlinear "w" %input overflow(wrap) {acc_bits = 32 : i64, scale = 1.0 : f64, weight = dense<[[255, -3], [2, 5]]> : tensor<2x2xi16>, weight_bits = 10 : i64} : !snn.spikes<2> -> !snn.values<2>
  %w.d = snn.delay %w {steps = 1 : i64} : !snn.values<2> -> !snn.values<2>
  %n = snn.qneuron "n" %w.d decay(multiply) rounding(toward_zero) overflow(saturate_symmetric) i_overflow(wrap_once) reset(to_value, same_step) fire(gt) {decay_shift = 12 : i64, i_bits = 24 : i64, i_decay = 0 : i64, i_scale = 1.0 : f64, input_bits = 32 : i64, input_shift = 6 : i64, v_bits = 24 : i64, v_decay = 3072 : i64, v_reset = 0 : i64, v_scale = 1.0 : f64, v_threshold = 640 : i64} : !snn.values<2> -> !snn.spikes<2>
  snn.output %n : !snn.spikes<2>
}

// -----

// A layer whose spikes feed two layers.
snn.network @branch(%input: !snn.spikes<2>) -> (output: !snn.spikes<2>) attributes {dt = 1.0 : f64} {
  %w = snn.qlinear "w" %input overflow(wrap) {acc_bits = 32 : i64, scale = 1.0 : f64, weight = dense<[[4, -3], [2, 5]]> : tensor<2x2xi16>, weight_bits = 10 : i64} : !snn.spikes<2> -> !snn.values<2>
  %w.d = snn.delay %w {steps = 1 : i64} : !snn.values<2> -> !snn.values<2>
  // expected-error @+1 {{'snn.qneuron' op cannot be written as netx: its output feeds 2 ops; netx layers form one chain (no branches or skip connections)}}
  %n = snn.qneuron "n" %w.d decay(multiply) rounding(toward_zero) overflow(saturate_symmetric) i_overflow(wrap_once) reset(to_value, same_step) fire(gt) {decay_shift = 12 : i64, i_bits = 24 : i64, i_decay = 0 : i64, i_scale = 1.0 : f64, input_bits = 32 : i64, input_shift = 6 : i64, v_bits = 24 : i64, v_decay = 3072 : i64, v_reset = 0 : i64, v_scale = 1.0 : f64, v_threshold = 640 : i64} : !snn.values<2> -> !snn.spikes<2>
  %a = snn.qlinear "a" %n overflow(wrap) {acc_bits = 32 : i64, scale = 1.0 : f64, weight = dense<[[4, -3], [2, 5]]> : tensor<2x2xi16>, weight_bits = 10 : i64} : !snn.spikes<2> -> !snn.values<2>
  %a.d = snn.delay %a {steps = 1 : i64} : !snn.values<2> -> !snn.values<2>
  %na = snn.qneuron "na" %a.d decay(multiply) rounding(toward_zero) overflow(saturate_symmetric) i_overflow(wrap_once) reset(to_value, same_step) fire(gt) {decay_shift = 12 : i64, i_bits = 24 : i64, i_decay = 0 : i64, i_scale = 1.0 : f64, input_bits = 32 : i64, input_shift = 6 : i64, v_bits = 24 : i64, v_decay = 3072 : i64, v_reset = 0 : i64, v_scale = 1.0 : f64, v_threshold = 640 : i64} : !snn.values<2> -> !snn.spikes<2>
  %b = snn.qlinear "b" %n overflow(wrap) {acc_bits = 32 : i64, scale = 1.0 : f64, weight = dense<[[4, -3], [2, 5]]> : tensor<2x2xi16>, weight_bits = 10 : i64} : !snn.spikes<2> -> !snn.values<2>
  %b.d = snn.delay %b {steps = 1 : i64} : !snn.values<2> -> !snn.values<2>
  %nb = snn.qneuron "nb" %b.d decay(multiply) rounding(toward_zero) overflow(saturate_symmetric) i_overflow(wrap_once) reset(to_value, same_step) fire(gt) {decay_shift = 12 : i64, i_bits = 24 : i64, i_decay = 0 : i64, i_scale = 1.0 : f64, input_bits = 32 : i64, input_shift = 6 : i64, v_bits = 24 : i64, v_decay = 3072 : i64, v_reset = 0 : i64, v_scale = 1.0 : f64, v_threshold = 640 : i64} : !snn.values<2> -> !snn.spikes<2>
  snn.output %na : !snn.spikes<2>
}

// -----

// Layer 2 reads layer 1 and its own spikes two steps later (netx's
// recurrence takes one step).
snn.network @recurrence(%input: !snn.spikes<2>) -> (output: !snn.spikes<2>) attributes {dt = 1.0 : f64} {
  %w = snn.qlinear "w" %input overflow(wrap) {acc_bits = 32 : i64, scale = 1.0 : f64, weight = dense<[[4, -3], [2, 5]]> : tensor<2x2xi16>, weight_bits = 10 : i64} : !snn.spikes<2> -> !snn.values<2>
  %w.d = snn.delay %w {steps = 1 : i64} : !snn.values<2> -> !snn.values<2>
  %n = snn.qneuron "n" %w.d decay(multiply) rounding(toward_zero) overflow(saturate_symmetric) i_overflow(wrap_once) reset(to_value, same_step) fire(gt) {decay_shift = 12 : i64, i_bits = 24 : i64, i_decay = 0 : i64, i_scale = 1.0 : f64, input_bits = 32 : i64, input_shift = 6 : i64, v_bits = 24 : i64, v_decay = 3072 : i64, v_reset = 0 : i64, v_scale = 1.0 : f64, v_threshold = 640 : i64} : !snn.values<2> -> !snn.spikes<2>
  %a = snn.qlinear "a" %n overflow(wrap) {acc_bits = 32 : i64, scale = 1.0 : f64, weight = dense<[[4, -3], [2, 5]]> : tensor<2x2xi16>, weight_bits = 10 : i64} : !snn.spikes<2> -> !snn.values<2>
  %a.d = snn.delay %a {steps = 1 : i64} : !snn.values<2> -> !snn.values<2>
  %b = snn.qlinear "b" %m overflow(wrap) {acc_bits = 32 : i64, scale = 1.0 : f64, weight = dense<[[4, -3], [2, 5]]> : tensor<2x2xi16>, weight_bits = 10 : i64} : !snn.spikes<2> -> !snn.values<2>
  %b.d = snn.delay %b {steps = 2 : i64} : !snn.values<2> -> !snn.values<2>
  // expected-error @+1 {{'snn.sum' op cannot be in a netx network: a layer's input is one projection of the layer before, plus at most its own spikes through one snn.qlinear and snn.delay {steps = 1} (dense_rec); this is fan-in netx cannot express}}
  %s = snn.sum %a.d, %b.d : !snn.values<2>, !snn.values<2> -> !snn.values<2>
  %m = snn.qneuron "m" %s decay(multiply) rounding(toward_zero) overflow(saturate_symmetric) i_overflow(wrap_once) reset(to_value, same_step) fire(gt) {decay_shift = 12 : i64, i_bits = 24 : i64, i_decay = 0 : i64, i_scale = 1.0 : f64, input_bits = 32 : i64, input_shift = 6 : i64, v_bits = 24 : i64, v_decay = 3072 : i64, v_reset = 0 : i64, v_scale = 1.0 : f64, v_threshold = 640 : i64} : !snn.values<2> -> !snn.spikes<2>
  snn.output %m : !snn.spikes<2>
}

// -----

// Lava's Dense has no bias.
snn.network @bias(%input: !snn.spikes<2>) -> (output: !snn.spikes<2>) attributes {dt = 1.0 : f64} {
  // expected-error @+1 {{'snn.qlinear' op cannot be a netx layer: Lava's Dense has no bias (the neuron's v_bias holds one)}}
  %w = snn.qlinear "w" %input overflow(wrap) {acc_bits = 32 : i64, scale = 1.0 : f64, weight = dense<[[4, -3], [2, 5]]> : tensor<2x2xi16>, weight_bits = 10 : i64, bias = dense<[1, 2]> : tensor<2xi32>} : !snn.spikes<2> -> !snn.values<2>
  %w.d = snn.delay %w {steps = 1 : i64} : !snn.values<2> -> !snn.values<2>
  %n = snn.qneuron "n" %w.d decay(multiply) rounding(toward_zero) overflow(saturate_symmetric) i_overflow(wrap_once) reset(to_value, same_step) fire(gt) {decay_shift = 12 : i64, i_bits = 24 : i64, i_decay = 0 : i64, i_scale = 1.0 : f64, input_bits = 32 : i64, input_shift = 6 : i64, v_bits = 24 : i64, v_decay = 3072 : i64, v_reset = 0 : i64, v_scale = 1.0 : f64, v_threshold = 640 : i64} : !snn.values<2> -> !snn.spikes<2>
  snn.output %n : !snn.spikes<2>
}

// -----

// A synaptic delay of two steps.
snn.network @delay(%input: !snn.spikes<2>) -> (output: !snn.spikes<2>) attributes {dt = 1.0 : f64} {
  // expected-error @+1 {{'snn.qlinear' op cannot be a netx layer: Lava delivers a Dense's or Conv's sum one step later, so it must feed one snn.delay {steps = 1} alone (synaptic delays are not exported yet)}}
  %w = snn.qlinear "w" %input overflow(wrap) {acc_bits = 32 : i64, scale = 1.0 : f64, weight = dense<[[4, -3], [2, 5]]> : tensor<2x2xi16>, weight_bits = 10 : i64} : !snn.spikes<2> -> !snn.values<2>
  %w.d = snn.delay %w {steps = 2 : i64} : !snn.values<2> -> !snn.values<2>
  %n = snn.qneuron "n" %w.d decay(multiply) rounding(toward_zero) overflow(saturate_symmetric) i_overflow(wrap_once) reset(to_value, same_step) fire(gt) {decay_shift = 12 : i64, i_bits = 24 : i64, i_decay = 0 : i64, i_scale = 1.0 : f64, input_bits = 32 : i64, input_shift = 6 : i64, v_bits = 24 : i64, v_decay = 3072 : i64, v_reset = 0 : i64, v_scale = 1.0 : f64, v_threshold = 640 : i64} : !snn.values<2> -> !snn.spikes<2>
  snn.output %n : !snn.spikes<2>
}

// -----

// Lava's threshold is vth * 2^6.
snn.network @threshold(%input: !snn.spikes<2>) -> (output: !snn.spikes<2>) attributes {dt = 1.0 : f64} {
  %w = snn.qlinear "w" %input overflow(wrap) {acc_bits = 32 : i64, scale = 1.0 : f64, weight = dense<[[4, -3], [2, 5]]> : tensor<2x2xi16>, weight_bits = 10 : i64} : !snn.spikes<2> -> !snn.values<2>
  %w.d = snn.delay %w {steps = 1 : i64} : !snn.values<2> -> !snn.values<2>
  // expected-error @+1 {{'snn.qneuron' op cannot be a netx layer: Lava's threshold is vth * 64 with vth >= 0; v_threshold = 100 is not}}
  %n = snn.qneuron "n" %w.d decay(multiply) rounding(toward_zero) overflow(saturate_symmetric) i_overflow(wrap_once) reset(to_value, same_step) fire(gt) {decay_shift = 12 : i64, i_bits = 24 : i64, i_decay = 0 : i64, i_scale = 1.0 : f64, input_bits = 32 : i64, input_shift = 6 : i64, v_bits = 24 : i64, v_decay = 3072 : i64, v_reset = 0 : i64, v_scale = 1.0 : f64, v_threshold = 100 : i64} : !snn.values<2> -> !snn.spikes<2>
  snn.output %n : !snn.spikes<2>
}
