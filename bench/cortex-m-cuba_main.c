/* The step loop of bench/cortex-m-cuba.sh: the CUBA network's generated C
 * (net.c, compiled with it) driven by Bernoulli input for a number of steps,
 * built the same way for the host and for the Cortex-M4 so that both run the
 * same instructions' worth of work on the same input. No file I/O, no libm:
 * it must fit a bare-metal board. Prints the output and input spike counts,
 * which must agree between the two builds.
 *
 *   cc -O2 -I runtime/embedded net.c cortex-m-cuba_main.c   (host)
 *   arm-none-eabi-gcc ... net.c cortex-m-cuba_main.c startup.c (board)
 *
 * NET_N (neurons), NET_WARMUP, NET_STEPS and NET_INPUTS are set with -D.
 * Prints also the SysTick ticks spent in the measured steps (0 on the host).
 */
#include <stdint.h>
#include <stdio.h>

#ifndef NET_INPUTS
#define NET_INPUTS 800
#endif
#ifndef NET_N
#define NET_N 1000
#endif
#ifndef NET_STEPS
#define NET_STEPS 100
#endif
/* Steps run before the measured ones: the network starts silent and needs
 * a few hundred steps (tau = 200 steps) to reach its steady firing rate. */
#ifndef NET_WARMUP
#define NET_WARMUP 0
#endif
/* Spike probability per input and step: 10 Hz at dt = 0.1 ms, as bench/cuba. */
#define SPIKE_THRESHOLD (UINT32_MAX / 1000u)

void cuba_reset(void);
void cuba_step(int8_t *input, int8_t *output);

static uint32_t state = 2463534242u;
static uint32_t next(void) { /* xorshift32 */
  state ^= state << 13;
  state ^= state >> 17;
  state ^= state << 5;
  return state;
}

#if defined(__arm__) && !defined(__linux__)
/* newlib's semihosting needs its handles before the first printf; the
 * board's start-up (runtime/embedded/cortex-m/startup.c) does not call it. */
extern void initialise_monitor_handles(void);
#define INIT_IO() initialise_monitor_handles()
/* SysTick (ARMv7-M system timer) on the processor clock, counting down over
 * 24 bits. Under qemu-system-arm -icount shift=0 every instruction is one
 * nanosecond of virtual time, so its ticks are instructions times a fixed
 * factor (bench/cortex-m-cuba.sh calibrates it against an exact count). */
#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)
#define TIMER_START() (SYST_RVR = 0xFFFFFFu, SYST_CVR = 0u, SYST_CSR = 5u)
#define TIMER_NOW() SYST_CVR
#define TIMER_SPAN(a, b) (((a) - (b)) & 0xFFFFFFu)
#else
#define INIT_IO() ((void)0)
#define TIMER_START() ((void)0)
#define TIMER_NOW() 0u
#define TIMER_SPAN(a, b) ((a) - (b))
#endif

static int8_t input[NET_INPUTS];
static int8_t output[NET_N];

int main(int argc, char **argv) {
  (void)argc;
  (void)argv;
  INIT_IO();
  long spikes = 0, in_spikes = 0;
  unsigned long long ticks = 0;
  cuba_reset();
  TIMER_START();
  for (long t = 0; t < NET_WARMUP + NET_STEPS; ++t) {
    for (int i = 0; i < NET_INPUTS; ++i) {
      input[i] = next() < SPIKE_THRESHOLD;
      in_spikes += input[i];
    }
    uint32_t before = TIMER_NOW();
    cuba_step(input, output);
    uint32_t after = TIMER_NOW();
    if (t >= NET_WARMUP)
      ticks += TIMER_SPAN(before, after);
    for (int j = 0; j < NET_N; ++j)
      spikes += output[j];
  }
  printf("spikes %ld inputs %ld\n", spikes, in_spikes);
  printf("ticks %llu\n", ticks);
  return 0;
}
