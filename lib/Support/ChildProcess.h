//===- ChildProcess.h - run a reader in a child process with a deadline ---===//
//
// Third-party readers (HDF5) loop or crash on some corrupt files. Tools must
// never hang or crash on bad input, so such readers run in a forked child
// with a deadline; the parent turns a timeout or a signal into an error.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_SUPPORT_CHILDPROCESS_H
#define SNN_SUPPORT_CHILDPROCESS_H

#include <functional>
#include <string>

namespace snn::support {

/// How a function run by runInChild ended.
struct ChildRun {
  bool started = false;  // false: no pipe or fork here; run in process
  bool timedOut = false; // killed at the deadline
  int signal = 0;        // the signal that ended the child, or 0
  int exitCode = -1;     // the child's exit status when it exited
  std::string output;    // what the child wrote to its descriptor
};

/// Runs `work` in a forked child with the default crash handlers and no core
/// file, so that a crash inside it ends the child by its signal (not through
/// the tool's or a sanitizer's handlers). `work` gets the write end of a
/// pipe, whose bytes come back in ChildRun::output, and returns the child's
/// exit status. The child is killed after `timeoutSeconds`.
ChildRun runInChild(const std::function<int(int fd)> &work,
                    unsigned timeoutSeconds);

/// Writes all of `data` to `fd`; false on an error.
bool writeAll(int fd, const std::string &data);

} // namespace snn::support

#endif // SNN_SUPPORT_CHILDPROCESS_H
