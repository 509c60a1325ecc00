// Tests that the bundled example verifies, keeps its recurrent delay through
// canonicalization, and prints with its node names.
// RUN: snn-opt %examples/braille_rnn.mlir -canonicalize | FileCheck %s
// CHECK-LABEL: snn.network @braille_rnn(%taxels: !snn.spikes<12>) -> (letters: !snn.spikes<7>)
// CHECK:         %hidden_prev = snn.delay "hidden_prev" %hidden {steps = 1 : i64}
// CHECK:         %hidden = snn.cuba_lif "hidden" %fan_in integration(euler) reset(to_value, next_step) fire(gt)
// CHECK:         snn.output %readout : !snn.spikes<7>
