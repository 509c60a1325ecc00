/*===- snn_xylo.h - one time step of SynSense Xylo's integer core -*- C -*-===*
 *
 * The arithmetic of xylosim, the simulator behind Rockpool's XyloSim, as
 * plain C99 over int16/int32 arrays: Xylo core v2 (Xylo Audio 2, Xylo IMU,
 * Xylo Audio 3) and v1. The fixed-point reference, the generated C and the
 * emulator call these functions, so there is one definition of Xylo's
 * arithmetic in SNNC. No libc, no floating point, no allocation.
 *
 * Every rule is cited to docs/xylo.md and its source, the facts page
 * docs/targets/xylo.md of the shared notes (section "One time step (v2)"),
 * which was read from xylosim's C++ sources (v1 layer and neuron, v2 neuron)
 * and from Rockpool (github synsense/rockpool @ 42cee1c; files named below
 * are under rockpool/devices/xylo/). The v2 *layer* source was not available:
 * the order of the step's phases for v2 rests on the v1 layer source.
 *
 * Layout used by snn_xylo_step (dense, as Rockpool's specification stores
 * it; a zero weight is skipped, which is exact because adding 0 with
 * saturation changes nothing):
 *   w_in   [n_in][n_ien][n_syn]    int8, hidden neurons 0 .. n_ien-1
 *   w_rec  [n_hid][n_hid][n_syn]   int8
 *   w_out  [n_oen][n_out]          int8, hidden neurons n_hid-n_oen .. n_hid-1
 * (syns61201/xylo_sim.py from_specification pads synapses_out with
 * n_hid - n_oen empty lists first, so weights_out's rows are the *last*
 * hidden neurons.)
 *
 *===----------------------------------------------------------------------===*/

#ifndef SNN_XYLO_H
#define SNN_XYLO_H

#include <stdint.h>

/* Per-step caps (facts page, "Limits": <= 15 input events per channel,
 * <= 31 hidden spikes, 1 output spike). */
enum {
  SNN_XYLO_MAX_INPUT_EVENTS = 15,
  SNN_XYLO_MAX_HIDDEN_SPIKES = 31,
  SNN_XYLO_MAX_OUTPUT_SPIKES = 1,
  SNN_XYLO_NO_ALIAS = -1
};

enum { SNN_XYLO_V1 = 1, SNN_XYLO_V2 = 2 };

/* xylosim's safe_add: the int sum clamped to [-32768, 32767] (facts page,
 * "One time step (v2)": sat16). */
static inline int16_t snn_xylo_sat16(int32_t x) {
  if (x > 32767)
    return (int16_t)32767;
  if (x < -32768)
    return (int16_t)-32768;
  return (int16_t)x;
}

/* The narrowing of an int to int16_t (facts page: i16 wraps, two's
 * complement), written without the implementation-defined conversion. */
static inline int16_t snn_xylo_i16_bits(uint32_t bits) {
  uint32_t low = bits & 0xFFFFu;
  if (low & 0x8000u)
    return (int16_t)(-(int32_t)((~low) & 0xFFFFu) - 1);
  return (int16_t)low;
}

static inline int16_t snn_xylo_i16(int32_t x) {
  return snn_xylo_i16_bits((uint32_t)x);
}

/* The decrement a state leaks by (facts page, "One time step (v2)", leak):
 * k = x >> d, arithmetic (floor for negatives); if k == 0 then k = sign(x).
 * A non-zero state therefore always moves by at least 1 toward zero. d is a
 * 4-bit dash (0..15); larger counts give the sign, as a 16-bit shift would. */
static inline int32_t snn_xylo_leak(int16_t x, int32_t d) {
  int32_t v = x, k;
  if (d <= 0)
    k = v;
  else if (d >= 16)
    k = v < 0 ? -1 : 0;
  else if (v >= 0)
    k = v >> d;
  else
    k = -(int32_t)(((uint32_t)(-(v + 1))) >> d) - 1;
  if (k == 0)
    k = v > 0 ? 1 : (v < 0 ? -1 : 0);
  return k;
}

/* A synaptic state after its leak: isyn - leak(isyn, dash), computed in int
 * and stored back (it cannot leave int16: the result lies between 0 and
 * isyn). */
static inline int16_t snn_xylo_decay(int16_t x, int32_t d) {
  return (int16_t)((int32_t)x - snn_xylo_leak(x, d));
}

/* A weight as it is added: `w << shift` computed in int and narrowed to
 * int16 (facts page: "w << shift is computed in int and narrowed to
 * int16"). With int8 weights and the hardware's shifts 0..7 it never wraps;
 * shifts 8..15 (not allowed by the validator) wrap. */
static inline int16_t snn_xylo_shifted_weight(int32_t w, int32_t shift) {
  return snn_xylo_i16_bits((uint32_t)w << (uint32_t)(shift & 31));
}

/* n events on one synapse: each a separate saturating add, so that with
 * mixed signs the order of synapses matters (facts page, "One time step
 * (v2)" steps 1-3 and "Consequences"). */
static inline void snn_xylo_add_events(int16_t *isyn, int16_t w, int32_t n) {
  int32_t k;
  for (k = 0; k < n; ++k)
    *isyn = snn_xylo_sat16((int32_t)*isyn + w);
}

/* Input counts are clipped at 15 events per channel and step (facts page,
 * step 1: n = min(x, 15)). */
static inline int32_t snn_xylo_clip_input(int32_t count) {
  if (count < 0)
    return 0;
  return count > SNN_XYLO_MAX_INPUT_EVENTS ? SNN_XYLO_MAX_INPUT_EVENTS : count;
}

/* The membrane update of v2 (facts page, step 5; xylosim v2 neuron; has_bias
 * as syns61201/xylo_sim.py from_specification sets it): dv = i16(-leak(vmem)),
 * dv = sat16(dv + I), with a bias when the network has any non-zero bias
 * dv = sat16(dv + bias); vmem = sat16(vmem + dv). Note that i16(-leak) wraps
 * for vmem = -32768 with dash 0 (32768 -> -32768). */
static inline int16_t snn_xylo_membrane_v2(int16_t vmem, int32_t current,
                                           int32_t dash_mem, int32_t has_bias,
                                           int16_t bias) {
  int16_t dv = snn_xylo_i16(-snn_xylo_leak(vmem, dash_mem));
  dv = snn_xylo_sat16((int32_t)dv + current);
  if (has_bias)
    dv = snn_xylo_sat16((int32_t)dv + bias);
  return snn_xylo_sat16((int32_t)vmem + dv);
}

/* The membrane update of v1 (facts page, "v1 differs in the membrane only";
 * xylosim v1 neuron): no bias;
 * vmem = vmem - leak(vmem), then vmem = sat16(vmem + I). */
static inline int16_t snn_xylo_membrane_v1(int16_t vmem, int32_t current,
                                           int32_t dash_mem) {
  int16_t v = snn_xylo_decay(vmem, dash_mem);
  return snn_xylo_sat16((int32_t)v + current);
}

/* The threshold (facts page, step 5 and "Consequences"): starting from n
 * spikes already held (aliases), while vmem >= threshold
 * and n < max: one more spike and vmem = i16(vmem - threshold). Subtractive
 * reset, no refractory period; at the cap the remainder stays above the
 * threshold, and threshold 0 fires the cap every step. */
static inline int32_t snn_xylo_fire(int16_t *vmem, int16_t threshold, int32_t n,
                                    int32_t max) {
  while (*vmem >= threshold && n < max) {
    ++n;
    *vmem = snn_xylo_i16((int32_t)*vmem - threshold);
  }
  return n;
}

/* One neuron's update (facts page, steps 5 and 6) after its synapses received
 * this step's events: each synaptic state leaks (on the value that already
 * holds this step's input), their sum is the current (wide, no saturation), the
 * membrane is updated for `version` and the neuron fires from `n` held spikes
 * up to `max`. Returns the spike count. */
static inline int32_t snn_xylo_neuron(int32_t version, int16_t *isyn,
                                      const int32_t *dash_syn, int32_t n_syn,
                                      int16_t *vmem, int32_t dash_mem,
                                      int32_t has_bias, int16_t bias,
                                      int16_t threshold, int32_t n,
                                      int32_t max) {
  int32_t s, current = 0;
  for (s = 0; s < n_syn; ++s) {
    isyn[s] = snn_xylo_decay(isyn[s], dash_syn[s]);
    current += isyn[s];
  }
  if (version == SNN_XYLO_V1)
    *vmem = snn_xylo_membrane_v1(*vmem, current, dash_mem);
  else
    *vmem = snn_xylo_membrane_v2(*vmem, current, dash_mem, has_bias, bias);
  return snn_xylo_fire(vmem, threshold, n, max);
}

/* Value forms of the rules above, for generated C (lib/Codegen/LowerXylo.cpp),
 * which keeps states in its own arrays and passes scalars: n events of the
 * already shifted weight w on one synaptic state; the membrane of `version`;
 * the spike count a membrane gives from n held spikes up to `max`, and the
 * membrane that remains. */
static inline int16_t snn_xylo_events_value(int16_t isyn, int16_t w,
                                            int32_t n) {
  snn_xylo_add_events(&isyn, w, n);
  return isyn;
}

static inline int16_t snn_xylo_membrane(int32_t version, int16_t vmem,
                                        int32_t current, int32_t dash_mem,
                                        int16_t bias) {
  if (version == SNN_XYLO_V1)
    return snn_xylo_membrane_v1(vmem, current, dash_mem);
  return snn_xylo_membrane_v2(vmem, current, dash_mem, 1, bias);
}

static inline int32_t snn_xylo_fire_count(int16_t vmem, int16_t threshold,
                                          int32_t n, int32_t max) {
  return snn_xylo_fire(&vmem, threshold, n, max);
}

static inline int16_t snn_xylo_fire_rest(int16_t vmem, int16_t threshold,
                                         int32_t n, int32_t max) {
  snn_xylo_fire(&vmem, threshold, n, max);
  return vmem;
}

/* A network as snn_xylo_step runs it. Hidden neurons always have two
 * synaptic states in v2 (the second stays 0 when n_syn is 1); outputs have
 * one. alias[h] is the first alias target of h or SNN_XYLO_NO_ALIAS. */
typedef struct {
  int32_t version; /* SNN_XYLO_V1 or SNN_XYLO_V2 */
  int32_t n_in, n_ien, n_hid, n_oen, n_out, n_syn;
  const int8_t *w_in, *w_rec, *w_out;
  const int32_t *dash_mem, *dash_syn, *dash_syn_2; /* [n_hid] */
  const int32_t *dash_mem_out, *dash_syn_out;      /* [n_out] */
  const int16_t *threshold, *bias;                 /* [n_hid] */
  const int16_t *threshold_out, *bias_out;         /* [n_out] */
  const int32_t *alias;                            /* [n_hid] */
  int32_t shift_in, shift_rec, shift_out;
  int32_t has_bias; /* any bias or bias_out non-zero (xylo_sim.py) */
} snn_xylo_net;

/* The state: isyn [n_hid][2], vmem [n_hid], spk [n_hid] (counts of the last
 * step), isyn_out [n_out], vmem_out [n_out]. */
typedef struct {
  int16_t *isyn, *vmem, *isyn_out, *vmem_out;
  int32_t *spk;
} snn_xylo_state;

/* Events into the hidden synapses (facts page, steps 1-2): each source in
 * ascending order, its synapse-0 targets ascending, then its synapse-1
 * targets ascending (the XyloSynapse lists of syns61201/xylo_sim.py
 * from_specification), `count[src]` times each. Hidden counts need no clip:
 * they are at most 31 by construction. */
static inline void snn_xylo_project(const int8_t *w, int32_t n_src,
                                    int32_t n_dst, int32_t n_syn, int32_t shift,
                                    const int32_t *count, int16_t *isyn) {
  int32_t p, s, h;
  for (p = 0; p < n_src; ++p) {
    if (count[p] <= 0)
      continue;
    for (s = 0; s < n_syn; ++s)
      for (h = 0; h < n_dst; ++h) {
        int8_t wt = w[((int64_t)p * n_dst + h) * n_syn + s];
        if (wt != 0)
          snn_xylo_add_events(&isyn[2 * h + s],
                              snn_xylo_shifted_weight(wt, shift), count[p]);
      }
  }
}

/* One time step (facts page, "One time step (v2)", phases 1-6). `input`
 * holds this step's event counts per input channel (clipped here at 15),
 * `out` receives the output spikes; `scratch` holds n_in int32. */
static inline void snn_xylo_step(const snn_xylo_net *net, snn_xylo_state *st,
                                 const int32_t *input, int32_t *out,
                                 int32_t *scratch) {
  int32_t i, h, o, p, oen0 = net->n_hid - net->n_oen;
  /* 1. input, 2. recurrent (spk <= 31 already). */
  for (i = 0; i < net->n_in; ++i)
    scratch[i] = snn_xylo_clip_input(input[i]);
  snn_xylo_project(net->w_in, net->n_in, net->n_ien, net->n_syn, net->shift_in,
                   scratch, st->isyn);
  snn_xylo_project(net->w_rec, net->n_hid, net->n_hid, net->n_syn,
                   net->shift_rec, st->spk, st->isyn);
  /* 3. readout from the last n_oen hidden neurons. */
  for (p = 0; p < net->n_oen; ++p) {
    int32_t n = st->spk[oen0 + p];
    if (n <= 0)
      continue;
    for (o = 0; o < net->n_out; ++o) {
      int8_t wt = net->w_out[(int64_t)p * net->n_out + o];
      if (wt != 0)
        snn_xylo_add_events(&st->isyn_out[o],
                            snn_xylo_shifted_weight(wt, net->shift_out), n);
    }
  }
  /* 4. clear the spikes. */
  for (h = 0; h < net->n_hid; ++h)
    st->spk[h] = 0;
  /* 5. hidden neurons in index order, aliases forwarded as they fire. */
  for (h = 0; h < net->n_hid; ++h) {
    int32_t dash[2], n, a;
    dash[0] = net->dash_syn[h];
    dash[1] = net->dash_syn_2[h];
    n = snn_xylo_neuron(net->version, &st->isyn[2 * h], dash, 2, &st->vmem[h],
                        net->dash_mem[h], net->has_bias, net->bias[h],
                        net->threshold[h], st->spk[h],
                        SNN_XYLO_MAX_HIDDEN_SPIKES);
    st->spk[h] = n;
    a = net->alias[h];
    if (a >= 0 && a < net->n_hid) {
      int32_t sum = st->spk[a] + n;
      st->spk[a] =
          sum > SNN_XYLO_MAX_HIDDEN_SPIKES ? SNN_XYLO_MAX_HIDDEN_SPIKES : sum;
    }
  }
  /* 6. output neurons: one synapse, at most one spike. */
  for (o = 0; o < net->n_out; ++o) {
    int32_t dash = net->dash_syn_out[o];
    out[o] = snn_xylo_neuron(
        net->version, &st->isyn_out[o], &dash, 1, &st->vmem_out[o],
        net->dash_mem_out[o], net->has_bias, net->bias_out[o],
        net->threshold_out[o], 0, SNN_XYLO_MAX_OUTPUT_SPIKES);
  }
}

#endif /* SNN_XYLO_H */
