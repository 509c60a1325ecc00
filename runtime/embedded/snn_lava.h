/*===- snn_lava.h - one time step of Lava's fixed-point models ----*- C -*-===*
 *
 * Lava's bit-accurate CPU models of Loihi, as plain C99 over int32/int64
 * arrays: the LIF neuron (PyLifModelBitAcc), the dense synapse
 * (PyDenseModelBitAcc, PyDelayDenseModelBitAcc) and the convolution
 * (PyConvModelFixed). The generated C, the emulator and the fixed-point
 * reference all call these functions, so there is one definition of Lava's
 * arithmetic in SNNC. No libc, no floating point, no allocation.
 *
 * Every formula is read from lava-nc/lava @ b6822fb; the file and function are
 * cited beside it (paths under src/lava/). Beyond the formulas, Lava's numpy
 * types matter and are reproduced exactly:
 *  - a Var is stored in its declared dtype when the model is built
 *    (magma/compiler/builders/py_builder.py `var[:] = v.value`): bias_mant and
 *    bias_exp are int16, u, v, weights and a_buff int32 (wrapping casts);
 *  - a message is stored in the *sending* port's dtype
 *    (magma/compiler/channels/pypychannel.py, channel_builder.py passes
 *    src_port_initializer.d_type): Dense and Conv send int32, and the
 *    receiving PyInPortVectorDense.recv (magma/core/model/py/ports.py) adds
 *    the messages of all its connections in int32;
 *  - numpy shifts by a count outside [0, width) give 0 (left) or the sign
 *    (right), which is what snn_lava_shl/snn_lava_shr do.
 *
 * Time: Lava's steps count from 1. A Dense or Conv sends in step t the sum it
 * computed in step t-1 (`self.a_out.send(self.a_buff)` before the sum), so
 * every synapse layer adds one step of latency. The functions here keep that
 * in the caller's hands: the caller holds each synapse's a_buff, gives the
 * neuron the a_buff of the previous step, then lets the synapse compute the
 * new a_buff from this step's spikes (snn_lava_dense_step does both).
 *
 *===----------------------------------------------------------------------===*/

#ifndef SNN_LAVA_H
#define SNN_LAVA_H

#include <stdint.h>

/* AbstractPyLifModelFixed.__init__ (proc/lif/models.py). */
enum {
  SNN_LAVA_DECAY_SHIFT = 12, /* decays in units of 1/4096 */
  SNN_LAVA_DECAY_UNITY = 4096,
  SNN_LAVA_DS_OFFSET = 1, /* added to du: du = 0 still leaks 1/4096 */
  SNN_LAVA_DM_OFFSET = 0, /* added to dv */
  SNN_LAVA_VTH_SHIFT = 6, /* threshold MSB alignment */
  SNN_LAVA_ACT_SHIFT = 6, /* synaptic input MSB alignment */
  SNN_LAVA_UV_BITS = 24   /* u and v */
};
#define SNN_LAVA_MAX_UV ((int32_t)1 << (SNN_LAVA_UV_BITS - 1))

/* weightutils.SignMode (utils/weightutils.py). */
enum {
  SNN_LAVA_SIGN_MIXED = 1,
  SNN_LAVA_SIGN_EXCITATORY = 2,
  SNN_LAVA_SIGN_INHIBITORY = 3
};

/* x brought into a signed `bits`-bit integer by wrapping (1 <= bits <= 63),
 * without relying on implementation-defined conversions. */
static inline int64_t snn_lava_wrap(int64_t x, int32_t bits) {
  uint64_t mask = ((uint64_t)1 << bits) - 1;
  uint64_t low = (uint64_t)x & mask;
  if (low & ((uint64_t)1 << (bits - 1)))
    return -(int64_t)((~low) & mask) - 1;
  return (int64_t)low;
}

static inline int32_t snn_lava_wrap32(int64_t x) {
  return (int32_t)snn_lava_wrap(x, 32);
}

/* numpy's left_shift of a signed `bits`-bit integer (bits 32 or 64): the
 * bits shifted out are lost, a count outside [0, bits) gives 0. */
static inline int64_t snn_lava_shl(int64_t x, int64_t k, int32_t bits) {
  uint64_t shifted;
  if (k < 0 || k >= bits)
    return 0;
  shifted = (uint64_t)x << k;
  if (bits == 64)
    return (shifted >> 63) ? -(int64_t)(~shifted) - 1 : (int64_t)shifted;
  return snn_lava_wrap((int64_t)(shifted & (((uint64_t)1 << bits) - 1)), bits);
}

/* numpy's right_shift of a signed integer: arithmetic (floor), a count
 * outside [0, bits) gives the sign (0 or -1). */
static inline int64_t snn_lava_shr(int64_t x, int64_t k, int32_t bits) {
  if (k < 0 || k >= bits)
    return x < 0 ? -1 : 0;
  if (x >= 0)
    return x >> k;
  return -(int64_t)(((uint64_t)(-(x + 1))) >> k) - 1;
}

/*===--- LIF: proc/lif/models.py (PyLifModelBitAcc) ---===*/

/* One decay: x * (4096 - d) / 4096 truncated toward zero, cast to int32.
 * subthr_dynamics: `np.int64(u) * (decay_unity - decay_const)`, then
 * `np.sign(.) * np.right_shift(np.abs(.), decay_shift)`, then `np.int32(.)`.
 * `d` is the effective constant: du + ds_offset or dv + dm_offset. */
static inline int32_t snn_lava_decay(int32_t x, int32_t d) {
  int64_t p = (int64_t)x * ((int64_t)SNN_LAVA_DECAY_UNITY - (int64_t)d);
  int64_t q =
      p < 0 ? -((-p) >> SNN_LAVA_DECAY_SHIFT) : p >> SNN_LAVA_DECAY_SHIFT;
  return snn_lava_wrap32(q);
}

/* The bias a neuron adds each step. scale_bias: bias_mant (stored int16)
 * `.astype(np.int32)`, then `np.left_shift(bias_mant, bias_exp)` when
 * bias_exp >= 0 else `np.right_shift(bias_mant, -bias_exp)` (bias_exp stored
 * int16), in int32. */
static inline int32_t snn_lava_bias(int32_t bias_mant, int32_t bias_exp) {
  int64_t mant = snn_lava_wrap(bias_mant, 16);
  int64_t e = snn_lava_wrap(bias_exp, 16);
  if (e >= 0)
    return (int32_t)snn_lava_shl(mant, e, 32);
  return (int32_t)snn_lava_shr(mant, -e, 32);
}

/* The threshold v is compared with. PyLifModelBitAcc.scale_threshold:
 * `np.left_shift(vth, vth_shift)` on an int64 scalar. */
static inline int64_t snn_lava_threshold(int64_t vth) {
  return snn_lava_shl(vth, SNN_LAVA_VTH_SHIFT, 64);
}

/* The current's overflow. subthr_dynamics: `u > max_uv_val` loses 2^24,
 * `u <= -max_uv_val` gains 2^24, once: +2^23 is kept, and a value further
 * than 2^24 out is corrected once only (Lava does not loop). */
static inline int32_t snn_lava_wrap_current(int32_t u) {
  if (u > SNN_LAVA_MAX_UV)
    return u - 2 * SNN_LAVA_MAX_UV;
  if (u <= -SNN_LAVA_MAX_UV)
    return u + 2 * SNN_LAVA_MAX_UV;
  return u;
}

/* The voltage's overflow. subthr_dynamics: `np.clip(updated_volt,
 * -max_uv_val + 1, max_uv_val - 1)`. */
static inline int32_t snn_lava_clip_voltage(int64_t v) {
  if (v < -SNN_LAVA_MAX_UV + 1)
    return -SNN_LAVA_MAX_UV + 1;
  if (v > SNN_LAVA_MAX_UV - 1)
    return SNN_LAVA_MAX_UV - 1;
  return (int32_t)v;
}

/* The new current (subthr_dynamics, "Update current"): u decayed with
 * du + ds_offset, plus `np.left_shift(activation_in, act_shift)` in int32,
 * added in int32, then wrapped once at 24 bits. `a_in` is the int32 sum of
 * this step's synaptic messages. */
static inline int32_t snn_lava_current(int32_t u, int32_t a_in, int32_t du) {
  int64_t act = snn_lava_shl(a_in, SNN_LAVA_ACT_SHIFT, 32);
  int32_t decayed =
      snn_lava_decay(u, (int32_t)((int64_t)du + SNN_LAVA_DS_OFFSET));
  return snn_lava_wrap_current(snn_lava_wrap32((int64_t)decayed + act));
}

/* The new voltage before the threshold (subthr_dynamics, "Update
 * voltage"): `decayed_volt + self.u + self.effective_bias` in int32 with the
 * *new* current, then clipped to 24 bits. `bias` from snn_lava_bias. */
static inline int32_t snn_lava_voltage(int32_t v, int32_t u, int32_t dv,
                                       int32_t bias) {
  int32_t decayed =
      snn_lava_decay(v, (int32_t)((int64_t)dv + SNN_LAVA_DM_OFFSET));
  return snn_lava_clip_voltage(
      snn_lava_wrap32((int64_t)decayed + (int64_t)u + (int64_t)bias));
}

/* One step of one neuron (AbstractPyLifModelFixed.run_spk): current first,
 * then voltage with the new current, then the strict threshold compare
 * (PyLifModelBitAcc.spiking_activation: `self.v > self.effective_vth`), then
 * v = 0 on a spike (reset_voltage; u is not reset, there is no refractory
 * period). `vth_eff` from snn_lava_threshold. Returns the spike (0 or 1). */
static inline int snn_lava_lif_neuron(int32_t *u, int32_t *v, int32_t a_in,
                                      int32_t du, int32_t dv, int32_t bias,
                                      int64_t vth_eff) {
  *u = snn_lava_current(*u, a_in, du);
  *v = snn_lava_voltage(*v, *u, dv, bias);
  if ((int64_t)*v > vth_eff) {
    *v = 0;
    return 1;
  }
  return 0;
}

/* One step of a population of n neurons sharing du, dv and vth, each with
 * its own bias mantissa and exponent. */
static inline void snn_lava_lif_step(int64_t n, int32_t *u, int32_t *v,
                                     const int32_t *a_in, int32_t du,
                                     int32_t dv, const int32_t *bias_mant,
                                     const int32_t *bias_exp, int64_t vth,
                                     uint8_t *spikes) {
  int64_t vth_eff = snn_lava_threshold(vth), i;
  for (i = 0; i < n; ++i)
    spikes[i] = (uint8_t)snn_lava_lif_neuron(
        &u[i], &v[i], a_in[i], du, dv, snn_lava_bias(bias_mant[i], bias_exp[i]),
        vth_eff);
}

/* a += b as PyInPortVectorDense.recv adds the messages of several
 * connections (Dense and its recurrent Dense) into one neuron input: int32. */
static inline void snn_lava_add_messages(int64_t n, int32_t *a,
                                         const int32_t *b) {
  int64_t i;
  for (i = 0; i < n; ++i)
    a[i] = snn_lava_wrap32((int64_t)a[i] + b[i]);
}

/*===--- Dense weights: utils/weightutils.py ---===*/

/* determine_sign_mode: all >= 0 excitatory (an all-zero matrix too), else
 * all <= 0 inhibitory, else mixed. */
static inline int32_t snn_lava_sign_mode(const int32_t *w, int64_t n) {
  int32_t lo = 0, hi = 0;
  int64_t i;
  for (i = 0; i < n; ++i) {
    if (i == 0 || w[i] < lo)
      lo = w[i];
    if (i == 0 || w[i] > hi)
      hi = w[i];
  }
  if (lo >= 0)
    return SNN_LAVA_SIGN_EXCITATORY;
  if (hi <= 0)
    return SNN_LAVA_SIGN_INHIBITORY;
  return SNN_LAVA_SIGN_MIXED;
}

/* What PyDenseModelBitAcc.run_spk does to its weights once, in place:
 * clip_weights(num_bits=8) then truncate_weights(num_weight_bits). Both work
 * in int32 on -w when inhibitory. clip: mixed to [-256, 255], otherwise to
 * [0, 255]. truncate: k = 8 - num_weight_bits + (mixed ? 1 : 0), w = (w >> k)
 * << k with numpy's shifts, so with 8 bits a mixed matrix loses its lowest
 * bit (25 -> 24, -9 -> -10). */
static inline void snn_lava_prepare_weights(int32_t *w, int64_t n,
                                            int32_t sign_mode,
                                            int32_t num_weight_bits) {
  int32_t mixed = sign_mode == SNN_LAVA_SIGN_MIXED;
  int32_t inhibitory = sign_mode == SNN_LAVA_SIGN_INHIBITORY;
  int64_t lo = mixed ? -256 : 0, hi = 255,
          k = 8 - (int64_t)num_weight_bits + mixed;
  int64_t i;
  for (i = 0; i < n; ++i) {
    int64_t x = inhibitory ? snn_lava_wrap32(-(int64_t)w[i]) : w[i];
    x = x < lo ? lo : x > hi ? hi : x;
    x = snn_lava_shl(snn_lava_shr(x, k, 32), k, 32);
    w[i] = inhibitory ? snn_lava_wrap32(-x) : (int32_t)x;
  }
}

/*===--- Dense: proc/dense/models.py (PyDenseModelBitAcc) ---===*/

/* The sum of one output for binary input spikes, with weight_exp applied to
 * the sum: `self.weights[:, s_in].sum(axis=1)` (int64, numpy's sum of int32),
 * then `np.left_shift(a_accum, weight_exp)` if weight_exp > 0 else
 * `np.right_shift(a_accum, -weight_exp)` (floor), then the int32 message. */
static inline int32_t snn_lava_scale_sum(int64_t sum, int32_t weight_exp) {
  return snn_lava_wrap32(weight_exp > 0
                             ? snn_lava_shl(sum, weight_exp, 64)
                             : snn_lava_shr(sum, -(int64_t)weight_exp, 64));
}

/* One step of a Dense of n_out x n_in prepared weights (row-major, out by
 * in): a_out receives the a_buff computed last step (what the neurons get
 * this step), then a_buff becomes the scaled sum over this step's spikes
 * (nonzero = spike). a_out may be NULL when the caller reads a_buff itself
 * before calling. */
static inline void snn_lava_dense_step(int64_t n_out, int64_t n_in,
                                       const int32_t *w, const uint8_t *s_in,
                                       int32_t weight_exp, int32_t *a_buff,
                                       int32_t *a_out) {
  int64_t i, j;
  for (i = 0; i < n_out; ++i) {
    const int32_t *row = w + i * n_in;
    int64_t sum = 0;
    if (a_out)
      a_out[i] = a_buff[i];
    for (j = 0; j < n_in; ++j)
      if (s_in[j])
        sum += row[j];
    a_buff[i] = snn_lava_scale_sum(sum, weight_exp);
  }
}

/* One step of a DelayDense (PyDelayDenseModelBitAcc.run_spk) with delays in
 * [0, max_delay]: a_buff is n_out x (max_delay + 1), column 0 is sent, the
 * rows move one column towards 0, then for each delay k the scaled sum of the
 * synapses of delay k is added (int32) to column k; so a delay d reaches the
 * neuron d + 1 steps after the spike, d = 0 like Dense. `scratch` holds
 * max_delay + 1 int64 values. Lava raises for delays above 63. */
static inline void
snn_lava_delay_dense_step(int64_t n_out, int64_t n_in, const int32_t *w,
                          const int32_t *delays, int32_t max_delay,
                          const uint8_t *s_in, int32_t weight_exp,
                          int32_t *a_buff, int64_t *scratch, int32_t *a_out) {
  int64_t slots = (int64_t)max_delay + 1, i, j, k;
  for (i = 0; i < n_out; ++i) {
    int32_t *row = a_buff + i * slots;
    a_out[i] = row[0];
    for (k = 0; k + 1 < slots; ++k)
      row[k] = row[k + 1];
    row[slots - 1] = 0;
    for (k = 0; k < slots; ++k)
      scratch[k] = 0;
    for (j = 0; j < n_in; ++j) {
      int32_t d = delays[i * n_in + j];
      if (s_in[j] && d >= 0 && d <= max_delay)
        scratch[d] += w[i * n_in + j];
    }
    for (k = 0; k < slots; ++k)
      row[k] = snn_lava_wrap32((int64_t)row[k] +
                               snn_lava_scale_sum(scratch[k], weight_exp));
  }
}

/*===--- Conv: proc/conv/models.py (PyConvModelFixed) ---===*/

/* Lava computes conv_scipy in float64 (exact for these integers), casts to
 * the weight's int32 (`astype`: out of range gives INT32_MIN on x86) and
 * clamp_precision applies `signed_clamp(x, bits=24)`:
 * `(x + 2^23) % 2^24 - 2^23` in int32, a wrap to 24 bits. weight_exp and
 * num_weight_bits are not used and the weights are not clipped. */
static inline int32_t snn_lava_conv_message(int64_t sum) {
  int32_t x = (sum < INT32_MIN || sum > INT32_MAX) ? INT32_MIN : (int32_t)sum;
  int64_t t = snn_lava_wrap32((int64_t)x + SNN_LAVA_MAX_UV);
  int64_t m = t % (2 * (int64_t)SNN_LAVA_MAX_UV);
  if (m < 0)
    m += 2 * (int64_t)SNN_LAVA_MAX_UV;
  return (int32_t)(m - SNN_LAVA_MAX_UV);
}

/* The geometry of a convolution, in (C, H, W) order with weights in torch's
 * (out, in / groups, kH, kW) cross-correlation orientation. Lava computes a
 * true convolution over (W, H, C) with weights (out, kW, kH, in / groups);
 * netx converts between the two with w[:, :, ::-1, ::-1].transpose(0, 3, 2,
 * 1) and reverses stride, padding and dilation, so the sums are the same. */
typedef struct {
  int32_t in_c, in_h, in_w, out_c, out_h, out_w;
  int32_t k_h, k_w, stride_h, stride_w, pad_h, pad_w, dil_h, dil_w, groups;
} snn_lava_conv_shape;

/* One output's sum over binary input spikes (nonzero = spike). */
static inline int64_t snn_lava_conv_sum(const snn_lava_conv_shape *g,
                                        const int32_t *w, const uint8_t *s_in,
                                        int32_t oc, int32_t oy, int32_t ox) {
  int32_t cin_g = g->in_c / g->groups, cout_g = g->out_c / g->groups;
  int32_t first = (oc / cout_g) * cin_g, c, ky, kx;
  int64_t sum = 0;
  for (c = 0; c < cin_g; ++c)
    for (ky = 0; ky < g->k_h; ++ky) {
      int32_t y = oy * g->stride_h - g->pad_h + ky * g->dil_h;
      if (y < 0 || y >= g->in_h)
        continue;
      for (kx = 0; kx < g->k_w; ++kx) {
        int32_t x = ox * g->stride_w - g->pad_w + kx * g->dil_w;
        if (x < 0 || x >= g->in_w)
          continue;
        if (s_in[((int64_t)(first + c) * g->in_h + y) * g->in_w + x])
          sum += w[(((int64_t)oc * cin_g + c) * g->k_h + ky) * g->k_w + kx];
      }
    }
  return sum;
}

/* One step of a Conv (AbstractPyConvModel.run_spk): a_out receives last
 * step's a_buf, then a_buf becomes this step's 24-bit wrapped sums; both
 * (out_c, out_h, out_w). */
static inline void snn_lava_conv_step(const snn_lava_conv_shape *g,
                                      const int32_t *w, const uint8_t *s_in,
                                      int32_t *a_buf, int32_t *a_out) {
  int32_t oc, oy, ox;
  for (oc = 0; oc < g->out_c; ++oc)
    for (oy = 0; oy < g->out_h; ++oy)
      for (ox = 0; ox < g->out_w; ++ox) {
        int64_t at = ((int64_t)oc * g->out_h + oy) * g->out_w + ox;
        if (a_out)
          a_out[at] = a_buf[at];
        a_buf[at] =
            snn_lava_conv_message(snn_lava_conv_sum(g, w, s_in, oc, oy, ox));
      }
}

#endif /* SNN_LAVA_H */
