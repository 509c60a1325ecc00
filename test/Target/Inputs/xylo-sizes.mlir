// Networks beyond each Xylo device's channels and neurons.

// 17 input channels.
snn.network @inputs17(%x: !snn.spikes<17>) -> (y: !snn.spikes<8>) attributes {dt = 1.0e-3} {
  %w = snn.linear "w" %x {weight = dense<1.0> : tensor<50x17xf32>} : !snn.spikes<17> -> !snn.values<50>
  %h = snn.lif "h" %w integration(euler) reset(subtract, same_step) fire(gt) {tau = 1.0e-2, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<50> -> !snn.spikes<50>
  %r = snn.linear "r" %h {weight = dense<1.0> : tensor<8x50xf32>} : !snn.spikes<50> -> !snn.values<8>
  %o = snn.lif "o" %r integration(euler) reset(subtract, same_step) fire(gt) {tau = 1.0e-2, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<8> -> !snn.spikes<8>
  snn.output %o : !snn.spikes<8>
}

// -----

// 17 output neurons: too many for Audio 2 and IMU, not for Audio 3.
snn.network @outputs17(%x: !snn.spikes<16>) -> (y: !snn.spikes<17>) attributes {dt = 1.0e-3} {
  %w = snn.linear "w" %x {weight = dense<1.0> : tensor<50x16xf32>} : !snn.spikes<16> -> !snn.values<50>
  %h = snn.lif "h" %w integration(euler) reset(subtract, same_step) fire(gt) {tau = 1.0e-2, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<50> -> !snn.spikes<50>
  %r = snn.linear "r" %h {weight = dense<1.0> : tensor<17x50xf32>} : !snn.spikes<50> -> !snn.values<17>
  %o = snn.lif "o" %r integration(euler) reset(subtract, same_step) fire(gt) {tau = 1.0e-2, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<17> -> !snn.spikes<17>
  snn.output %o : !snn.spikes<17>
}

// -----

// 33 output neurons.
snn.network @outputs33(%x: !snn.spikes<16>) -> (y: !snn.spikes<33>) attributes {dt = 1.0e-3} {
  %w = snn.linear "w" %x {weight = dense<1.0> : tensor<50x16xf32>} : !snn.spikes<16> -> !snn.values<50>
  %h = snn.lif "h" %w integration(euler) reset(subtract, same_step) fire(gt) {tau = 1.0e-2, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<50> -> !snn.spikes<50>
  %r = snn.linear "r" %h {weight = dense<1.0> : tensor<33x50xf32>} : !snn.spikes<50> -> !snn.values<33>
  %o = snn.lif "o" %r integration(euler) reset(subtract, same_step) fire(gt) {tau = 1.0e-2, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<33> -> !snn.spikes<33>
  snn.output %o : !snn.spikes<33>
}

// -----

// 600 hidden neurons.
snn.network @hidden600(%x: !snn.spikes<16>) -> (y: !snn.spikes<4>) attributes {dt = 1.0e-3} {
  %w = snn.linear "w" %x {weight = dense<1.0> : tensor<100x16xf32>} : !snn.spikes<16> -> !snn.values<100>
  %h1 = snn.lif "h1" %w integration(euler) reset(subtract, same_step) fire(gt) {tau = 1.0e-2, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<100> -> !snn.spikes<100>
  %w2 = snn.linear "w2" %h1 {weight = dense<1.0> : tensor<400x100xf32>} : !snn.spikes<100> -> !snn.values<400>
  %h2 = snn.lif "h2" %w2 integration(euler) reset(subtract, same_step) fire(gt) {tau = 1.0e-2, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<400> -> !snn.spikes<400>
  %w3 = snn.linear "w3" %h2 {weight = dense<1.0> : tensor<100x400xf32>} : !snn.spikes<400> -> !snn.values<100>
  %h3 = snn.lif "h3" %w3 integration(euler) reset(subtract, same_step) fire(gt) {tau = 1.0e-2, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<100> -> !snn.spikes<100>
  %r = snn.linear "r" %h3 {weight = dense<1.0> : tensor<4x100xf32>} : !snn.spikes<100> -> !snn.values<4>
  %o = snn.lif "o" %r integration(euler) reset(subtract, same_step) fire(gt) {tau = 1.0e-2, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<4> -> !snn.spikes<4>
  snn.output %o : !snn.spikes<4>
}
