//===- ChildProcess.cpp - run a reader in a child process with a deadline -===//

#include "Support/ChildProcess.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <new>
#include <csignal>
#include <poll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

/// Set by sanitizer runtimes (and libFuzzer) when they are linked in.
extern "C" void __sanitizer_set_death_callback(void (*callback)(void))
    __attribute__((weak));

namespace snn::support {

namespace {

/// The exit status of a child whose C++ allocation failed at its limit.
constexpr int kOutOfMemoryExit = 86;

/// Lets this process's address space grow by `bytes` beyond its size now
/// (which it inherited from the parent). A reader that asks for more gets
/// null from malloc: HDF5 then fails or crashes, which the parent reports.
void limitAddressSpace(uint64_t bytes) {
  std::ifstream statm("/proc/self/statm");
  uint64_t pages = 0;
  if (!(statm >> pages))
    return;
  uint64_t now = pages * uint64_t(::sysconf(_SC_PAGESIZE));
  rlimit limit{};
  limit.rlim_cur = limit.rlim_max = rlim_t(now + bytes);
  ::setrlimit(RLIMIT_AS, &limit);
}

/// The child's side: a crash is the reader's, so it must end the child by
/// its signal, without a core and without a fuzzer's death callback (which
/// would record it as the caller's crash).
[[noreturn]] void runChild(const std::function<int(int)> &work, int fd,
                           uint64_t memoryBytes) {
  for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT})
    std::signal(sig, SIG_DFL);
  rlimit noCore{0, 0};
  ::setrlimit(RLIMIT_CORE, &noCore);
  if (__sanitizer_set_death_callback)
    __sanitizer_set_death_callback(nullptr);
  else if (memoryBytes) {
    limitAddressSpace(memoryBytes);
    std::set_new_handler([] { ::_exit(kOutOfMemoryExit); });
  }
  ::_exit(work(fd));
}

/// Reads `fd` until it closes (the child ended, however it ended) or the
/// deadline passes; true when the deadline passed.
bool readUntilClosed(int fd, unsigned timeoutSeconds, std::string &out) {
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::seconds(timeoutSeconds);
  char buffer[1 << 16];
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0)
      return true;
    pollfd p{fd, POLLIN, 0};
    int ready = ::poll(&p, 1, static_cast<int>(left));
    if (ready <= 0)
      continue; // interrupted or timed out: the deadline is checked above
    ssize_t n = ::read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    out.append(buffer, static_cast<size_t>(n));
  }
}

} // namespace

ChildRun runInChild(const std::function<int(int fd)> &work,
                    unsigned timeoutSeconds, uint64_t memoryBytes) {
  ChildRun run;
  run.timeoutSeconds = timeoutSeconds;
  run.memoryLimit = __sanitizer_set_death_callback ? 0 : memoryBytes;
  int fds[2];
  if (::pipe(fds) != 0)
    return run;
  pid_t child = ::fork();
  if (child < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return run;
  }
  if (child == 0) {
    ::close(fds[0]);
    runChild(work, fds[1], memoryBytes);
  }
  run.started = true;
  ::close(fds[1]);
  run.timedOut = readUntilClosed(fds[0], timeoutSeconds, run.output);
  ::close(fds[0]);
  if (run.timedOut)
    ::kill(child, SIGKILL);
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(status))
    run.signal = WTERMSIG(status);
  else if (WIFEXITED(status))
    run.exitCode = WEXITSTATUS(status);
  return run;
}

uint64_t readerMemoryLimit(uint64_t fileBytes) {
  return (uint64_t(1) << 29) + 8 * fileBytes;
}

std::string readerFailure(const ChildRun &run) {
  if (run.timedOut)
    return "HDF5 did not finish reading the file within " +
           std::to_string(run.timeoutSeconds) + " s; the file is corrupt";
  if (run.memoryLimit && !run.signal && run.exitCode == kOutOfMemoryExit)
    return "reading the file needed more memory than the reader's limit of " +
           std::to_string(run.memoryLimit >> 20) + " MiB; the file is corrupt";
  if (!run.signal)
    return "";
  return std::string("HDF5 crashed reading the file (") +
         strsignal(run.signal) + "); the file is corrupt";
}

bool writeAll(int fd, const std::string &data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

} // namespace snn::support
