// Two network inputs feeding one population through a sum.
snn.network @two(%left: !snn.spikes<2>, %right: !snn.spikes<2>) -> (y: !snn.spikes<2>) attributes {dt = 1.0e-3 : f64} {
  %l = snn.qlinear "l" %left overflow(saturate) {weight = dense<[[1, 2], [3, 4]]> : tensor<2x2xi8>, weight_bits = 8 : i64, acc_bits = 16 : i64, scale = 1.0 : f64} : !snn.spikes<2> -> !snn.values<2>
  %r = snn.qlinear "r" %right overflow(saturate) {weight = dense<[[5, 6], [7, 8]]> : tensor<2x2xi8>, weight_bits = 8 : i64, acc_bits = 16 : i64, scale = 1.0 : f64} : !snn.spikes<2> -> !snn.values<2>
  %s = snn.sum "s" %l, %r : !snn.values<2>, !snn.values<2> -> !snn.values<2>
  %y = snn.qneuron "y" %s decay(multiply) rounding(nearest_even) overflow(saturate) reset(subtract, same_step) fire(gt) {v_bits = 16 : i64, decay_shift = 12 : i64, v_threshold = 3 : i64, v_scale = 1.0 : f64} : !snn.values<2> -> !snn.spikes<2>
  snn.output %y : !snn.spikes<2>
}
