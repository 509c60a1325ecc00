// RUN: snn-translate --emit-c %s -o %t.c
// RUN: FileCheck %s < %t.c
// RUN: snn-translate --emit-c-header %s | FileCheck %s --check-prefix=HEADER
// RUN: %if cc %{ cc -std=c99 -Wall -Wextra -Werror -pedantic -I%runtime/embedded -c %t.c -o %t.o %}
// RUN: snn-opt %s --snn-lower-to-loops | FileCheck %s --check-prefix=LOOPS
// RUN: FileCheck %s --check-prefix=NOALLOC < %t.c
// RUN: snn-opt %s --snn-lower-to-loops --snn-convert-to-emitc -o %t.emitc.mlir
// RUN: FileCheck %s --check-prefix=EMITC < %t.emitc.mlir
// RUN: FileCheck %s --check-prefix=EMITC-ONLY < %t.emitc.mlir

// Tests the C form of a small quantized network: weights are constant
// arrays named after their node, state is static, no allocation, and the
// integer primitives come from snn_arith.h.

// CHECK: #include <stdint.h>
// CHECK: #include "snn_arith.h"
// CHECK-DAG: static const int8_t tiny_fc_weight[4] = {2, 4, -1, 0};
// CHECK-DAG: static int32_t tiny_lif_v[2];
// CHECK-DAG: static int8_t tiny_lif_s[2];
// CHECK: void tiny_step(int8_t [[IN:v[0-9]+]][2], int8_t [[OUT:v[0-9]+]][2]) {
// CHECK: snn_decay(
// CHECK: snn_fit(
// CHECK: void tiny_reset() {
// NOALLOC-NOT: malloc
// NOALLOC-NOT: free(

// HEADER: #define TINY_INPUT_SIZE 2
// HEADER: #define TINY_OUTPUT_SIZE 2
// HEADER: void tiny_reset(void);
// HEADER: void tiny_step(int8_t input[2], int8_t output[2]);

// LOOPS: memref.global "private" constant @tiny_fc_weight : memref<4xi8> = dense<[2, 4, -1, 0]>
// LOOPS: func.func @tiny_step(%{{.*}}: memref<2xi8>, %{{.*}}: memref<2xi8>)
// LOOPS: scf.for
// LOOPS: emitc.call_opaque "snn_fit"

// EMITC: emitc.func @tiny_step(%{{.*}}: !emitc.array<2xi8>, %{{.*}}: !emitc.array<2xi8>)
// Nothing but EmitC is left, anywhere in the module.
// EMITC-ONLY-NOT: memref.
// EMITC-ONLY-NOT: scf.
// EMITC-ONLY-NOT: unrealized_conversion_cast

snn.network @tiny(%x: !snn.spikes<2>) -> (y: !snn.spikes<2>) attributes {dt = 0.25 : f64} {
  %fc = snn.qlinear "fc" %x overflow(saturate) {acc_bits = 32 : i64, scale = 2.500000e-01 : f64, weight = dense<[[2, -1], [4, 0]]> : tensor<2x2xi8>, weight_bits = 4 : i64}  : !snn.spikes<2> -> !snn.values<2>
  %lif = snn.qneuron "lif" %fc decay(multiply) rounding(nearest_even) overflow(saturate) reset(subtract, next_step) fire(gt) {decay_shift = 12 : i64, v_bits = 16 : i64, v_decay = 3072 : i64, v_scale = 2.500000e-01 : f64, v_threshold = 4 : i64} : !snn.values<2> -> !snn.spikes<2>
  snn.output %lif : !snn.spikes<2>
}
