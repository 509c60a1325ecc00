// Tests that snn-opt registers the snn dialect and only what its pipelines use.
// RUN: snn-opt --show-dialects | FileCheck %s
// CHECK: Available Dialects:
// CHECK-SAME: snn
