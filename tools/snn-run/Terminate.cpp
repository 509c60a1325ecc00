//===- Terminate.cpp - uncaught exceptions as errors ----------------------===//
//
// The rest of snn-run is built without exceptions, as LLVM is; this file is
// built with them so that it can name the exception that escaped.
//
//===----------------------------------------------------------------------===//

#include "Terminate.h"

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <new>

namespace {

[[noreturn]] void reportAndExit() {
  const char *what = "an unexpected exception";
  if (std::exception_ptr e = std::current_exception()) {
    try {
      std::rethrow_exception(e);
    } catch (const std::bad_alloc &) {
      what = "out of memory";
    } catch (const std::exception &x) {
      what = x.what();
    } catch (...) {
    }
  }
  std::fprintf(stderr, "snn-run: error: %s\n", what);
  std::fflush(stdout);
  std::_Exit(1);
}

} // namespace

void installTerminateHandler() { std::set_terminate(reportAndExit); }
