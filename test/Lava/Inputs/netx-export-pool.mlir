// A sum-pooling before a dense layer: netx has no pooling, so the exporter
// folds it into the dense weights (each input pixel gets the weight of the
// pooled pixel whose window holds it).
snn.network @pooled(%input: !snn.spikes<2x4x4>) -> (output: !snn.spikes<3>) attributes {dt = 1.0 : f64} {
  %p = snn.sum_pool2d "pool" %input {kernel_size = array<i64: 2, 2>, stride = array<i64: 2, 2>, padding = array<i64: 0, 0>} : !snn.spikes<2x4x4> -> !snn.values<2x2x2>
  %f = snn.flatten "flat" %p {start_dim = 0 : i64, end_dim = 2 : i64} : !snn.values<2x2x2> -> !snn.values<8>
  %w = snn.qlinear "w" %f overflow(wrap) {acc_bits = 32 : i64, scale = 1.0 : f64, weight = dense<[[3, -1, 2, 0, 1, 1, -2, 4], [0, 2, 2, -3, 1, 0, 1, 1], [-1, -1, 3, 2, 0, 4, 1, -2]]> : tensor<3x8xi16>, weight_bits = 4 : i64} : !snn.values<8> -> !snn.values<3>
  %d = snn.delay %w {steps = 1 : i64} : !snn.values<3> -> !snn.values<3>
  %n = snn.qneuron "n" %d decay(multiply) rounding(toward_zero) overflow(saturate_symmetric) i_overflow(wrap_once) reset(to_value, same_step) fire(gt) {decay_shift = 12 : i64, i_bits = 24 : i64, i_decay = 2048 : i64, i_scale = 1.0 : f64, input_bits = 32 : i64, input_shift = 6 : i64, v_bits = 24 : i64, v_decay = 3072 : i64, v_reset = 0 : i64, v_scale = 1.0 : f64, v_threshold = 320 : i64} : !snn.values<3> -> !snn.spikes<3>
  snn.output %n : !snn.spikes<3>
}
