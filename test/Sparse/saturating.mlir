// Tests the C of a sparse projection whose sum can leave its accumulator
// (two weights of 100 and a bias of 3 into 8 bits: inputs 0 and 5 together
// reach 203, which saturates to 127): it
// takes the path through 64-bit accumulators and a fit of every output, and
// still equals the fixed-point reference, saturations included.
// REQUIRES: cc
// RUN: snn-translate --emit-c %s | FileCheck %s --check-prefix=EMIT
// EMIT-NOT: snn_sparse_add_spikes
// EMIT: snn_fit(
// RUN: snn-run %s --poisson 0.5,60,3 --compare fixed,c | FileCheck %s
// CHECK: p {{ *}}values {{ *}}1.000000
// CHECK: y {{ *}}spikes {{ *}}1.000000
// CHECK: no spike differs
snn.network @saturating(%x: !snn.spikes<6>) -> (y: !snn.spikes<3>) attributes {dt = 1.0e-3 : f64} {
  %p = snn.qsparse "p" %x overflow(saturate) {offsets = dense<[0, 2, 3, 5]> : tensor<4xi32>, indices = dense<[0, 5, 2, 1, 3]> : tensor<5xi32>, values = dense<[100, 100, -7, -100, -90]> : tensor<5xi8>, bias = dense<[3, 0, -2]> : tensor<3xi32>, weight_bits = 8 : i64, acc_bits = 8 : i64, scale = 1.0 : f64} : !snn.spikes<6> -> !snn.values<3>
  %y = snn.qneuron "y" %p decay(multiply) rounding(nearest_even) overflow(saturate) reset(subtract, same_step) fire(gt) {v_bits = 16 : i64, decay_shift = 12 : i64, v_decay = 3500 : i64, v_threshold = 150 : i64, v_scale = 1.0 : f64} : !snn.values<3> -> !snn.spikes<3>
  snn.output %y : !snn.spikes<3>
}
