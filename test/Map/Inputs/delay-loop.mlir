// A delay that feeds itself: legal (the cycle holds a delay), computes
// nothing; mapping and the emulator must end their walks through it.
snn.network @loop(%x: !snn.spikes<2>) -> (y: !snn.spikes<2>) attributes {dt = 1.0e-3 : f64} {
  %d = snn.delay "d" %d {steps = 1} : !snn.spikes<2> -> !snn.spikes<2>
  %w = snn.qlinear "w" %d overflow(saturate) {weight = dense<[[1, 2], [3, 4]]> : tensor<2x2xi8>, weight_bits = 8 : i64, acc_bits = 16 : i64, scale = 1.0 : f64} : !snn.spikes<2> -> !snn.values<2>
  %y = snn.qneuron "y" %w decay(multiply) rounding(nearest_even) overflow(saturate) reset(subtract, same_step) fire(gt) {v_bits = 16 : i64, decay_shift = 12 : i64, v_threshold = 3 : i64, v_scale = 1.0 : f64} : !snn.values<2> -> !snn.spikes<2>
  snn.output %y : !snn.spikes<2>
}
