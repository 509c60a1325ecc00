//===- NirModel.h - a NIR file as read, before any meaning -----*- C++ -*-===//
//
// The graph exactly as a NIR file stores it: nodes with their type and raw
// parameter arrays, nested graphs, and edges as the two name strings. The
// reader checks only the file's layout; what the nodes mean, and the quirks
// of the exporters, are the importer's business (NirImport.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef SNN_NIR_NIRMODEL_H
#define SNN_NIR_NIRMODEL_H

#include "NIR/NirDiagnostics.h"

#include "mlir/Support/LogicalResult.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace snn::nir {

/// Where a large dataset is, until its values are read.
struct DeferredRead {
  int64_t elements = 0;
  std::string hdf5Path; // "/node/nodes/fc/weight"
};

/// A numeric dataset: its shape (empty for a scalar) and values.
///
/// Large datasets are read in two steps: first their header (shape, type),
/// and only after the importer has checked that the shapes chain, their
/// values (loadDeferred). Until then `values` is empty and `deferred` holds
/// the element count and where the dataset is.
struct Array {
  using Deferred = DeferredRead;
  std::vector<int64_t> shape;
  std::vector<double> values;
  std::string dtype; // as stored: "float32", "int64", ...
  std::optional<Deferred> deferred;

  bool isScalar() const { return shape.empty(); }
  bool loaded() const { return !deferred; }
  int64_t size() const {
    return deferred ? deferred->elements : static_cast<int64_t>(values.size());
  }
};

struct Graph;

struct Node {
  std::string name;
  std::string type;
  std::map<std::string, Array> arrays;
  std::map<std::string, std::string> strings; // e.g. Conv padding "same"
  std::unique_ptr<Graph> graph;               // for NIRGraph nodes

  const Array *array(const std::string &field) const {
    auto it = arrays.find(field);
    return it == arrays.end() ? nullptr : &it->second;
  }
};

struct Graph {
  std::vector<Node> nodes; // in the file's (alphabetical) order
  std::vector<std::pair<std::string, std::string>> edges;

  const Node *find(const std::string &name) const {
    for (const Node &n : nodes)
      if (n.name == name)
        return &n;
    return nullptr;
  }
};

struct Document {
  std::string version; // the /version string, "" when absent
  Graph graph;
};

/// Limits on what a file may ask the reader to hold (docs/nir.md): one
/// field at most 2^28 elements, the values of all fields together at most
/// 2^28 elements (2 GiB as double). Datasets of up to kEagerElements
/// elements are read with the structure; larger ones are deferred.
constexpr int64_t kMaxFieldElements = int64_t(1) << 28;
constexpr int64_t kMaxTotalElements = int64_t(1) << 28;
constexpr int64_t kEagerElements = 64;

/// The node types NIR defines, as written in `type` datasets.
const std::vector<std::string> &knownNodeTypes();

/// Reads the structure of a NIR file: graphs, nodes, types, edges, strings
/// and small datasets; large datasets are described, not read (see Array).
/// Problems are reported through `reporter`; failure means at least one
/// error was.
mlir::FailureOr<Document> readDocument(llvm::StringRef bytes,
                                       Reporter &reporter);

/// Reads the values of every deferred dataset of `doc` from `bytes`, after
/// checking that together they stay within kMaxTotalElements.
mlir::LogicalResult loadDeferred(llvm::StringRef bytes, Document &doc,
                                 Reporter &reporter);

/// readDocument and loadDeferred in a child process that may take at most
/// `timeoutSeconds`: HDF5 itself can loop or crash on corrupt files, and
/// neither may take the caller down. Fall back to reading in process where
/// fork is unavailable.
mlir::FailureOr<Document> readDocumentIsolated(llvm::StringRef bytes,
                                               Reporter &reporter,
                                               unsigned timeoutSeconds = 30);
mlir::LogicalResult loadDeferredIsolated(llvm::StringRef bytes, Document &doc,
                                         Reporter &reporter,
                                         unsigned timeoutSeconds = 30);

/// The general form: runs `reader` on `doc` in the child (it starts as the
/// parent's `doc`), and replaces `doc` by the child's. Tests pass readers
/// that hang or crash.
using DocumentReader = mlir::LogicalResult (*)(llvm::StringRef bytes,
                                               Document &doc,
                                               Reporter &reporter);
mlir::LogicalResult readInChild(llvm::StringRef bytes, Document &doc,
                                Reporter &reporter, unsigned timeoutSeconds,
                                DocumentReader reader);

/// Serializes a document in the layout NIR's Python package writes.
llvm::Expected<std::string> writeDocument(const Document &doc);

} // namespace snn::nir

#endif // SNN_NIR_NIRMODEL_H
