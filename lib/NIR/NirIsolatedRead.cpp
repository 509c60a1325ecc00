//===- NirIsolatedRead.cpp - read untrusted NIR files in a child process --===//
//
// HDF5 is a large C library whose readers are known to loop or crash on some
// corrupt files (a damaged global heap sends HDF5 1.10's vlen-string reader
// into an endless loop). Tools must never hang or crash on bad input, so the
// file is parsed in a forked child with a deadline; the parent receives the
// parsed document over a pipe and turns a timeout or a signal into an error.
//
//===----------------------------------------------------------------------===//

#include "NIR/NirModel.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <poll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace snn::nir {

namespace {

/// Length-prefixed binary encoding of the model, for the pipe only.
class Writer {
public:
  void u64(uint64_t v) { raw(&v, sizeof(v)); }
  void f64(double v) { raw(&v, sizeof(v)); }
  void str(const std::string &s) {
    u64(s.size());
    raw(s.data(), s.size());
  }
  void problems(const std::vector<Problem> &list) {
    u64(list.size());
    for (const Problem &p : list) {
      str(p.nodePath);
      str(p.field);
      str(p.message);
    }
  }
  void graph(const Graph &g) {
    u64(g.nodes.size());
    for (const Node &n : g.nodes) {
      str(n.name);
      str(n.type);
      u64(n.arrays.size());
      for (const auto &[field, a] : n.arrays) {
        str(field);
        str(a.dtype);
        u64(a.shape.size());
        for (int64_t d : a.shape)
          u64(static_cast<uint64_t>(d));
        u64(a.values.size());
        raw(a.values.data(), a.values.size() * sizeof(double));
      }
      u64(n.strings.size());
      for (const auto &[field, value] : n.strings) {
        str(field);
        str(value);
      }
      u64(n.graph ? 1 : 0);
      if (n.graph)
        graph(*n.graph);
    }
    u64(g.edges.size());
    for (const auto &[from, to] : g.edges) {
      str(from);
      str(to);
    }
  }
  std::string bytes;

private:
  void raw(const void *p, size_t n) {
    bytes.append(static_cast<const char *>(p), n);
  }
};

class Reader {
public:
  explicit Reader(const std::string &bytes) : bytes(bytes) {}
  bool u64(uint64_t &v) { return raw(&v, sizeof(v)); }
  bool str(std::string &s) {
    uint64_t n;
    if (!u64(n) || n > bytes.size() - pos)
      return false;
    s.assign(bytes, pos, n);
    pos += n;
    return true;
  }
  bool problems(std::vector<Problem> &list) {
    uint64_t n;
    if (!u64(n))
      return false;
    for (uint64_t i = 0; i < n; ++i) {
      Problem p;
      if (!str(p.nodePath) || !str(p.field) || !str(p.message))
        return false;
      list.push_back(std::move(p));
    }
    return true;
  }
  bool graph(Graph &g, int depth = 0) {
    uint64_t nodes;
    if (depth > 128 || !u64(nodes))
      return false;
    for (uint64_t i = 0; i < nodes; ++i) {
      Node n;
      uint64_t arrays, strings, hasGraph;
      if (!str(n.name) || !str(n.type) || !u64(arrays))
        return false;
      for (uint64_t k = 0; k < arrays; ++k) {
        std::string field;
        Array a;
        uint64_t rank, count;
        if (!str(field) || !str(a.dtype) || !u64(rank) || rank > 64)
          return false;
        for (uint64_t d = 0; d < rank; ++d) {
          uint64_t dim;
          if (!u64(dim))
            return false;
          a.shape.push_back(static_cast<int64_t>(dim));
        }
        if (!u64(count) || count > (bytes.size() - pos) / sizeof(double))
          return false;
        a.values.resize(count);
        if (!raw(a.values.data(), count * sizeof(double)))
          return false;
        n.arrays[field] = std::move(a);
      }
      if (!u64(strings))
        return false;
      for (uint64_t k = 0; k < strings; ++k) {
        std::string field, value;
        if (!str(field) || !str(value))
          return false;
        n.strings[field] = value;
      }
      if (!u64(hasGraph))
        return false;
      if (hasGraph) {
        n.graph = std::make_unique<Graph>();
        if (!graph(*n.graph, depth + 1))
          return false;
      }
      g.nodes.push_back(std::move(n));
    }
    uint64_t edges;
    if (!u64(edges))
      return false;
    for (uint64_t i = 0; i < edges; ++i) {
      std::string from, to;
      if (!str(from) || !str(to))
        return false;
      g.edges.emplace_back(std::move(from), std::move(to));
    }
    return true;
  }

private:
  bool raw(void *p, size_t n) {
    if (n > bytes.size() - pos)
      return false;
    std::memcpy(p, bytes.data() + pos, n);
    pos += n;
    return true;
  }
  const std::string &bytes;
  size_t pos = 0;
};

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

} // namespace

std::optional<Document> readDocumentIsolated(const std::string &bytes,
                                             Diagnostics &diags,
                                             unsigned timeoutSeconds) {
  return readInChild(bytes, diags, timeoutSeconds, &readDocument);
}

std::optional<Document> readInChild(const std::string &bytes,
                                    Diagnostics &diags, unsigned timeoutSeconds,
                                    DocumentReader reader) {
  int fds[2];
  if (::pipe(fds) != 0)
    return reader(bytes, diags); // no pipe: read in process
  pid_t child = ::fork();
  if (child < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return reader(bytes, diags);
  }
  if (child == 0) {
    ::close(fds[0]);
    // A crash here is HDF5's: die by the signal, so the parent can name it,
    // without the tool's or a sanitizer's crash handlers and without a core.
    for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT})
      std::signal(sig, SIG_DFL);
    rlimit noCore{0, 0};
    ::setrlimit(RLIMIT_CORE, &noCore);
    Diagnostics childDiags;
    std::optional<Document> doc = reader(bytes, childDiags);
    Writer w;
    w.u64(doc ? 1 : 0);
    if (doc) {
      w.str(doc->version);
      w.graph(doc->graph);
    }
    w.problems(childDiags.errors);
    w.problems(childDiags.warnings);
    bool ok = writeAll(fds[1], w.bytes);
    ::_exit(ok ? 0 : 1);
  }

  ::close(fds[1]);
  std::string received;
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::seconds(timeoutSeconds);
  bool timedOut = false;
  char buffer[1 << 16];
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0) {
      timedOut = true;
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    int ready = ::poll(&p, 1, static_cast<int>(left));
    if (ready < 0 && errno == EINTR)
      continue;
    if (ready <= 0)
      continue; // deadline is checked at the top
    ssize_t n = ::read(fds[0], buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    received.append(buffer, static_cast<size_t>(n));
  }
  ::close(fds[0]);
  if (timedOut)
    ::kill(child, SIGKILL);
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }

  if (timedOut) {
    diags.error("", "", "HDF5 did not finish reading the file within " +
                            std::to_string(timeoutSeconds) +
                            " s; the file is corrupt");
    return std::nullopt;
  }
  if (WIFSIGNALED(status)) {
    diags.error("", "", std::string("HDF5 crashed reading the file (") +
                            strsignal(WTERMSIG(status)) +
                            "); the file is corrupt");
    return std::nullopt;
  }
  Reader r(received);
  uint64_t ok = 0;
  Document doc;
  bool decoded = r.u64(ok) && (!ok || (r.str(doc.version) && r.graph(doc.graph))) &&
                 r.problems(diags.errors) && r.problems(diags.warnings);
  if (!decoded || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    diags.error("", "", "the file reader stopped without an answer");
    return std::nullopt;
  }
  if (!ok)
    return std::nullopt;
  return doc;
}

} // namespace snn::nir
