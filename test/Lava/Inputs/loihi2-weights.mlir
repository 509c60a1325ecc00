// Lava's clip keeps -256 in a mixed matrix: [-256, 254] as snn.qlinear's
// symmetric weight_bits is 10, as Loihi 2's two's complement width 9.
snn.network @lava_mixed(%input: !snn.spikes<2>) -> (output: !snn.spikes<2>) attributes {dt = 1.0 : f64} {
  %w = snn.qlinear "w" %input overflow(wrap) {weight = dense<[[-256, 254], [2, -4]]> : tensor<2x2xi16>, weight_bits = 10 : i64, acc_bits = 32 : i64, scale = 1.0 : f64} : !snn.spikes<2> -> !snn.values<2>
  %n = snn.qneuron "n" %w decay(multiply) rounding(toward_zero) overflow(saturate_symmetric) reset(to_value, same_step) fire(gt) {decay_shift = 12 : i64, v_bits = 24 : i64, v_decay = 4096 : i64, v_reset = 0 : i64, v_scale = 1.0 : f64, v_threshold = 640 : i64} : !snn.values<2> -> !snn.spikes<2>
  snn.output %n : !snn.spikes<2>
}
