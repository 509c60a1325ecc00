// Networks for the windows and weight budgets of each Xylo device.

// 50 recurrent hidden neurons, 8 outputs: fits every Xylo.
snn.network @fits(%x: !snn.spikes<16>) -> (y: !snn.spikes<8>) attributes {dt = 1.0e-3} {
  %w = snn.linear "w" %x {weight = dense<1.0> : tensor<50x16xf32>} : !snn.spikes<16> -> !snn.values<50>
  %prev = snn.delay "h_prev" %h {steps = 1} : !snn.spikes<50> -> !snn.spikes<50>
  %rec = snn.linear "rec" %prev {weight = dense<0.5> : tensor<50x50xf32>} : !snn.spikes<50> -> !snn.values<50>
  %i = snn.sum "fan_in" %w, %rec : !snn.values<50>, !snn.values<50> -> !snn.values<50>
  %h = snn.lif "h" %i integration(euler) reset(subtract, same_step) fire(gt) {tau = 1.0e-2, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<50> -> !snn.spikes<50>
  %r = snn.linear "r" %h {weight = dense<1.0> : tensor<8x50xf32>} : !snn.spikes<50> -> !snn.values<8>
  %o = snn.lif "o" %r integration(euler) reset(subtract, same_step) fire(gt) {tau = 1.0e-2, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<8> -> !snn.spikes<8>
  snn.output %o : !snn.spikes<8>
}

// -----

// 200 hidden neurons both fed by the input and read out.
snn.network @wide(%x: !snn.spikes<16>) -> (y: !snn.spikes<4>) attributes {dt = 1.0e-3} {
  %w = snn.linear "w" %x {weight = dense<1.0> : tensor<200x16xf32>} : !snn.spikes<16> -> !snn.values<200>
  %h = snn.lif "h" %w integration(euler) reset(subtract, same_step) fire(gt) {tau = 1.0e-2, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<200> -> !snn.spikes<200>
  %r = snn.linear "r" %h {weight = dense<1.0> : tensor<4x200xf32>} : !snn.spikes<200> -> !snn.values<4>
  %o = snn.lif "o" %r integration(euler) reset(subtract, same_step) fire(gt) {tau = 1.0e-2, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<4> -> !snn.spikes<4>
  snn.output %o : !snn.spikes<4>
}

// -----

// 100 neurons fed and read out among 400 hidden neurons.
snn.network @overlap(%x: !snn.spikes<16>) -> (y: !snn.spikes<4>) attributes {dt = 1.0e-3} {
  %w = snn.linear "w" %x {weight = dense<1.0> : tensor<100x16xf32>} : !snn.spikes<16> -> !snn.values<100>
  %h = snn.lif "h" %w integration(euler) reset(subtract, same_step) fire(gt) {tau = 1.0e-2, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<100> -> !snn.spikes<100>
  %w2 = snn.linear "w2" %h {weight = dense<1.0> : tensor<300x100xf32>} : !snn.spikes<100> -> !snn.values<300>
  %h2 = snn.lif "h2" %w2 integration(euler) reset(subtract, same_step) fire(gt) {tau = 1.0e-2, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<300> -> !snn.spikes<300>
  %r = snn.linear "r" %h {weight = dense<1.0> : tensor<4x100xf32>} : !snn.spikes<100> -> !snn.values<4>
  %o = snn.lif "o" %r integration(euler) reset(subtract, same_step) fire(gt) {tau = 1.0e-2, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<4> -> !snn.spikes<4>
  snn.output %o : !snn.spikes<4>
}

// -----

// 80000 hidden-to-hidden weights, fan-out 300 from h2.
snn.network @dense(%x: !snn.spikes<16>) -> (y: !snn.spikes<4>) attributes {dt = 1.0e-3} {
  %w = snn.linear "w" %x {weight = dense<1.0> : tensor<100x16xf32>} : !snn.spikes<16> -> !snn.values<100>
  %h1 = snn.lif "h1" %w integration(euler) reset(subtract, same_step) fire(gt) {tau = 1.0e-2, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<100> -> !snn.spikes<100>
  %w2 = snn.linear "w2" %h1 {weight = dense<1.0> : tensor<200x100xf32>} : !snn.spikes<100> -> !snn.values<200>
  %prev = snn.delay "h2_prev" %h2 {steps = 1} : !snn.spikes<200> -> !snn.spikes<200>
  %rec = snn.linear "rec" %prev {weight = dense<1.0> : tensor<200x200xf32>} : !snn.spikes<200> -> !snn.values<200>
  %i = snn.sum "fan_in" %w2, %rec : !snn.values<200>, !snn.values<200> -> !snn.values<200>
  %h2 = snn.lif "h2" %i integration(euler) reset(subtract, same_step) fire(gt) {tau = 1.0e-2, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<200> -> !snn.spikes<200>
  %w3 = snn.linear "w3" %h2 {weight = dense<1.0> : tensor<100x200xf32>} : !snn.spikes<200> -> !snn.values<100>
  %h3 = snn.lif "h3" %w3 integration(euler) reset(subtract, same_step) fire(gt) {tau = 1.0e-2, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<100> -> !snn.spikes<100>
  %r = snn.linear "r" %h3 {weight = dense<1.0> : tensor<4x100xf32>} : !snn.spikes<100> -> !snn.values<4>
  %o = snn.lif "o" %r integration(euler) reset(subtract, same_step) fire(gt) {tau = 1.0e-2, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<4> -> !snn.spikes<4>
  snn.output %o : !snn.spikes<4>
}
