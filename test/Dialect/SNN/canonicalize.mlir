// RUN: snn-opt %s -split-input-file -canonicalize | FileCheck %s

// Tests that a scale in front of a projection folds into its columns.
// CHECK-LABEL: snn.network @scale_into_columns
// CHECK-NEXT:    %fc = snn.affine "fc" %in {bias = dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>, weight = dense<{{\[}}[2.000000e+00, 3.000000e+00], [4.000000e+00, 6.000000e+00]]> : tensor<2x2xf32>}
// CHECK-NEXT:    snn.output %fc
snn.network @scale_into_columns(%in: !snn.spikes<2>) -> (y: !snn.values<2>) attributes {dt = 1.0} {
  %s = snn.scale %in {scale = dense<[2.0, 3.0]> : tensor<2xf64>} : !snn.spikes<2> -> !snn.values<2>
  %y = snn.affine "fc" %s {weight = dense<[[1.0, 1.0], [2.0, 2.0]]> : tensor<2x2xf32>, bias = dense<[1.0, 2.0]> : tensor<2xf32>} : !snn.values<2> -> !snn.values<2>
  snn.output %y : !snn.values<2>
}

// -----

// Tests that a scale after a projection folds into its rows and bias.
// CHECK-LABEL: snn.network @scale_into_rows
// CHECK-NEXT:    %fc = snn.affine "fc" %in {bias = dense<[2.000000e+00, 6.000000e+00]> : tensor<2xf32>, weight = dense<{{\[}}[2.000000e+00, 2.000000e+00], [6.000000e+00, 6.000000e+00]]> : tensor<2x2xf32>}
// CHECK-NEXT:    snn.output %fc
snn.network @scale_into_rows(%in: !snn.spikes<2>) -> (y: !snn.values<2>) attributes {dt = 1.0} {
  %p = snn.affine "fc" %in {weight = dense<[[1.0, 1.0], [2.0, 2.0]]> : tensor<2x2xf32>, bias = dense<[1.0, 2.0]> : tensor<2xf32>} : !snn.spikes<2> -> !snn.values<2>
  %y = snn.scale %p {scale = dense<[2.0, 3.0]> : tensor<2xf64>} : !snn.values<2> -> !snn.values<2>
  snn.output %y : !snn.values<2>
}

// -----

// Tests that a scale used twice stays, since folding it would copy weights.
// CHECK-LABEL: snn.network @shared_scale
// CHECK:         snn.scale
// CHECK:         snn.linear
// CHECK:         snn.linear
snn.network @shared_scale(%in: !snn.spikes<2>) -> (a: !snn.values<2>, b: !snn.values<2>) attributes {dt = 1.0} {
  %s = snn.scale %in {scale = 2.0} : !snn.spikes<2> -> !snn.values<2>
  %a = snn.linear %s {weight = dense<1.0> : tensor<2x2xf32>} : !snn.values<2> -> !snn.values<2>
  %b = snn.linear %s {weight = dense<3.0> : tensor<2x2xf32>} : !snn.values<2> -> !snn.values<2>
  snn.output %a, %b : !snn.values<2>, !snn.values<2>
}

// -----

// Tests that two projections with no neuron between them compose:
// W = W2 W1 and b = W2 b1 + b2.
// CHECK-LABEL: snn.network @compose
// CHECK-NEXT:    %second = snn.affine "second" %in {bias = dense<[4.000000e+00, 1.000000e+00]> : tensor<2xf32>, weight = dense<{{\[}}[1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>}
// CHECK-NEXT:    snn.output %second
snn.network @compose(%in: !snn.spikes<2>) -> (y: !snn.values<2>) attributes {dt = 1.0} {
  %a = snn.affine "first" %in {weight = dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>, bias = dense<[1.0, 1.0]> : tensor<2xf32>} : !snn.spikes<2> -> !snn.values<2>
  %b = snn.affine "second" %a {weight = dense<[[1.0, 0.0], [0.0, 1.0]]> : tensor<2x2xf32>, bias = dense<[3.0, 0.0]> : tensor<2xf32>} : !snn.values<2> -> !snn.values<2>
  snn.output %b : !snn.values<2>
}

// -----

// Tests that linear after linear stays linear (no bias appears).
// CHECK-LABEL: snn.network @compose_linear
// CHECK-NEXT:    %{{.+}} = snn.linear %in {weight = dense<6.000000e+00> : tensor<1x3xf64>} : !snn.spikes<3> -> !snn.values<1>
snn.network @compose_linear(%in: !snn.spikes<3>) -> (y: !snn.values<1>) attributes {dt = 1.0} {
  %a = snn.linear %in {weight = dense<2.0> : tensor<1x3xf32>} : !snn.spikes<3> -> !snn.values<1>
  %b = snn.linear %a {weight = dense<3.0> : tensor<1x1xf64>} : !snn.values<1> -> !snn.values<1>
  snn.output %b : !snn.values<1>
}

// -----

// Tests that a bottleneck is kept: composing 100 -> 2 -> 100 would turn 400
// weights into 10000.
// CHECK-LABEL: snn.network @bottleneck
// CHECK:         snn.linear {{.*}} -> !snn.values<2>
// CHECK:         snn.linear {{.*}} -> !snn.values<100>
snn.network @bottleneck(%in: !snn.spikes<100>) -> (y: !snn.values<100>) attributes {dt = 1.0} {
  %a = snn.linear %in {weight = dense<1.0> : tensor<2x100xf32>} : !snn.spikes<100> -> !snn.values<2>
  %b = snn.linear %a {weight = dense<1.0> : tensor<100x2xf32>} : !snn.values<2> -> !snn.values<100>
  snn.output %b : !snn.values<100>
}

// -----

// Tests that a neuron between projections stops the composition.
// CHECK-LABEL: snn.network @neuron_between
// CHECK:         snn.linear
// CHECK:         snn.lif
// CHECK:         snn.linear
snn.network @neuron_between(%in: !snn.spikes<2>) -> (y: !snn.values<2>) attributes {dt = 1.0e-3} {
  %a = snn.linear %in {weight = dense<1.0> : tensor<2x2xf32>} : !snn.spikes<2> -> !snn.values<2>
  %h = snn.lif %a integration(euler) reset(subtract, next_step) fire(gt) {tau = 1.0e-2, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<2> -> !snn.spikes<2>
  %b = snn.linear %h {weight = dense<1.0> : tensor<2x2xf32>} : !snn.spikes<2> -> !snn.values<2>
  snn.output %b : !snn.values<2>
}

// -----

// Tests that two scales multiply.
// CHECK-LABEL: snn.network @scales
// CHECK-NEXT:    %{{.+}} = snn.scale %in {scale = dense<[3.000000e+00, 6.000000e+00]> : tensor<2xf64>}
snn.network @scales(%in: !snn.values<2>) -> (y: !snn.values<2>) attributes {dt = 1.0} {
  %a = snn.scale %in {scale = 3.0} : !snn.values<2> -> !snn.values<2>
  %b = snn.scale %a {scale = dense<[1.0, 2.0]> : tensor<2xf64>} : !snn.values<2> -> !snn.values<2>
  snn.output %b : !snn.values<2>
}

// -----

// Tests that a flatten of a flatten merges into one over the original dims.
// CHECK-LABEL: snn.network @flattens
// CHECK-NEXT:    %{{.+}} = snn.flatten %in {end_dim = 2 : i64, start_dim = 0 : i64} : !snn.spikes<2x3x4x5> -> !snn.spikes<24x5>
snn.network @flattens(%in: !snn.spikes<2x3x4x5>) -> (y: !snn.spikes<24x5>) attributes {dt = 1.0} {
  %a = snn.flatten %in {start_dim = 1, end_dim = 2} : !snn.spikes<2x3x4x5> -> !snn.spikes<2x12x5>
  %b = snn.flatten %a {start_dim = 0, end_dim = 1} : !snn.spikes<2x12x5> -> !snn.spikes<24x5>
  snn.output %b : !snn.spikes<24x5>
}

// -----

// Tests that ops which do nothing disappear: a flatten of one dimension, a
// zero delay, a one-input sum, an identity linear.
// CHECK-LABEL: snn.network @identities
// CHECK-NEXT:    snn.output %in, %in, %v, %v
snn.network @identities(%in: !snn.spikes<4>, %v: !snn.values<4>) -> (a: !snn.spikes<4>, b: !snn.spikes<4>, c: !snn.values<4>, d: !snn.values<4>) attributes {dt = 1.0} {
  %a = snn.flatten %in {start_dim = 0, end_dim = 0} : !snn.spikes<4> -> !snn.spikes<4>
  %b = snn.delay %a {delay = 0.0} : !snn.spikes<4> -> !snn.spikes<4>
  %c = snn.sum %v : !snn.values<4> -> !snn.values<4>
  %d = snn.linear %c {weight = dense<[[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 1.0]]> : tensor<4x4xf32>} : !snn.values<4> -> !snn.values<4>
  snn.output %a, %b, %c, %d : !snn.spikes<4>, !snn.spikes<4>, !snn.values<4>, !snn.values<4>
}

// -----

// Tests that a one-input sum over spikes stays: it turns spikes into values.
// CHECK-LABEL: snn.network @sum_of_spikes
// CHECK:         snn.sum
snn.network @sum_of_spikes(%in: !snn.spikes<4>) -> (y: !snn.values<4>) attributes {dt = 1.0} {
  %c = snn.sum %in : !snn.spikes<4> -> !snn.values<4>
  snn.output %c : !snn.values<4>
}

// -----

// Tests that the delay that breaks a recurrent cycle survives.
// CHECK-LABEL: snn.network @recurrent
// CHECK:         snn.delay %h {steps = 1 : i64}
snn.network @recurrent(%in: !snn.values<2>) -> (y: !snn.spikes<2>) attributes {dt = 1.0e-3} {
  %d = snn.delay %h {steps = 1} : !snn.spikes<2> -> !snn.spikes<2>
  %r = snn.linear %d {weight = dense<0.5> : tensor<2x2xf32>} : !snn.spikes<2> -> !snn.values<2>
  %s = snn.sum %in, %r : !snn.values<2>, !snn.values<2> -> !snn.values<2>
  %h = snn.lif "h" %s integration(euler) reset(subtract, next_step) fire(gt) {tau = 1.0e-2, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<2> -> !snn.spikes<2>
  snn.output %h : !snn.spikes<2>
}

// -----

// Tests that a huge splat projection is left alone (neither folded as an
// identity nor merged, which would need it dense) and quickly.
// CHECK-LABEL: snn.network @huge_splat
// CHECK:         snn.linear %{{.+}} {weight = dense<0.000000e+00> : tensor<100000x100000xf32>}
// CHECK:         snn.linear %{{.+}} {weight = dense<1.000000e+00> : tensor<100000x100000xf32>}
snn.network @huge_splat(%in: !snn.values<100000>) -> (y: !snn.values<100000>) attributes {dt = 1.0} {
  %a = snn.linear %in {weight = dense<0.0> : tensor<100000x100000xf32>} : !snn.values<100000> -> !snn.values<100000>
  %b = snn.linear %a {weight = dense<1.0> : tensor<100000x100000xf32>} : !snn.values<100000> -> !snn.values<100000>
  snn.output %b : !snn.values<100000>
}
