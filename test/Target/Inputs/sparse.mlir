// Quantized networks with compressed-row projections (snn.qsparse) and a
// float snn.sparse, for test/Target/sparse.test. The figures there are
// counted by hand from the offsets and indices below.
//
// "in" (8 -> 6): rows hold 2, 2, 1, 2, 1, 2 entries (10 stored); column 0
// and column 3 are read twice. "out" (6 -> 4): rows hold 1, 2, 1, 1 entries
// (5 stored, one of them an explicit 0, which still takes a synapse);
// columns 0, 1, 2, 4, 5 once each, column 3 never.
snn.network @qsparse(%x: !snn.spikes<8>) -> (y: !snn.spikes<4>) attributes {dt = 1.0e-3 : f64} {
  %in = snn.qsparse "in" %x overflow(saturate) {offsets = dense<[0, 2, 4, 5, 7, 8, 10]> : tensor<7xi32>, indices = dense<[0, 3, 1, 7, 2, 0, 5, 6, 3, 4]> : tensor<10xi32>, values = dense<[5, -3, 7, 2, -8, 4, 6, 1, -2, 3]> : tensor<10xi8>, weight_bits = 8 : i64, acc_bits = 16 : i64, scale = 1.0e-2 : f64} : !snn.spikes<8> -> !snn.values<6>
  %h = snn.qneuron "h" %in decay(shift) rounding(nearest_even) overflow(saturate) reset(subtract, next_step) fire(gt) {v_bits = 16 : i64, v_decay = 3 : i64, v_scale = 1.0e-2 : f64, v_threshold = 60 : i64} : !snn.values<6> -> !snn.spikes<6>
  %out = snn.qsparse "out" %h overflow(saturate) {offsets = dense<[0, 1, 3, 4, 5]> : tensor<5xi32>, indices = dense<[0, 1, 2, 5, 4]> : tensor<5xi32>, values = dense<[9, 0, -4, 3, 2]> : tensor<5xi8>, weight_bits = 8 : i64, acc_bits = 16 : i64, scale = 1.0e-2 : f64} : !snn.spikes<6> -> !snn.values<4>
  %y = snn.qneuron "y" %out decay(shift) rounding(nearest_even) overflow(saturate) reset(subtract, next_step) fire(gt) {v_bits = 16 : i64, v_decay = 3 : i64, v_scale = 1.0e-2 : f64, v_threshold = 60 : i64} : !snn.values<4> -> !snn.spikes<4>
  snn.output %y : !snn.spikes<4>
}
