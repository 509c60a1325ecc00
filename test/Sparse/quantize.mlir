// Tests that snn-quantize holds a projection whose weights are mostly zero
// as compressed rows (snn.qsparse: 2 of 400 weights) and keeps a dense one
// as snn.qlinear; the sparse one names the same rows, columns and integers
// the dense form would (the same unit and weight exponent). Its C (weights
// times 2^5 need 16 bits) equals the fixed-point reference.
// RUN: snn-opt %s --snn-quantize | FileCheck %s
// RUN: snn-opt %s --snn-quantize -o %t.q.mlir
// RUN: snn-translate --emit-c %t.q.mlir | FileCheck %s --check-prefix=EMIT
// EMIT: snn_sparse_add_spikes_i16_i16_i16(
// REQUIRES: cc
// RUN: snn-run %t.q.mlir --poisson 0.3,50,3 --compare fixed,c | FileCheck %s --check-prefix=SAME
// SAME: no spike differs

// CHECK-LABEL: snn.network @mixed
// CHECK: snn.qsparse "sparse" %x overflow(saturate) {
// CHECK-SAME: indices = dense<[3, 0]> : tensor<2xi32>
// CHECK-SAME: offsets = dense<[0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2]> : tensor<11xi32>
// CHECK-SAME: values = dense<[127, -127]> : tensor<2xi8>, weight_bits = 8 : i64, weight_exp = 5 : i64
// CHECK: snn.qlinear "dense" %{{.*}} overflow(saturate)
snn.network @mixed(%x: !snn.spikes<40>) -> (y: !snn.spikes<2>) attributes {dt = 1.0e-3 : f64} {
  %s = snn.linear "sparse" %x {weight = dense<[[0.0, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [-0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]]> : tensor<10x40xf32>} : !snn.spikes<40> -> !snn.values<10>
  %h = snn.lif "h" %s integration(euler) reset(subtract, next_step) fire(gt) {tau = 1.0e-2 : f64, r = 10.0 : f64, v_leak = 0.0 : f64, v_threshold = 1.0 : f64} : !snn.values<10> -> !snn.spikes<10>
  %d = snn.linear "dense" %h {weight = dense<0.25> : tensor<2x10xf32>} : !snn.spikes<10> -> !snn.values<2>
  %y = snn.lif "y" %d integration(euler) reset(subtract, next_step) fire(gt) {tau = 1.0e-2 : f64, r = 10.0 : f64, v_leak = 0.0 : f64, v_threshold = 1.0 : f64} : !snn.values<2> -> !snn.spikes<2>
  snn.output %y : !snn.spikes<2>
}
