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
#include "Support/ChildProcess.h"

#include "mlir/IR/Diagnostics.h"

#include <cstring>


namespace snn::nir {

using mlir::Diagnostic;
using mlir::DiagnosticSeverity;
using mlir::failure;
using mlir::FailureOr;
using mlir::LogicalResult;
using mlir::ScopedDiagnosticHandler;
using mlir::success;

namespace {

/// A diagnostic as the child reports it to the parent.
struct Problem {
  uint64_t severity;
  std::string path, message;
};

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
      u64(p.severity);
      str(p.path);
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
        u64(a.deferred ? 1 : 0);
        if (a.deferred) {
          u64(static_cast<uint64_t>(a.deferred->elements));
          str(a.deferred->hdf5Path);
        }
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
    if (n != 0) // p may be the null data() of an empty vector
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
      if (!u64(p.severity) || !str(p.path) || !str(p.message))
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
        uint64_t deferred;
        if (!raw(a.values.data(), count * sizeof(double)) || !u64(deferred))
          return false;
        if (deferred) {
          uint64_t elements;
          a.deferred.emplace();
          if (!u64(elements) || !str(a.deferred->hdf5Path))
            return false;
          a.deferred->elements = static_cast<int64_t>(elements);
        }
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
    if (n == 0) // p may be the null data() of an empty vector
      return true;
    std::memcpy(p, bytes.data() + pos, n);
    pos += n;
    return true;
  }
  const std::string &bytes;
  size_t pos = 0;
};

LogicalResult readStructure(llvm::StringRef bytes, Document &doc,
                            Reporter &reporter) {
  FailureOr<Document> read = readDocument(bytes, reporter);
  if (failed(read))
    return failure();
  doc = std::move(*read);
  return success();
}

/// Whether two graphs have the same nodes and fields (the child only read
/// values into the structure it was given).
bool sameStructure(const Graph &a, const Graph &b) {
  if (a.nodes.size() != b.nodes.size())
    return false;
  for (size_t n = 0; n < a.nodes.size(); ++n) {
    const Node &x = a.nodes[n], &y = b.nodes[n];
    if (x.name != y.name || bool(x.graph) != bool(y.graph) ||
        x.arrays.size() != y.arrays.size() ||
        (x.graph && !sameStructure(*x.graph, *y.graph)))
      return false;
    for (auto i = x.arrays.begin(), j = y.arrays.begin(); i != x.arrays.end();
         ++i, ++j)
      if (i->first != j->first)
        return false;
  }
  return true;
}

/// Moves the arrays' values of `from` into `into` in place, so that
/// pointers to the nodes of `into` (the flat graph's) stay valid.
void adoptValues(Graph &into, Graph &from) {
  for (size_t n = 0; n < into.nodes.size(); ++n) {
    Node &x = into.nodes[n], &y = from.nodes[n];
    if (x.graph)
      adoptValues(*x.graph, *y.graph);
    for (auto i = x.arrays.begin(), j = y.arrays.begin(); i != x.arrays.end();
         ++i, ++j) {
      i->second.values = std::move(j->second.values);
      i->second.deferred = std::move(j->second.deferred);
    }
  }
}

/// Re-emits what the child reported, at the same nodes.
void replay(const std::vector<Problem> &problems, Reporter &reporter) {
  for (const Problem &p : problems)
    reporter.emit(static_cast<DiagnosticSeverity>(p.severity), p.path,
                  p.message);
}

} // namespace

FailureOr<Document> readDocumentIsolated(llvm::StringRef bytes,
                                         Reporter &reporter,
                                         unsigned timeoutSeconds) {
  Document doc;
  if (failed(readInChild(bytes, doc, reporter, timeoutSeconds, &readStructure)))
    return failure();
  return doc;
}

LogicalResult loadDeferredIsolated(llvm::StringRef bytes, Document &doc,
                                   Reporter &reporter,
                                   unsigned timeoutSeconds) {
  return readInChild(bytes, doc, reporter, timeoutSeconds, &loadDeferred);
}

LogicalResult readInChild(llvm::StringRef bytes, Document &doc,
                          Reporter &reporter, unsigned timeoutSeconds,
                          DocumentReader reader) {
  support::ChildRun run = support::runInChild(
      [&](int fd) {
        std::vector<Problem> problems;
        LogicalResult result = failure();
        {
          ScopedDiagnosticHandler capture(
              reporter.getContext(), [&](Diagnostic &d) {
                problems.push_back({static_cast<uint64_t>(d.getSeverity()),
                                    Reporter::pathOf(d.getLocation()),
                                    d.str()});
                return success();
              });
          result = reader(bytes, doc, reporter);
        }
        Writer w;
        w.u64(succeeded(result) ? 1 : 0);
        if (succeeded(result)) {
          w.str(doc.version);
          w.graph(doc.graph);
        }
        w.problems(problems);
        return support::writeAll(fd, w.bytes) ? 0 : 1;
      },
      timeoutSeconds, support::readerMemoryLimit(bytes.size()));
  if (!run.started)
    return reader(bytes, doc, reporter); // no pipe or fork: read in process
  if (std::string failed = support::readerFailure(run); !failed.empty()) {
    reporter.error("", "") << failed;
    return failure();
  }
  Reader r(run.output);
  uint64_t ok = 0;
  Document answer;
  std::vector<Problem> problems;
  bool decoded = r.u64(ok) &&
                 (!ok || (r.str(answer.version) && r.graph(answer.graph))) &&
                 r.problems(problems);
  if (!decoded || run.exitCode != 0) {
    reporter.error("", "") << "the file reader stopped without an answer";
    return failure();
  }
  replay(problems, reporter);
  if (!ok)
    return failure();
  if (!doc.graph.nodes.empty() && sameStructure(doc.graph, answer.graph))
    adoptValues(doc.graph, answer.graph);
  else
    doc = std::move(answer);
  return success();
}

} // namespace snn::nir
