//===- ChildProcess.h - run a reader in a child process with a deadline ---===//
//
// Third-party readers (HDF5) loop or crash on some corrupt files. Tools must
// never hang or crash on bad input, so such readers run in a forked child
// with a deadline; the parent turns a timeout or a signal into an error.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_SUPPORT_CHILDPROCESS_H
#define SNN_SUPPORT_CHILDPROCESS_H

#include <cstdint>
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
  unsigned timeoutSeconds = 0;
  uint64_t memoryLimit = 0; // bytes the child could take beyond its parent's
};

/// Runs `work` in a forked child with the default crash handlers and no core
/// file, so that a crash inside it ends the child by its signal (not through
/// the tool's or a sanitizer's handlers). `work` gets the write end of a
/// pipe, whose bytes come back in ChildRun::output, and returns the child's
/// exit status. The child is killed after `timeoutSeconds`; its address
/// space may grow by `memoryBytes` beyond the parent's (0: no limit; none
/// either under a sanitizer, whose shadow memory the limit would refuse).
ChildRun runInChild(const std::function<int(int fd)> &work,
                    unsigned timeoutSeconds, uint64_t memoryBytes = 0);

/// The memory a file reader's child may take for a file of `fileBytes`:
/// 512 MiB and 8 bytes per byte of the file (HDF5 asks for what a corrupt
/// file claims, and fills it).
uint64_t readerMemoryLimit(uint64_t fileBytes);

/// Why a file reader's child did not answer: "HDF5 did not finish reading
/// the file within 30 s; the file is corrupt", "HDF5 crashed reading the
/// file (Segmentation fault); ...", "reading the file needed more memory
/// than the reader's limit of 512 MiB; ..."; empty when it exited.
std::string readerFailure(const ChildRun &run);

/// Writes all of `data` to `fd`; false on an error.
bool writeAll(int fd, const std::string &data);

} // namespace snn::support

#endif // SNN_SUPPORT_CHILDPROCESS_H
