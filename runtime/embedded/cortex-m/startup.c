/*===- startup.c - reset and vectors for Cortex-M under semihosting ---*- C -*-===*
 *
 * The smallest start-up the harness needs on an M-profile core: the vector
 * table (initial stack, reset), .data copied from flash, .bss zeroed, then
 * main(); its return value ends the run through semihosting's exit.
 *
 *===----------------------------------------------------------------------===*/

#include <stdint.h>

extern uint32_t _stack_top, _etext, _sdata, _edata, _sbss, _ebss;
extern int main(int argc, char **argv);
extern void exit(int status);

void Reset_Handler(void);
void Fault_Handler(void);

void Reset_Handler(void) {
  uint32_t *src = &_etext, *dst = &_sdata;
  while (dst < &_edata)
    *dst++ = *src++;
  for (dst = &_sbss; dst < &_ebss;)
    *dst++ = 0;
  exit(main(0, 0));
}

void Fault_Handler(void) {
  for (;;) {
  }
}

/* newlib's exit runs these; there are no constructors to call. */
void _init(void) {}
void _fini(void) {}

__attribute__((section(".vectors"), used)) static void *const vectors[16] = {
    &_stack_top,          (void *)Reset_Handler, (void *)Fault_Handler,
    (void *)Fault_Handler, (void *)Fault_Handler, (void *)Fault_Handler,
    (void *)Fault_Handler, 0, 0, 0, 0, (void *)Fault_Handler,
    (void *)Fault_Handler, 0, (void *)Fault_Handler, (void *)Fault_Handler};
