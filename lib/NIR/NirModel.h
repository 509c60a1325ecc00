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

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace snn::nir {

/// A numeric dataset: its shape (empty for a scalar) and values.
struct Array {
  std::vector<int64_t> shape;
  std::vector<double> values;
  std::string dtype; // as stored: "float32", "int64", ...

  bool isScalar() const { return shape.empty(); }
  int64_t size() const { return static_cast<int64_t>(values.size()); }
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

/// A problem found in a file, located as precisely as the file allows.
struct Problem {
  std::string nodePath; // "lif1.lin" for nested graphs; "" for the file
  std::string field;    // dataset name, "" when it is about the node
  std::string message;

  /// `node 'lif1.lin', field 'weight': message`.
  std::string describe() const;
};

/// What went wrong (errors) and what was repaired (warnings).
struct Diagnostics {
  std::vector<Problem> errors;
  std::vector<Problem> warnings;

  void error(std::string node, std::string field, std::string message) {
    errors.push_back({std::move(node), std::move(field), std::move(message)});
  }
  void warning(std::string node, std::string field, std::string message) {
    warnings.push_back({std::move(node), std::move(field), std::move(message)});
  }
};

/// The node types NIR defines, as written in `type` datasets.
const std::vector<std::string> &knownNodeTypes();

/// Reads the bytes of a NIR file. On failure returns nullopt and records at
/// least one error.
std::optional<Document> readDocument(const std::string &bytes,
                                     Diagnostics &diags);

/// readDocument in a child process that may take at most `timeoutSeconds`:
/// HDF5 itself can loop or crash on corrupt files, and neither may take the
/// caller down. Falls back to reading in process where fork is unavailable.
std::optional<Document> readDocumentIsolated(const std::string &bytes,
                                             Diagnostics &diags,
                                             unsigned timeoutSeconds = 30);

/// The general form: runs `reader` in the child. Tests pass readers that
/// hang or crash.
using DocumentReader = std::optional<Document> (*)(const std::string &,
                                                   Diagnostics &);
std::optional<Document> readInChild(const std::string &bytes,
                                    Diagnostics &diags, unsigned timeoutSeconds,
                                    DocumentReader reader);

/// Serializes a document in the layout NIR's Python package writes.
std::optional<std::string> writeDocument(const Document &doc,
                                         std::string &error);

} // namespace snn::nir

#endif // SNN_NIR_NIRMODEL_H
