// RUN: snn-opt %s | FileCheck %s
// Printing, parsing and printing again gives the same text.
// RUN: snn-opt %s > %t.1.mlir && snn-opt %t.1.mlir > %t.2.mlir && diff %t.1.mlir %t.2.mlir
// The generic form parses back to the same ops.
// RUN: snn-opt %s --mlir-print-op-generic | snn-opt | FileCheck %s
// Large weights elide with MLIR's standard flag.
// RUN: snn-opt %s --mlir-elide-elementsattrs-if-larger=4 | FileCheck %s --check-prefix=ELIDE

// Tests a recurrent network written directly: the delay reads the neuron's
// output defined further down the graph region.
// CHECK-LABEL: snn.network @recurrent(%input: !snn.spikes<12>) -> (output: !snn.spikes<2>)
// CHECK-SAME:      attributes {dt = 1.000000e-04 : f64}
// CHECK:         %fc1 = snn.affine "fc1" %input {bias = dense<{{.*}}> : tensor<3xf32>, weight = dense<{{.*}}> : tensor<3x12xf32>} : !snn.spikes<12> -> !snn.values<3>
// CHECK:         %[[DELAYED:.+]] = snn.delay %lif1 {steps = 1 : i64} : !snn.spikes<3> -> !snn.spikes<3>
// CHECK:         %rec = snn.linear "rec" %[[DELAYED]]
// CHECK:         %[[SUM:.+]] = snn.sum %fc1, %rec : !snn.values<3>, !snn.values<3> -> !snn.values<3>
// CHECK:         %lif1 = snn.cuba_lif "lif1" %[[SUM]] integration(euler) reset(to_value, next_step) fire(gt)
// CHECK-SAME:        v_reset = 0.000000e+00 : f64
// CHECK:         snn.output %out : !snn.spikes<2>
// ELIDE:         %rec = snn.linear "rec" %{{.*}} {weight = dense_resource<__elided__> : tensor<3x3xf32>}
snn.network @recurrent(%input: !snn.spikes<12>) -> (output: !snn.spikes<2>) attributes {dt = 1.0e-4} {
  %x = snn.affine "fc1" %input {weight = dense<0.5> : tensor<3x12xf32>, bias = dense<0.25> : tensor<3xf32>} : !snn.spikes<12> -> !snn.values<3>
  %rec = snn.delay %h {steps = 1} : !snn.spikes<3> -> !snn.spikes<3>
  %r = snn.linear "rec" %rec {weight = dense<[[0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [0.7, 0.8, 0.9]]> : tensor<3x3xf32>} : !snn.spikes<3> -> !snn.values<3>
  %i = snn.sum %x, %r : !snn.values<3>, !snn.values<3> -> !snn.values<3>
  %h = snn.cuba_lif "lif1" %i integration(euler) reset(to_value, next_step) fire(gt) {tau_syn = 2.0e-4, tau_mem = 2.2e-4, r = 2.2, w_in = 2.0, v_leak = 0.0, v_threshold = 1.0, v_reset = 0.0} : !snn.values<3> -> !snn.spikes<3>
  %o = snn.linear "fc2" %h {weight = dense<1.0> : tensor<2x3xf32>} : !snn.spikes<3> -> !snn.values<2>
  %y = snn.lif "out" %o integration(exponential) reset(subtract, same_step) fire(ge) {tau = 1.0e-3, r = 10.0, v_leak = 0.0, v_threshold = dense<[1.0, 2.0]> : tensor<2xf64>} : !snn.values<2> -> !snn.spikes<2>
  snn.output %y : !snn.spikes<2>
}

// Tests the convolutional ops, pooling and flatten on an N-MNIST-shaped input.
// CHECK-LABEL: snn.network @conv
// CHECK:         snn.conv2d "c1" %input {bias = {{.*}}, dilation = array<i64: 1, 1>, groups = 1 : i64, padding = array<i64: 1, 1>, stride = array<i64: 2, 2>, weight = {{.*}}} : !snn.spikes<2x34x34> -> !snn.values<4x16x16>
// CHECK:         snn.if "n1" %c1 reset(subtract, next_step) fire(gt) {r = 1.000000e+00 : f64, v_threshold = 1.000000e+00 : f64} : !snn.values<4x16x16> -> !snn.spikes<4x16x16>
// CHECK:         snn.sum_pool2d "p1" %n1 {kernel_size = array<i64: 2, 2>, padding = array<i64: 0, 0>, stride = array<i64: 2, 2>} : !snn.spikes<4x16x16> -> !snn.values<4x8x8>
// CHECK:         snn.avg_pool2d "p2" %p1 {kernel_size = array<i64: 2, 2>, padding = array<i64: 1, 1>, stride = array<i64: 2, 2>} : !snn.values<4x8x8> -> !snn.values<4x5x5>
// CHECK:         snn.flatten "flat" %p2 {end_dim = -1 : i64, start_dim = 0 : i64} : !snn.values<4x5x5> -> !snn.values<100>
// CHECK:         snn.conv1d "c2" %{{.*}} {{.*}} : !snn.values<4x25> -> !snn.values<2x23>
snn.network @conv(%input: !snn.spikes<2x34x34>) -> (flat: !snn.values<100>, seq: !snn.values<2x23>) attributes {dt = 1.0e-3} {
  %c = snn.conv2d "c1" %input {weight = dense<0.1> : tensor<4x2x5x5xf32>, bias = dense<0.0> : tensor<4xf32>, stride = array<i64: 2, 2>, padding = array<i64: 1, 1>, dilation = array<i64: 1, 1>, groups = 1} : !snn.spikes<2x34x34> -> !snn.values<4x16x16>
  %s = snn.if "n1" %c reset(subtract, next_step) fire(gt) {r = 1.0, v_threshold = 1.0} : !snn.values<4x16x16> -> !snn.spikes<4x16x16>
  %p = snn.sum_pool2d "p1" %s {kernel_size = array<i64: 2, 2>, stride = array<i64: 2, 2>, padding = array<i64: 0, 0>} : !snn.spikes<4x16x16> -> !snn.values<4x8x8>
  %a = snn.avg_pool2d "p2" %p {kernel_size = array<i64: 2, 2>, stride = array<i64: 2, 2>, padding = array<i64: 1, 1>} : !snn.values<4x8x8> -> !snn.values<4x5x5>
  %f = snn.flatten "flat" %a {start_dim = 0, end_dim = -1} : !snn.values<4x5x5> -> !snn.values<100>
  %f2 = snn.flatten %a {start_dim = 1, end_dim = 2} : !snn.values<4x5x5> -> !snn.values<4x25>
  %q = snn.conv1d "c2" %f2 {weight = dense<0.5> : tensor<2x2x3xf64>, bias = dense<[0.0, 1.0]> : tensor<2xf64>, stride = array<i64: 1>, padding = array<i64: 0>, dilation = array<i64: 1>, groups = 2} : !snn.values<4x25> -> !snn.values<2x23>
  snn.output %f, %q : !snn.values<100>, !snn.values<2x23>
}

// Tests the non-spiking neurons, scale, threshold and a delay in seconds.
// CHECK-LABEL: snn.network @readouts
// CHECK:         snn.scale "gain" %input {scale = dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00]> : tensor<4xf64>} : !snn.spikes<4> -> !snn.values<4>
// CHECK:         snn.integrator "acc" %gain {r = 1.000000e+00 : f64} : !snn.values<4> -> !snn.values<4>
// CHECK:         snn.li "leaky" %gain integration(exponential) {r = 1.000000e+00 : f64, tau = 2.000000e-02 : f64, v_leak = 0.000000e+00 : f64} : !snn.values<4> -> !snn.values<4>
// CHECK:         snn.cuba_li "syn" %gain integration(euler) {{{.*}}w_in = 1.000000e+00 : f64} : !snn.values<4> -> !snn.values<4>
// CHECK:         snn.threshold "spikes" %leaky fire(gt) {threshold = 5.000000e-01 : f64} : !snn.values<4> -> !snn.spikes<4>
// CHECK:         snn.delay "late" %spikes {delay = dense<[1.000000e-03, 2.000000e-03, 0.000000e+00, 1.000000e-03]> : tensor<4xf64>} : !snn.spikes<4> -> !snn.spikes<4>
snn.network @readouts(%input: !snn.spikes<4>) -> (acc: !snn.values<4>, syn: !snn.values<4>, late: !snn.spikes<4>) attributes {dt = 1.0e-3} {
  %g = snn.scale "gain" %input {scale = dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf64>} : !snn.spikes<4> -> !snn.values<4>
  %i = snn.integrator "acc" %g {r = 1.0} : !snn.values<4> -> !snn.values<4>
  %l = snn.li "leaky" %g integration(exponential) {tau = 2.0e-2, r = 1.0, v_leak = 0.0} : !snn.values<4> -> !snn.values<4>
  %c = snn.cuba_li "syn" %g integration(euler) {tau_syn = 5.0e-3, tau_mem = 2.0e-2, r = 1.0, v_leak = 0.0, w_in = 1.0} : !snn.values<4> -> !snn.values<4>
  %t = snn.threshold "spikes" %l fire(gt) {threshold = 0.5} : !snn.values<4> -> !snn.spikes<4>
  %d = snn.delay "late" %t {delay = dense<[1.0e-3, 2.0e-3, 0.0, 1.0e-3]> : tensor<4xf64>} : !snn.spikes<4> -> !snn.spikes<4>
  snn.output %i, %c, %d : !snn.values<4>, !snn.values<4>, !snn.spikes<4>
}

// Tests a network with no ops between input and output, and names that are
// not identifiers.
// CHECK-LABEL: snn.network @passthrough(%in: !snn.values<3>) -> ("out put": !snn.values<3>)
snn.network @passthrough(%in: !snn.values<3>) -> ("out put": !snn.values<3>) attributes {dt = 1.0} {
  snn.output %in : !snn.values<3>
}
