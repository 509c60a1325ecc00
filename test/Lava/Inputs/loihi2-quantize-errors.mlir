// A neuron without a threshold: every netx neuron fires.
snn.network @li(%input: !snn.spikes<2>) -> (output: !snn.values<2>) attributes {dt = 1.0e-3 : f64} {
  %w = snn.linear "w" %input {weight = dense<[[0.5, -0.25], [0.1, 0.2]]> : tensor<2x2xf32>} : !snn.spikes<2> -> !snn.values<2>
  // expected-error @+1 {{'snn.li' op cannot be quantized for Loihi 2: netx's neurons always fire; a neuron without a threshold has no netx form}}
  %n = snn.li "n" %w integration(euler) {tau = 4.0e-3 : f64, r = 1.0 : f64, v_leak = 0.0 : f64} : !snn.values<2> -> !snn.values<2>
  snn.output %n : !snn.values<2>
}

// -----

// A real-valued input: netx's dense layers read spikes.
// expected-error @+1 {{'snn.network' op cannot be quantized for Loihi 2: its input must be spikes (netx's dense layers read spikes; an input layer driven by real values is not made here yet)}}
snn.network @values(%input: !snn.values<2>) -> (output: !snn.spikes<2>) attributes {dt = 1.0e-3 : f64} {
  %w = snn.linear "w" %input {weight = dense<[[0.5, -0.25], [0.1, 0.2]]> : tensor<2x2xf32>} : !snn.values<2> -> !snn.values<2>
  %n = snn.lif "n" %w integration(euler) reset(to_value, same_step) fire(gt) {tau = 4.0e-3 : f64, r = 1.0 : f64, v_leak = 0.0 : f64, v_threshold = 0.5 : f64, v_reset = 0.0 : f64} : !snn.values<2> -> !snn.spikes<2>
  snn.output %n : !snn.spikes<2>
}

// -----

// Two layers read the first one.
snn.network @branch(%input: !snn.spikes<2>) -> (output: !snn.spikes<2>) attributes {dt = 1.0e-3 : f64} {
  %w = snn.linear "w" %input {weight = dense<[[0.5, -0.25], [0.1, 0.2]]> : tensor<2x2xf32>} : !snn.spikes<2> -> !snn.values<2>
  // expected-error @+1 {{'snn.lif' op cannot be quantized for Loihi 2: its output feeds 2 ops; netx layers form one chain (no branches or skip connections)}}
  %n = snn.lif "n" %w integration(euler) reset(to_value, same_step) fire(gt) {tau = 4.0e-3 : f64, r = 1.0 : f64, v_leak = 0.0 : f64, v_threshold = 0.5 : f64, v_reset = 0.0 : f64} : !snn.values<2> -> !snn.spikes<2>
  %a = snn.linear "a" %n {weight = dense<[[0.5, -0.25], [0.1, 0.2]]> : tensor<2x2xf32>} : !snn.spikes<2> -> !snn.values<2>
  %b = snn.linear "b" %n {weight = dense<[[0.5, -0.25], [0.1, 0.2]]> : tensor<2x2xf32>} : !snn.spikes<2> -> !snn.values<2>
  %s = snn.sum %a, %b : !snn.values<2>, !snn.values<2> -> !snn.values<2>
  %m = snn.lif "m" %s integration(euler) reset(to_value, same_step) fire(gt) {tau = 4.0e-3 : f64, r = 1.0 : f64, v_leak = 0.0 : f64, v_threshold = 0.5 : f64, v_reset = 0.0 : f64} : !snn.values<2> -> !snn.spikes<2>
  snn.output %m : !snn.spikes<2>
}

// -----

// Overlapping pooling windows: netx has no pooling, and only windows that
// neither overlap nor pad fold exactly into the next layer's weights.
snn.network @overlap(%input: !snn.spikes<1x4x4>) -> (output: !snn.spikes<1x2x2>) attributes {dt = 1.0e-3 : f64} {
  %c = snn.conv2d "c" %input {weight = dense<0.5> : tensor<1x1x1x1xf32>, bias = dense<0.0> : tensor<1xf32>, stride = array<i64: 1, 1>, padding = array<i64: 0, 0>, dilation = array<i64: 1, 1>, groups = 1 : i64} : !snn.spikes<1x4x4> -> !snn.values<1x4x4>
  %n = snn.lif "n" %c integration(euler) reset(to_value, same_step) fire(gt) {tau = 4.0e-3 : f64, r = 1.0 : f64, v_leak = 0.0 : f64, v_threshold = 0.5 : f64, v_reset = 0.0 : f64} : !snn.values<1x4x4> -> !snn.spikes<1x4x4>
  // expected-error @+1 {{'snn.sum_pool2d' op cannot be quantized for Loihi 2: netx has no pooling, and only a pooling whose windows neither overlap nor pad (kernel_size = stride, padding 0) folds exactly into the next layer's weights}}
  %p = snn.sum_pool2d "p" %n {kernel_size = array<i64: 2, 2>, stride = array<i64: 1, 1>, padding = array<i64: 0, 0>} : !snn.spikes<1x4x4> -> !snn.values<1x3x3>
  %d = snn.conv2d "d" %p {weight = dense<0.5> : tensor<1x1x2x2xf32>, bias = dense<0.0> : tensor<1xf32>, stride = array<i64: 1, 1>, padding = array<i64: 0, 0>, dilation = array<i64: 1, 1>, groups = 1 : i64} : !snn.values<1x3x3> -> !snn.values<1x2x2>
  %m = snn.lif "m" %d integration(euler) reset(to_value, same_step) fire(gt) {tau = 4.0e-3 : f64, r = 1.0 : f64, v_leak = 0.0 : f64, v_threshold = 0.5 : f64, v_reset = 0.0 : f64} : !snn.values<1x2x2> -> !snn.spikes<1x2x2>
  snn.output %m : !snn.spikes<1x2x2>
}

// -----

// A pooling that leaves a row out, before a conv: the conv's zero padding
// would fall on that row once folded.
snn.network @uncovered(%input: !snn.spikes<1x5x5>) -> (output: !snn.spikes<1x4x4>) attributes {dt = 1.0e-3 : f64} {
  %c = snn.conv2d "c" %input {weight = dense<0.5> : tensor<1x1x1x1xf32>, bias = dense<0.0> : tensor<1xf32>, stride = array<i64: 1, 1>, padding = array<i64: 0, 0>, dilation = array<i64: 1, 1>, groups = 1 : i64} : !snn.spikes<1x5x5> -> !snn.values<1x5x5>
  %n = snn.lif "n" %c integration(euler) reset(to_value, same_step) fire(gt) {tau = 4.0e-3 : f64, r = 1.0 : f64, v_leak = 0.0 : f64, v_threshold = 0.5 : f64, v_reset = 0.0 : f64} : !snn.values<1x5x5> -> !snn.spikes<1x5x5>
  // expected-error @+1 {{'snn.sum_pool2d' op cannot be quantized for Loihi 2: netx has no pooling, and folding it into the next conv needs windows that cover the map (5 is not a multiple of 2)}}
  %p = snn.sum_pool2d "p" %n {kernel_size = array<i64: 2, 2>, stride = array<i64: 2, 2>, padding = array<i64: 0, 0>} : !snn.spikes<1x5x5> -> !snn.values<1x2x2>
  %d = snn.conv2d "d" %p {weight = dense<0.5> : tensor<1x1x1x1xf32>, bias = dense<0.0> : tensor<1xf32>, stride = array<i64: 1, 1>, padding = array<i64: 1, 1>, dilation = array<i64: 1, 1>, groups = 1 : i64} : !snn.values<1x2x2> -> !snn.values<1x4x4>
  %m = snn.lif "m" %d integration(euler) reset(to_value, same_step) fire(gt) {tau = 4.0e-3 : f64, r = 1.0 : f64, v_leak = 0.0 : f64, v_threshold = 0.5 : f64, v_reset = 0.0 : f64} : !snn.values<1x4x4> -> !snn.spikes<1x4x4>
  snn.output %m : !snn.spikes<1x4x4>
}
