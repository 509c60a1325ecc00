// RUN: snn-opt %s -split-input-file -verify-diagnostics

// Tests that a signal needs positive dimensions.
// expected-error @+1 {{signal dimensions must be positive, got 0}}
snn.network @zero_dim(%in: !snn.spikes<0>) -> (out: !snn.spikes<0>) attributes {dt = 1.0} {
  snn.output %in : !snn.spikes<0>
}

// -----

// Tests that dt must be positive.
// expected-error @+1 {{dt must be a positive number of seconds, got 0}}
snn.network @no_dt(%in: !snn.values<2>) -> (out: !snn.values<2>) attributes {dt = 0.0} {
  snn.output %in : !snn.values<2>
}

// -----

// Tests that network inputs are signals.
// expected-error @+1 {{inputs and outputs must be !snn.spikes or !snn.values, got 'f32'}}
snn.network @builtin_type(%in: f32) -> (out: f32) attributes {dt = 1.0} {
  snn.output %in : f32
}

// -----

// Tests that output names are unique.
// expected-error @+1 {{output name 'y' appears twice}}
snn.network @twice(%in: !snn.values<2>) -> (y: !snn.values<2>, y: !snn.values<2>) attributes {dt = 1.0} {
  snn.output %in, %in : !snn.values<2>, !snn.values<2>
}

// -----

// Tests that names and types agree in number (generic form).
// expected-error @+1 {{has 1 inputs but 0 input names}}
"snn.network"() <{dt = 1.0 : f64, function_type = (!snn.values<2>) -> (), input_names = [], output_names = [], sym_name = "n"}> ({
^bb0(%arg0: !snn.values<2>):
  "snn.output"() : () -> ()
}) : () -> ()

// -----

// Tests that the body's arguments are the declared inputs (generic form).
// expected-error @+1 {{body arguments do not match the declared inputs}}
"snn.network"() <{dt = 1.0 : f64, function_type = (!snn.values<2>) -> (), input_names = ["x"], output_names = [], sym_name = "n"}> ({
^bb0(%arg0: !snn.values<3>):
  "snn.output"() : () -> ()
}) : () -> ()

// -----

// Tests that the output op returns what the network declares.
snn.network @count(%in: !snn.values<2>) -> (a: !snn.values<2>, b: !snn.values<2>) attributes {dt = 1.0} {
  // expected-error @+1 {{returns 1 values but the network declares 2 outputs}}
  snn.output %in : !snn.values<2>
}

// -----

// Tests that a membrane readout cannot stand where spikes are promised.
snn.network @kind(%in: !snn.values<2>) -> (y: !snn.spikes<2>) attributes {dt = 1.0e-3} {
  %v = snn.li %in integration(euler) {tau = 1.0e-2, r = 1.0, v_leak = 0.0} : !snn.values<2> -> !snn.values<2>
  // expected-error @+1 {{output 0 ('y') is '!snn.values<2>' but the network declares '!snn.spikes<2>'}}
  snn.output %v : !snn.values<2>
}

// -----

// Tests that node names are unique within a network.
snn.network @names(%in: !snn.values<2>) -> (y: !snn.values<2>) attributes {dt = 1.0} {
  %a = snn.scale "a" %in {scale = 2.0} : !snn.values<2> -> !snn.values<2>
  // expected-error @+1 {{reuses the name 'a' of another op in the network}}
  %b = snn.scale "a" %a {scale = 2.0} : !snn.values<2> -> !snn.values<2>
  snn.output %b : !snn.values<2>
}

// -----

// Tests that a cycle of stateless ops is a combinational loop, named op by op.
snn.network @loop(%in: !snn.spikes<3>) -> (y: !snn.spikes<3>) attributes {dt = 1.0e-3} {
  %x = snn.linear "in" %in {weight = dense<1.0> : tensor<3x3xf32>} : !snn.spikes<3> -> !snn.values<3>
  // expected-error @+1 {{'snn.sum' op is on a combinational loop: snn.sum "s" -> snn.linear "rec" -> snn.sum "s" (no neuron or delay on the cycle holds state)}}
  %s = snn.sum "s" %x, %r : !snn.values<3>, !snn.values<3> -> !snn.values<3>
  %r = snn.linear "rec" %s {weight = dense<0.5> : tensor<3x3xf32>} : !snn.values<3> -> !snn.values<3>
  %h = snn.lif "h" %s integration(euler) reset(subtract, same_step) fire(gt) {tau = 1.0e-2, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<3> -> !snn.spikes<3>
  snn.output %h : !snn.spikes<3>
}

// -----

// Tests that an op feeding itself is a combinational loop.
snn.network @self(%in: !snn.values<3>) -> (y: !snn.values<3>) attributes {dt = 1.0e-3} {
  // expected-error @+1 {{'snn.sum' op is on a combinational loop: snn.sum -> snn.sum}}
  %s = snn.sum %in, %s : !snn.values<3>, !snn.values<3> -> !snn.values<3>
  snn.output %s : !snn.values<3>
}

// -----

// Tests that a cycle through a neuron still needs a delay to fix which edge
// reads the previous step.
snn.network @no_delay(%in: !snn.spikes<3>) -> (y: !snn.spikes<3>) attributes {dt = 1.0e-3} {
  %x = snn.linear "in" %in {weight = dense<1.0> : tensor<3x3xf32>} : !snn.spikes<3> -> !snn.values<3>
  %r = snn.linear "rec" %h {weight = dense<0.5> : tensor<3x3xf32>} : !snn.spikes<3> -> !snn.values<3>
  %s = snn.sum %x, %r : !snn.values<3>, !snn.values<3> -> !snn.values<3>
  // expected-error @+1 {{'snn.lif' op is on a cycle without a delay: snn.lif "h" -> snn.linear "rec" -> snn.sum -> snn.lif "h"; put an snn.delay {steps = 1} on the edge that reads the previous step}}
  %h = snn.lif "h" %s integration(euler) reset(subtract, same_step) fire(gt) {tau = 1.0e-2, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<3> -> !snn.spikes<3>
  snn.output %h : !snn.spikes<3>
}

// -----

// Tests that graph ops live in a network.
func.func @outside(%x: !snn.values<3>) {
  // expected-error @+1 {{expects parent op 'snn.network'}}
  %y = snn.scale %x {scale = 1.0} : !snn.values<3> -> !snn.values<3>
  return
}

// -----

// Tests the weight layout of a projection.
snn.network @w_rank(%in: !snn.spikes<4>) -> (y: !snn.values<4>) attributes {dt = 1.0} {
  // expected-error @+1 {{weight must have rank 2 ([out, in]) but has rank 1}}
  %y = snn.linear %in {weight = dense<1.0> : tensor<4xf32>} : !snn.spikes<4> -> !snn.values<4>
  snn.output %y : !snn.values<4>
}

// -----

// Tests a weight whose columns do not match the input.
snn.network @w_cols(%in: !snn.spikes<784>) -> (y: !snn.values<10>) attributes {dt = 1.0} {
  // expected-error @+1 {{weight has 12 columns but the input has 784 neurons}}
  %y = snn.affine "fc" %in {weight = dense<1.0> : tensor<10x12xf32>, bias = dense<0.0> : tensor<10xf32>} : !snn.spikes<784> -> !snn.values<10>
  snn.output %y : !snn.values<10>
}

// -----

// Tests a bias that does not match the weight rows.
snn.network @bias(%in: !snn.spikes<12>) -> (y: !snn.values<3>) attributes {dt = 1.0} {
  // expected-error @+1 {{bias has shape 4 but the weight has 3 rows}}
  %y = snn.affine %in {weight = dense<1.0> : tensor<3x12xf32>, bias = dense<0.0> : tensor<4xf32>} : !snn.spikes<12> -> !snn.values<3>
  snn.output %y : !snn.values<3>
}

// -----

// Tests a declared result shape that the weights do not produce.
snn.network @result(%in: !snn.spikes<12>) -> (y: !snn.values<4>) attributes {dt = 1.0} {
  // expected-error @+1 {{result has shape 4 but the op produces shape 3}}
  %y = snn.linear %in {weight = dense<1.0> : tensor<3x12xf32>} : !snn.spikes<12> -> !snn.values<4>
  snn.output %y : !snn.values<4>
}

// -----

// Tests a per-neuron parameter with the wrong number of values.
snn.network @scale(%in: !snn.values<4>) -> (y: !snn.values<4>) attributes {dt = 1.0} {
  // expected-error @+1 {{scale has shape 3 but the neurons have shape 4 (give one value, or one per neuron)}}
  %y = snn.scale %in {scale = dense<[1.0, 2.0, 3.0]> : tensor<3xf64>} : !snn.values<4> -> !snn.values<4>
  snn.output %y : !snn.values<4>
}

// -----

// Tests the rank of a convolution weight.
snn.network @conv_rank(%in: !snn.spikes<2x8x8>) -> (y: !snn.values<4x6x6>) attributes {dt = 1.0} {
  // expected-error @+1 {{weight must have rank 4 ([out_channels, in_channels / groups, kh, kw]) but has rank 3}}
  %y = snn.conv2d %in {weight = dense<1.0> : tensor<4x2x3xf32>, bias = dense<0.0> : tensor<4xf32>, stride = array<i64: 1, 1>, padding = array<i64: 0, 0>, dilation = array<i64: 1, 1>, groups = 1} : !snn.spikes<2x8x8> -> !snn.values<4x6x6>
  snn.output %y : !snn.values<4x6x6>
}

// -----

// Tests the channel count of a convolution.
snn.network @conv_channels(%in: !snn.spikes<3x8x8>) -> (y: !snn.values<4x6x6>) attributes {dt = 1.0} {
  // expected-error @+1 {{input has 3 channels but the weight expects 2 per group x 1 groups = 2}}
  %y = snn.conv2d %in {weight = dense<1.0> : tensor<4x2x3x3xf32>, bias = dense<0.0> : tensor<4xf32>, stride = array<i64: 1, 1>, padding = array<i64: 0, 0>, dilation = array<i64: 1, 1>, groups = 1} : !snn.spikes<3x8x8> -> !snn.values<4x6x6>
  snn.output %y : !snn.values<4x6x6>
}

// -----

// Tests a convolution bias with the wrong number of channels.
snn.network @conv_bias(%in: !snn.spikes<2x8x8>) -> (y: !snn.values<4x6x6>) attributes {dt = 1.0} {
  // expected-error @+1 {{bias has shape 3 but the weight has 4 output channels}}
  %y = snn.conv2d %in {weight = dense<1.0> : tensor<4x2x3x3xf32>, bias = dense<0.0> : tensor<3xf32>, stride = array<i64: 1, 1>, padding = array<i64: 0, 0>, dilation = array<i64: 1, 1>, groups = 1} : !snn.spikes<2x8x8> -> !snn.values<4x6x6>
  snn.output %y : !snn.values<4x6x6>
}

// -----

// Tests a stride with one entry for a 2-d convolution.
snn.network @conv_stride(%in: !snn.spikes<2x8x8>) -> (y: !snn.values<4x6x6>) attributes {dt = 1.0} {
  // expected-error @+1 {{stride has 1 entries but there are 2 spatial dimensions}}
  %y = snn.conv2d %in {weight = dense<1.0> : tensor<4x2x3x3xf32>, bias = dense<0.0> : tensor<4xf32>, stride = array<i64: 1>, padding = array<i64: 0, 0>, dilation = array<i64: 1, 1>, groups = 1} : !snn.spikes<2x8x8> -> !snn.values<4x6x6>
  snn.output %y : !snn.values<4x6x6>
}

// -----

// Tests a convolution whose declared output shape is wrong.
snn.network @conv_out(%in: !snn.spikes<2x34x34>) -> (y: !snn.values<16x17x17>) attributes {dt = 1.0} {
  // expected-error @+1 {{result has shape 16x17x17 but the op produces shape 16x16x16}}
  %y = snn.conv2d %in {weight = dense<1.0> : tensor<16x2x5x5xf32>, bias = dense<0.0> : tensor<16xf32>, stride = array<i64: 2, 2>, padding = array<i64: 1, 1>, dilation = array<i64: 1, 1>, groups = 1} : !snn.spikes<2x34x34> -> !snn.values<16x17x17>
  snn.output %y : !snn.values<16x17x17>
}

// -----

// Tests a 1-d convolution on a 2-d input.
snn.network @conv1d_rank(%in: !snn.values<2x8x8>) -> (y: !snn.values<4x6>) attributes {dt = 1.0} {
  // expected-error @+1 {{input of shape 2x8x8 has rank 3 but a 1-d convolution needs [channels, length]}}
  %y = snn.conv1d %in {weight = dense<1.0> : tensor<4x2x3xf32>, bias = dense<0.0> : tensor<4xf32>, stride = array<i64: 1>, padding = array<i64: 0>, dilation = array<i64: 1>, groups = 1} : !snn.values<2x8x8> -> !snn.values<4x6>
  snn.output %y : !snn.values<4x6>
}

// -----

// Tests pooling on a flat input.
snn.network @pool_rank(%in: !snn.spikes<64>) -> (y: !snn.values<16>) attributes {dt = 1.0} {
  // expected-error @+1 {{input of shape 64 has rank 1 but 2-d pooling needs [channels, height, width]}}
  %y = snn.sum_pool2d %in {kernel_size = array<i64: 2, 2>, stride = array<i64: 2, 2>, padding = array<i64: 0, 0>} : !snn.spikes<64> -> !snn.values<16>
  snn.output %y : !snn.values<16>
}

// -----

// Tests a pooling window larger than the input.
snn.network @pool_window(%in: !snn.spikes<1x2x2>) -> (y: !snn.values<1x1x1>) attributes {dt = 1.0} {
  // expected-error @+1 {{spatial dimension 0 of size 2 is smaller than the window (3 with dilation 1 and padding 0)}}
  %y = snn.avg_pool2d %in {kernel_size = array<i64: 3, 3>, stride = array<i64: 1, 1>, padding = array<i64: 0, 0>} : !snn.spikes<1x2x2> -> !snn.values<1x1x1>
  snn.output %y : !snn.values<1x1x1>
}

// -----

// Tests a flatten whose dimensions do not exist.
snn.network @flatten_range(%in: !snn.spikes<2x3>) -> (y: !snn.spikes<6>) attributes {dt = 1.0} {
  // expected-error @+1 {{start_dim 2 is out of range for a rank-2 input}}
  %y = snn.flatten %in {start_dim = 2, end_dim = -1} : !snn.spikes<2x3> -> !snn.spikes<6>
  snn.output %y : !snn.spikes<6>
}

// -----

// Tests that a flatten keeps the element count.
snn.network @flatten_count(%in: !snn.spikes<2x3>) -> (y: !snn.spikes<5>) attributes {dt = 1.0} {
  // expected-error @+1 {{result has shape 5 but the op produces shape 6}}
  %y = snn.flatten %in {start_dim = 0, end_dim = -1} : !snn.spikes<2x3> -> !snn.spikes<5>
  snn.output %y : !snn.spikes<5>
}

// -----

// Tests that a flatten does not turn spikes into values.
snn.network @flatten_kind(%in: !snn.spikes<2x3>) -> (y: !snn.values<6>) attributes {dt = 1.0} {
  // expected-error @+1 {{result must be !snn.spikes like its input}}
  %y = snn.flatten %in {start_dim = 0, end_dim = -1} : !snn.spikes<2x3> -> !snn.values<6>
  snn.output %y : !snn.values<6>
}

// -----

// Tests a fan-in sum over edges of different sizes.
snn.network @sum_shape(%a: !snn.values<3>, %b: !snn.values<4>) -> (y: !snn.values<3>) attributes {dt = 1.0} {
  // expected-error @+1 {{input 1 has shape 4 but the sum has shape 3}}
  %y = snn.sum %a, %b : !snn.values<3>, !snn.values<4> -> !snn.values<3>
  snn.output %y : !snn.values<3>
}

// -----

// Tests a sum of nothing.
snn.network @sum_empty(%a: !snn.values<3>) -> (y: !snn.values<3>) attributes {dt = 1.0} {
  // expected-error @+1 {{needs at least one input}}
  %y = "snn.sum"() : () -> !snn.values<3>
  snn.output %y : !snn.values<3>
}

// -----

// Tests that a delay gives its length one way only.
snn.network @delay_both(%a: !snn.spikes<3>) -> (y: !snn.spikes<3>) attributes {dt = 1.0} {
  // expected-error @+1 {{needs exactly one of delay (seconds) and steps}}
  %y = snn.delay %a {delay = 1.0, steps = 1} : !snn.spikes<3> -> !snn.spikes<3>
  snn.output %y : !snn.spikes<3>
}

// -----

// Tests that a delay gives its length at all.
snn.network @delay_none(%a: !snn.spikes<3>) -> (y: !snn.spikes<3>) attributes {dt = 1.0} {
  // expected-error @+1 {{needs exactly one of delay (seconds) and steps}}
  %y = snn.delay %a : !snn.spikes<3> -> !snn.spikes<3>
  snn.output %y : !snn.spikes<3>
}

// -----

// Tests a negative delay.
snn.network @delay_negative(%a: !snn.spikes<3>) -> (y: !snn.spikes<3>) attributes {dt = 1.0} {
  // expected-error @+1 {{delay must be non-negative but is -1 at neuron 1}}
  %y = snn.delay %a {delay = dense<[1.0, -1.0, 0.0]> : tensor<3xf64>} : !snn.spikes<3> -> !snn.spikes<3>
  snn.output %y : !snn.spikes<3>
}

// -----

// Tests a negative delay in steps.
snn.network @steps_negative(%a: !snn.spikes<3>) -> (y: !snn.spikes<3>) attributes {dt = 1.0} {
  // expected-error @+1 {{steps must be non-negative but is -2}}
  %y = snn.delay %a {steps = -2} : !snn.spikes<3> -> !snn.spikes<3>
  snn.output %y : !snn.spikes<3>
}

// -----

// Tests per-neuron steps of the wrong count.
snn.network @steps_count(%a: !snn.spikes<3>) -> (y: !snn.spikes<3>) attributes {dt = 1.0} {
  // expected-error @+1 {{steps has 2 values but there are 3 neurons}}
  %y = snn.delay %a {steps = dense<[1, 2]> : tensor<2xi64>} : !snn.spikes<3> -> !snn.spikes<3>
  snn.output %y : !snn.spikes<3>
}

// -----

// Tests that a delay keeps its input's type.
snn.network @delay_type(%a: !snn.spikes<3>) -> (y: !snn.values<3>) attributes {dt = 1.0} {
  // expected-error @+1 {{result type '!snn.values<3>' differs from the input type '!snn.spikes<3>'}}
  %y = snn.delay %a {steps = 1} : !snn.spikes<3> -> !snn.values<3>
  snn.output %y : !snn.values<3>
}

// -----

// Tests a threshold over a different number of neurons than its input.
snn.network @threshold(%a: !snn.values<3>) -> (y: !snn.spikes<4>) attributes {dt = 1.0} {
  // expected-error @+1 {{input has shape 3 but the neurons have shape 4}}
  %y = snn.threshold %a fire(gt) {threshold = 1.0} : !snn.values<3> -> !snn.spikes<4>
  snn.output %y : !snn.spikes<4>
}

// -----

// Tests that a spiking neuron produces spikes.
snn.network @lif_kind(%a: !snn.values<3>) -> (y: !snn.values<3>) attributes {dt = 1.0e-3} {
  // expected-error @+1 {{result #0 must be binary events of a neuron population, one per neuron and step, but got '!snn.values<3>'}}
  %y = snn.lif %a integration(euler) reset(subtract, same_step) fire(gt) {tau = 1.0e-2, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<3> -> !snn.values<3>
  snn.output %y : !snn.values<3>
}

// -----

// Tests a neuron population fed by a layer of another size.
snn.network @lif_shape(%a: !snn.values<3>) -> (y: !snn.spikes<4>) attributes {dt = 1.0e-3} {
  // expected-error @+1 {{input has shape 3 but the neurons have shape 4}}
  %y = snn.lif %a integration(euler) reset(subtract, same_step) fire(gt) {tau = 1.0e-2, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<3> -> !snn.spikes<4>
  snn.output %y : !snn.spikes<4>
}

// -----

// Tests that time constants are positive (NIR files with negative tau exist).
snn.network @tau(%a: !snn.values<3>) -> (y: !snn.spikes<3>) attributes {dt = 1.0e-3} {
  // expected-error @+1 {{tau must be positive but is -0.01}}
  %y = snn.lif %a integration(euler) reset(subtract, same_step) fire(gt) {tau = -1.0e-2, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<3> -> !snn.spikes<3>
  snn.output %y : !snn.spikes<3>
}

// -----

// Tests that a per-neuron time constant names the neuron at fault.
snn.network @tau_mem(%a: !snn.values<2>) -> (y: !snn.spikes<2>) attributes {dt = 1.0e-3} {
  // expected-error @+1 {{tau_mem must be positive but is 0 at neuron 1}}
  %y = snn.cuba_lif %a integration(euler) reset(subtract, next_step) fire(gt) {tau_syn = 1.0e-2, tau_mem = dense<[1.0e-2, 0.0]> : tensor<2xf64>, r = 1.0, v_leak = 0.0, v_threshold = 1.0, w_in = 1.0} : !snn.values<2> -> !snn.spikes<2>
  snn.output %y : !snn.spikes<2>
}

// -----

// Tests that tau_syn is checked as well.
snn.network @tau_syn(%a: !snn.values<2>) -> (y: !snn.values<2>) attributes {dt = 1.0e-3} {
  // expected-error @+1 {{tau_syn must be positive but is 0}}
  %y = snn.cuba_li %a integration(exponential) {tau_syn = 0.0, tau_mem = 1.0e-2, r = 1.0, v_leak = 0.0, w_in = 1.0} : !snn.values<2> -> !snn.values<2>
  snn.output %y : !snn.values<2>
}

// -----

// Tests that parameters are finite.
snn.network @finite(%a: !snn.values<2>) -> (y: !snn.values<2>) attributes {dt = 1.0e-3} {
  // expected-error @+1 {{r is not finite}}
  %y = snn.integrator %a {r = 0x7FF0000000000000 : f64} : !snn.values<2> -> !snn.values<2>
  snn.output %y : !snn.values<2>
}

// -----

// Tests that a reset to a value says which value.
snn.network @to_value(%a: !snn.values<2>) -> (y: !snn.spikes<2>) attributes {dt = 1.0e-3} {
  // expected-error @+1 {{reset(to_value) needs a v_reset parameter}}
  %y = snn.if %a reset(to_value, same_step) fire(gt) {r = 1.0, v_threshold = 1.0} : !snn.values<2> -> !snn.spikes<2>
  snn.output %y : !snn.spikes<2>
}

// -----

// Tests that no parameter is silently ignored.
snn.network @subtract(%a: !snn.values<2>) -> (y: !snn.spikes<2>) attributes {dt = 1.0e-3} {
  // expected-error @+1 {{v_reset is given but reset(subtract) does not use it}}
  %y = snn.if %a reset(subtract, same_step) fire(gt) {r = 1.0, v_threshold = 1.0, v_reset = 0.0} : !snn.values<2> -> !snn.spikes<2>
  snn.output %y : !snn.spikes<2>
}

// -----

// Tests a per-neuron threshold array of the wrong shape.
snn.network @param_shape(%a: !snn.values<2x2>) -> (y: !snn.spikes<2x2>) attributes {dt = 1.0e-3} {
  // expected-error @+1 {{v_threshold has shape 2x3 but the neurons have shape 2x2 (give one value, or one per neuron)}}
  %y = snn.lif %a integration(euler) reset(subtract, same_step) fire(gt) {tau = 1.0e-2, r = 1.0, v_leak = 0.0, v_threshold = dense<1.0> : tensor<2x3xf64>} : !snn.values<2x2> -> !snn.spikes<2x2>
  snn.output %y : !snn.spikes<2x2>
}

// -----

// Tests that a network ends with snn.output.
snn.network @no_output(%in: !snn.values<2>) -> () attributes {dt = 1.0} {
  // expected-error @+1 {{block with no terminator}}
  %a = snn.scale %in {scale = 2.0} : !snn.values<2> -> !snn.values<2>
}

// -----

// Tests that a delay of 0 steps is refused: the ring of an engine or of
// generated C cannot pass an input on in the same step.
snn.network @steps_zero(%a: !snn.spikes<3>) -> (y: !snn.spikes<3>) attributes {dt = 1.0} {
  // expected-error @+1 {{a delay of 0 steps passes its input on in the same step; remove the op (-canonicalize does when every neuron has 0 steps) or give at least 1 step}}
  %y = snn.delay %a {steps = 0} : !snn.spikes<3> -> !snn.spikes<3>
  snn.output %y : !snn.spikes<3>
}

// -----

// Tests that one neuron's 0 steps is refused, naming the neuron.
snn.network @steps_zero_neuron(%a: !snn.spikes<3>) -> (y: !snn.spikes<3>) attributes {dt = 1.0} {
  // expected-error @+1 {{a delay of 0 steps at neuron 2 passes its input on}}
  %y = snn.delay %a {steps = dense<[1, 2, 0]> : tensor<3xi64>} : !snn.spikes<3> -> !snn.spikes<3>
  snn.output %y : !snn.spikes<3>
}

// -----

// Tests that a delay beyond the ring limit (2^20 steps) is refused.
snn.network @steps_too_long(%a: !snn.spikes<3>) -> (y: !snn.spikes<3>) attributes {dt = 1.0} {
  // expected-error @+1 {{a delay of 1048577 steps exceeds the limit of 1048576 steps}}
  %y = snn.delay %a {steps = 1048577} : !snn.spikes<3> -> !snn.spikes<3>
  snn.output %y : !snn.spikes<3>
}

// -----

// Tests that a delay in seconds beyond the ring limit in steps of dt is
// refused: 2000 s is 2e6 steps of 1 ms.
snn.network @delay_too_long(%a: !snn.spikes<3>) -> (y: !snn.spikes<3>) attributes {dt = 1.0e-3} {
  // expected-error @+1 {{a delay of 2000 s is more than the limit of 1048576 steps of 0.001 s}}
  %y = snn.delay %a {delay = 2.0e3} : !snn.spikes<3> -> !snn.spikes<3>
  snn.output %y : !snn.spikes<3>
}

// -----

// Tests that a cycle whose only delay is 0 steps (0 s) is a cycle without a
// delay, and the message says why the delay does not count.
snn.network @zero_delay_cycle(%in: !snn.spikes<3>) -> (y: !snn.spikes<3>) attributes {dt = 1.0e-3} {
  %x = snn.linear "in" %in {weight = dense<1.0> : tensor<3x3xf32>} : !snn.spikes<3> -> !snn.values<3>
  %r = snn.linear "rec" %d {weight = dense<0.5> : tensor<3x3xf32>} : !snn.spikes<3> -> !snn.values<3>
  %s = snn.sum %x, %r : !snn.values<3>, !snn.values<3> -> !snn.values<3>
  // expected-error @+1 {{'snn.lif' op is on a cycle without a delay: snn.lif "h" -> snn.delay "prev" -> snn.linear "rec" -> snn.sum -> snn.lif "h"; put an snn.delay {steps = 1} on the edge that reads the previous step; snn.delay "prev" on it is 0 steps for some neurons and does not break it}}
  %h = snn.lif "h" %s integration(euler) reset(subtract, same_step) fire(gt) {tau = 1.0e-2, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<3> -> !snn.spikes<3>
  %d = snn.delay "prev" %h {delay = dense<[1.0e-3, 0.0, 1.0e-3]> : tensor<3xf64>} : !snn.spikes<3> -> !snn.spikes<3>
  snn.output %h : !snn.spikes<3>
}

// -----

// Tests that a 0-step delay does not hide a combinational loop.
snn.network @zero_delay_loop(%in: !snn.values<3>) -> (y: !snn.values<3>) attributes {dt = 1.0e-3} {
  // expected-error @+1 {{'snn.sum' op is on a combinational loop: snn.sum "s" -> snn.delay "d" -> snn.sum "s" (no neuron or delay on the cycle holds state); snn.delay "d" on it is 0 steps for some neurons and does not break it}}
  %s = snn.sum "s" %in, %d : !snn.values<3>, !snn.values<3> -> !snn.values<3>
  %d = snn.delay "d" %s {delay = 0.0} : !snn.values<3> -> !snn.values<3>
  snn.output %s : !snn.values<3>
}

// -----

// Tests that a NaN weight is refused, naming the element.
snn.network @weight_nan(%a: !snn.spikes<2>) -> (y: !snn.values<2>) attributes {dt = 1.0} {
  // expected-error @+1 {{weight is NaN at [1, 0]}}
  %y = snn.linear %a {weight = dense<[[1.0, 0.0], [0x7FC00000, 1.0]]> : tensor<2x2xf32>} : !snn.spikes<2> -> !snn.values<2>
  snn.output %y : !snn.values<2>
}

// -----

// Tests that an infinite bias is refused, naming the element.
snn.network @bias_inf(%a: !snn.spikes<2>) -> (y: !snn.values<2>) attributes {dt = 1.0} {
  // expected-error @+1 {{bias is infinite at [1]}}
  %y = snn.affine %a {weight = dense<1.0> : tensor<2x2xf32>, bias = dense<[0.0, 0x7F800000]> : tensor<2xf32>} : !snn.spikes<2> -> !snn.values<2>
  snn.output %y : !snn.values<2>
}

// -----

// Tests that a splat NaN kernel is refused once, not element by element.
snn.network @conv_nan(%a: !snn.spikes<1x4x4>) -> (y: !snn.values<1x2x2>) attributes {dt = 1.0} {
  // expected-error @+1 {{weight is NaN in every element}}
  %y = snn.conv2d %a {weight = dense<0x7FC00000> : tensor<1x1x3x3xf32>, bias = dense<0.0> : tensor<1xf32>, stride = array<i64: 1, 1>, padding = array<i64: 0, 0>, dilation = array<i64: 1, 1>, groups = 1} : !snn.spikes<1x4x4> -> !snn.values<1x2x2>
  snn.output %y : !snn.values<1x2x2>
}

// -----

// Tests that a NaN threshold is refused, naming the neuron.
snn.network @threshold_nan(%a: !snn.values<2>) -> (y: !snn.spikes<2>) attributes {dt = 1.0e-3} {
  // expected-error @+1 {{v_threshold is not finite at neuron 1}}
  %y = snn.lif %a integration(euler) reset(subtract, same_step) fire(gt) {tau = 1.0e-2, r = 1.0, v_leak = 0.0, v_threshold = dense<[1.0, 0x7FF8000000000000]> : tensor<2xf64>} : !snn.values<2> -> !snn.spikes<2>
  snn.output %y : !snn.spikes<2>
}

// -----

// Tests that a signal beyond the limit of 2^30 neurons is refused.
// expected-error @+1 {{a signal of 1000000000000 neurons exceeds the limit of 1073741824 neurons per signal}}
snn.network @huge_signal(%in: !snn.spikes<1000000000000>) -> (out: !snn.spikes<1000000000000>) attributes {dt = 1.0} {
  snn.output %in : !snn.spikes<1000000000000>
}

// -----

// Tests that a signal whose size overflows 64 bits is refused.
// expected-error @+1 {{a signal of more than 2^63 neurons exceeds the limit}}
snn.network @overflow_signal(%in: !snn.spikes<4294967296x4294967296>) -> (out: !snn.spikes<4294967296x4294967296>) attributes {dt = 1.0} {
  snn.output %in : !snn.spikes<4294967296x4294967296>
}

// -----

// Tests that a weight whose element count overflows 64 bits is refused
// before anything counts its elements.
snn.network @weight_overflow(%a: !snn.spikes<4>) -> (y: !snn.values<2>) attributes {dt = 1.0} {
  // expected-error @+1 {{weight of shape 4611686018427387904x4 has more elements than 64-bit arithmetic can count}}
  %y = snn.linear %a {weight = dense<0.0> : tensor<4611686018427387904x4xf32>} : !snn.spikes<4> -> !snn.values<2>
  snn.output %y : !snn.values<2>
}
