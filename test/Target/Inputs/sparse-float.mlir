// A quantized network whose readout was left as a float snn.sparse, and the
// same weights in a wholly float network (test/Target/sparse.test).
snn.network @mixed(%x: !snn.spikes<8>) -> (y: !snn.spikes<4>) attributes {dt = 1.0e-3 : f64} {
  %in = snn.qsparse "in" %x overflow(saturate) {offsets = dense<[0, 2, 4, 5, 7, 8, 10]> : tensor<7xi32>, indices = dense<[0, 3, 1, 7, 2, 0, 5, 6, 3, 4]> : tensor<10xi32>, values = dense<[5, -3, 7, 2, -8, 4, 6, 1, -2, 3]> : tensor<10xi8>, weight_bits = 8 : i64, acc_bits = 16 : i64, scale = 1.0e-2 : f64} : !snn.spikes<8> -> !snn.values<6>
  %h = snn.qneuron "h" %in decay(shift) rounding(nearest_even) overflow(saturate) reset(subtract, next_step) fire(gt) {v_bits = 16 : i64, v_decay = 3 : i64, v_scale = 1.0e-2 : f64, v_threshold = 60 : i64} : !snn.values<6> -> !snn.spikes<6>
  %out = snn.sparse "out" %h {offsets = dense<[0, 1, 3, 4, 5]> : tensor<5xi32>, indices = dense<[0, 1, 2, 5, 4]> : tensor<5xi32>, values = dense<[0.09, 0.0, -0.04, 0.03, 0.02]> : tensor<5xf32>} : !snn.spikes<6> -> !snn.values<4>
  %y = snn.qneuron "y" %out decay(shift) rounding(nearest_even) overflow(saturate) reset(subtract, next_step) fire(gt) {v_bits = 16 : i64, v_decay = 3 : i64, v_scale = 1.0e-2 : f64, v_threshold = 60 : i64} : !snn.values<4> -> !snn.spikes<4>
  snn.output %y : !snn.spikes<4>
}

// -----

snn.network @float(%x: !snn.spikes<8>) -> (y: !snn.spikes<4>) attributes {dt = 1.0e-3} {
  %in = snn.sparse "in" %x {offsets = dense<[0, 2, 4, 5, 7, 8, 10]> : tensor<7xi32>, indices = dense<[0, 3, 1, 7, 2, 0, 5, 6, 3, 4]> : tensor<10xi32>, values = dense<[0.5, -0.3, 0.7, 0.2, -0.8, 0.4, 0.6, 0.1, -0.2, 0.3]> : tensor<10xf32>} : !snn.spikes<8> -> !snn.values<6>
  %h = snn.lif "h" %in integration(euler) reset(subtract, same_step) fire(gt) {tau = 1.0e-2, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<6> -> !snn.spikes<6>
  %out = snn.sparse "out" %h {offsets = dense<[0, 1, 3, 4, 5]> : tensor<5xi32>, indices = dense<[0, 1, 2, 5, 4]> : tensor<5xi32>, values = dense<[0.09, 0.0, -0.04, 0.03, 0.02]> : tensor<5xf32>} : !snn.spikes<6> -> !snn.values<4>
  %y = snn.lif "y" %out integration(euler) reset(subtract, same_step) fire(gt) {tau = 1.0e-2, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<4> -> !snn.spikes<4>
  snn.output %y : !snn.spikes<4>
}
