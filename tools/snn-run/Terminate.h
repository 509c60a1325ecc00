//===- Terminate.h - uncaught exceptions as errors --------------*- C++ -*-===//

#ifndef SNN_RUN_TOOL_TERMINATE_H
#define SNN_RUN_TOOL_TERMINATE_H

/// Makes an exception that escapes (from the standard library: a stream, an
/// allocation) end snn-run with its message and exit status 1 instead of an
/// abort.
void installTerminateHandler();

#endif // SNN_RUN_TOOL_TERMINATE_H
