//===- NirFile.cpp - NIR files to the raw NIR model and back --------------===//

#include "NIR/Hdf5.h"
#include "NIR/NirModel.h"

#include <algorithm>
#include <iterator>
#include <tuple>

namespace snn::nir {

const std::vector<std::string> &knownNodeTypes() {
  static const std::vector<std::string> types = {
      "Input",  "Output",   "Affine",  "Linear",    "Scale",
      "Conv1d", "Conv2d",   "SumPool2d", "AvgPool2d", "Flatten",
      "Delay",  "Threshold", "I",      "LI",        "IF",
      "LIF",    "CubaLI",   "CubaLIF", "NIRGraph"};
  return types;
}

namespace {

/// Deeper nesting than this is a loop or an attack, not a network.
constexpr size_t kMaxDepth = 64;

/// Nested graphs are joined by '/', which no HDF5 link name contains, so a
/// flat node named "lif1.lin" stays distinct from "lif1/lin" in a nested
/// graph "lif1".
std::string join(const std::string &path, const std::string &name) {
  return path.empty() ? name : path + "/" + name;
}

std::string shapeText(const std::vector<int64_t> &shape) {
  std::string text;
  for (int64_t d : shape)
    text += (text.empty() ? "" : "x") + std::to_string(d);
  return text;
}

/// Fields that give shapes or windows: always read with the structure, since
/// shapes are checked before any large dataset is read.
bool isStructural(const std::string &field) {
  static const char *const names[] = {
      "shape",     "input_shape", "input_type", "groups", "stride",
      "padding",   "dilation",    "kernel_size", "start_dim", "end_dim"};
  return std::find(std::begin(names), std::end(names), field) !=
         std::end(names);
}

class Reader {
public:
  explicit Reader(Reporter &reporter) : reporter(reporter) {}

  /// `hdf5Path` is the group's path in the file, for reading deferred
  /// datasets later.
  bool readGraph(hdf5::Id group, const std::string &path,
                 const std::string &hdf5Path, Graph &graph) {
    auto identity = hdf5::objectIdentity(group);
    if (identity) {
      if (std::find(ancestry.begin(), ancestry.end(), *identity) !=
          ancestry.end()) {
        reporter.error(path, "") << "nesting loop: this graph contains itself";
        return false;
      }
    }
    if (ancestry.size() >= kMaxDepth) {
      reporter.error(path, "")
          << "graphs nested more than " << kMaxDepth << " deep";
      return false;
    }
    if (identity)
      ancestry.push_back(*identity);
    bool ok = readEdges(group, path, graph) &&
              readNodes(group, path, hdf5Path, graph);
    if (identity)
      ancestry.pop_back();
    return ok;
  }

private:
  bool fail(const std::string &path, const std::string &field,
            llvm::Error error) {
    reporter.error(path, field) << llvm::toString(std::move(error));
    return false;
  }

  bool readEdges(hdf5::Id group, const std::string &path, Graph &graph) {
    switch (hdf5::kindOf(group, "edges")) {
    case hdf5::ObjectKind::Missing:
      reporter.error(path, "edges") << "is missing";
      return false;
    case hdf5::ObjectKind::Dataset:
      break;
    default:
      reporter.error(path, "edges") << "is not a dataset";
      return false;
    }
    auto info = hdf5::describe(group, "edges", kMaxFieldElements);
    if (!info)
      return fail(path, "edges", info.takeError());
    if (info->numElements == 0)
      return true;
    if (info->kind != hdf5::ElementKind::String) {
      reporter.error(path, "edges")
          << "is a " << info->typeName << " dataset, not pairs of names";
      return false;
    }
    if (info->shape.size() != 2 || info->shape[1] != 2) {
      reporter.error(path, "edges")
          << "has shape " << shapeText(info->shape)
          << " but edges are (E, 2) pairs of names";
      return false;
    }
    auto names = hdf5::readStrings(group, "edges");
    if (!names)
      return fail(path, "edges", names.takeError());
    for (size_t i = 0; i + 1 < names->size(); i += 2)
      graph.edges.emplace_back((*names)[i], (*names)[i + 1]);
    return true;
  }

  bool readNodes(hdf5::Id group, const std::string &path,
                 const std::string &hdf5Path, Graph &graph) {
    if (hdf5::kindOf(group, "nodes") != hdf5::ObjectKind::Group) {
      reporter.error(path, "nodes") << "is missing or not a group";
      return false;
    }
    hdf5::Handle nodes = hdf5::openGroup(group, "nodes");
    if (!nodes.valid()) {
      reporter.error(path, "nodes") << "cannot be opened";
      return false;
    }
    auto names = hdf5::listMembers(nodes.get());
    if (!names)
      return fail(path, "nodes", names.takeError());
    bool ok = true;
    for (const std::string &name : *names) {
      std::string nodePath = join(path, name);
      if (hdf5::kindOf(nodes.get(), name) != hdf5::ObjectKind::Group) {
        reporter.error(nodePath, "") << "is a dataset, not a node group";
        ok = false;
        continue;
      }
      hdf5::Handle nodeGroup = hdf5::openGroup(nodes.get(), name);
      Node node;
      node.name = name;
      if (nodeGroup.valid() &&
          readNode(nodeGroup.get(), nodePath,
                   hdf5Path + "/nodes/" + name, node))
        graph.nodes.push_back(std::move(node));
      else
        ok = false;
    }
    return ok;
  }

  bool readType(hdf5::Id group, const std::string &path, std::string &type) {
    if (hdf5::kindOf(group, "type") != hdf5::ObjectKind::Dataset) {
      reporter.error(path, "type") << "is missing";
      return false;
    }
    auto info = hdf5::describe(group, "type", kMaxFieldElements);
    if (!info)
      return fail(path, "type", info.takeError());
    if (info->kind != hdf5::ElementKind::String) {
      reporter.error(path, "type")
          << "is a " << info->typeName << " dataset, not a string";
      return false;
    }
    if (info->numElements != 1) {
      reporter.error(path, "type")
          << "holds " << info->numElements << " strings instead of one";
      return false;
    }
    auto values = hdf5::readStrings(group, "type");
    if (!values)
      return fail(path, "type", values.takeError());
    if (values->size() != 1) {
      reporter.error(path, "type")
          << "holds " << values->size() << " strings instead of one";
      return false;
    }
    type = values->front();
    const auto &known = knownNodeTypes();
    if (std::find(known.begin(), known.end(), type) == known.end()) {
      std::string list;
      for (const std::string &k : known)
        list += (list.empty() ? "" : ", ") + k;
      reporter.error(path, "type")
          << "unknown node type '" << type << "' (NIR has " << list << ")";
      return false;
    }
    return true;
  }

  bool readField(hdf5::Id group, const std::string &path,
                 const std::string &field, const std::string &hdf5Path,
                 Node &node) {
    auto info = hdf5::describe(group, field, kMaxFieldElements);
    if (!info)
      return fail(path, field, info.takeError());
    if (info->kind == hdf5::ElementKind::String) {
      if (info->numElements > kEagerElements) {
        reporter.error(path, field)
            << "holds " << info->numElements
            << " strings; a NIR string field holds one";
        return false;
      }
      auto values = hdf5::readStrings(group, field);
      if (!values)
        return fail(path, field, values.takeError());
      if (values->size() == 1)
        node.strings[field] = values->front();
      return true;
    }
    if (info->kind == hdf5::ElementKind::Other) {
      reporter.error(path, field)
          << "is a " << info->typeName << " dataset, not numbers";
      return false;
    }
    Array array;
    array.shape = info->shape;
    array.dtype = info->typeName;
    if (info->numElements > kEagerElements) {
      if (isStructural(field)) {
        reporter.error(path, field)
            << "has " << info->numElements << " values; a shape or window "
            << "field has at most " << kEagerElements;
        return false;
      }
      array.deferred = Array::Deferred{info->numElements, hdf5Path};
      node.arrays[field] = std::move(array);
      return true;
    }
    auto values = hdf5::readDoubles(group, field);
    if (!values)
      return fail(path, field, values.takeError());
    array.values = std::move(*values);
    node.arrays[field] = std::move(array);
    return true;
  }

  bool readNode(hdf5::Id group, const std::string &path,
                const std::string &hdf5Path, Node &node) {
    if (!readType(group, path, node.type))
      return false;
    if (node.type == "NIRGraph") {
      node.graph = std::make_unique<Graph>();
      return readGraph(group, path, hdf5Path, *node.graph);
    }
    auto members = hdf5::listMembers(group);
    if (!members)
      return fail(path, "", members.takeError());
    bool ok = true;
    for (const std::string &field : *members) {
      if (field == "type" ||
          hdf5::kindOf(group, field) != hdf5::ObjectKind::Dataset)
        continue; // metadata groups and the like carry no semantics
      ok &= readField(group, path, field, hdf5Path + "/" + field, node);
    }
    return ok;
  }

  Reporter &reporter;
  std::vector<std::pair<unsigned long, uint64_t>> ancestry;
};

/// Every deferred array of a graph, nested graphs included, in a fixed
/// order (the order the child process sends them back in).
void collectDeferred(Graph &graph, std::vector<std::pair<std::string, Array *>> &out,
                     const std::string &path) {
  for (Node &node : graph.nodes) {
    std::string nodePath = join(path, node.name);
    if (node.graph)
      collectDeferred(*node.graph, out, nodePath);
    for (auto &[field, array] : node.arrays)
      if (array.deferred)
        out.emplace_back(nodePath + "\n" + field, &array);
  }
}

} // namespace

mlir::FailureOr<Document> readDocument(llvm::StringRef bytes,
                                       Reporter &reporter) {
  llvm::Expected<hdf5::File> file = hdf5::File::openImage(bytes);
  if (!file) {
    reporter.error("", "") << llvm::toString(file.takeError());
    return mlir::failure();
  }
  Document doc;
  hdf5::Id root = file->root();
  if (hdf5::kindOf(root, "version") == hdf5::ObjectKind::Dataset) {
    auto version = hdf5::readStrings(root, "version");
    if (version && version->size() == 1) {
      doc.version = version->front();
    } else {
      if (!version)
        llvm::consumeError(version.takeError());
      reporter.warning("", "version") << "is not a string; ignored";
    }
  } else {
    reporter.warning("", "version") << "is missing";
  }
  if (hdf5::kindOf(root, "node") != hdf5::ObjectKind::Group) {
    reporter.error("", "node") << "is missing: not a NIR file (no /node group)";
    return mlir::failure();
  }
  hdf5::Handle top = hdf5::openGroup(root, "node");
  bool isGraph = false;
  if (hdf5::kindOf(top.get(), "type") == hdf5::ObjectKind::Dataset) {
    auto info = hdf5::describe(top.get(), "type", kEagerElements);
    if (!info) {
      llvm::consumeError(info.takeError());
    } else if (info->kind == hdf5::ElementKind::String &&
               info->numElements == 1) {
      auto types = hdf5::readStrings(top.get(), "type");
      if (types)
        isGraph = types->size() == 1 && types->front() == "NIRGraph";
      else
        llvm::consumeError(types.takeError());
    }
  }
  if (!isGraph) {
    reporter.error("", "node/type") << "the top node must be a NIRGraph";
    return mlir::failure();
  }
  Reader reader(reporter);
  if (!reader.readGraph(top.get(), "", "/node", doc.graph))
    return mlir::failure();
  return doc;
}

mlir::LogicalResult loadDeferred(llvm::StringRef bytes, Document &doc,
                                 Reporter &reporter) {
  std::vector<std::pair<std::string, Array *>> deferred;
  collectDeferred(doc.graph, deferred, "");
  if (deferred.empty())
    return mlir::success();
  // Each count is at most kMaxFieldElements (checked on the header), so the
  // sum of fewer than 2^30 of them cannot overflow 64 bits.
  int64_t total = 0;
  for (const auto &[where, array] : deferred)
    total += array->deferred->elements;
  if (total > kMaxTotalElements) {
    reporter.error("", "") << "the file's datasets hold " << total
                           << " values together, more than the "
                           << kMaxTotalElements << " a NIR file may hold";
    return mlir::failure();
  }
  llvm::Expected<hdf5::File> file = hdf5::File::openImage(bytes);
  if (!file) {
    reporter.error("", "") << llvm::toString(file.takeError());
    return mlir::failure();
  }
  for (auto &[where, array] : deferred) {
    llvm::StringRef path, field;
    std::tie(path, field) = llvm::StringRef(where).split('\n');
    auto values = hdf5::readDoubles(file->root(), array->deferred->hdf5Path);
    if (!values) {
      reporter.error(path, field) << llvm::toString(values.takeError());
      return mlir::failure();
    }
    if (static_cast<int64_t>(values->size()) != array->deferred->elements) {
      reporter.error(path, field)
          << "holds " << values->size() << " values but its header said "
          << array->deferred->elements;
      return mlir::failure();
    }
    array->values = std::move(*values);
    array->deferred.reset();
  }
  return mlir::success();
}

namespace {
/// Prefixes a writer's error with the node it was writing.
llvm::Error at(const std::string &path, llvm::Error error) {
  if (!error)
    return error;
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 describeWhere(path, "") +
                                     llvm::toString(std::move(error)));
}

llvm::Error writeArray(hdf5::Id group, const std::string &field,
                       const Array &array) {
  if (array.dtype.rfind("int", 0) == 0 || array.dtype.rfind("uint", 0) == 0) {
    std::vector<int64_t> ints(array.values.begin(), array.values.end());
    return hdf5::writeInts(group, field, ints, array.shape);
  }
  return hdf5::writeDoubles(group, field, array.values, array.shape,
                            array.dtype == "float32");
}

llvm::Error writeGraph(hdf5::Id group, const Graph &graph,
                       const std::string &path) {
  if (llvm::Error e = hdf5::writeString(group, "type", "NIRGraph"))
    return at(path, std::move(e));
  std::vector<std::string> edgeNames;
  for (const auto &[from, to] : graph.edges) {
    edgeNames.push_back(from);
    edgeNames.push_back(to);
  }
  if (llvm::Error e = hdf5::writeStringTable(
          group, "edges", edgeNames,
          {static_cast<int64_t>(graph.edges.size()), 2}))
    return at(path, std::move(e));
  auto nodes = hdf5::createGroup(group, "nodes");
  if (!nodes)
    return at(path, nodes.takeError());
  for (const Node &node : graph.nodes) {
    std::string nodePath = join(path, node.name);
    auto g = hdf5::createGroup(nodes->get(), node.name);
    if (!g)
      return at(path, g.takeError());
    if (node.graph) {
      if (llvm::Error e = writeGraph(g->get(), *node.graph, nodePath))
        return e;
      continue;
    }
    if (llvm::Error e = hdf5::writeString(g->get(), "type", node.type))
      return at(nodePath, std::move(e));
    for (const auto &[field, value] : node.strings)
      if (llvm::Error e = hdf5::writeString(g->get(), field, value))
        return at(nodePath, std::move(e));
    for (const auto &[field, array] : node.arrays)
      if (llvm::Error e = writeArray(g->get(), field, array))
        return at(nodePath, std::move(e));
  }
  return llvm::Error::success();
}
} // namespace

llvm::Expected<std::string> writeDocument(const Document &doc) {
  llvm::Expected<hdf5::File> file = hdf5::File::create();
  if (!file)
    return file.takeError();
  if (llvm::Error e = hdf5::writeString(file->root(), "version", doc.version))
    return std::move(e);
  auto top = hdf5::createGroup(file->root(), "node");
  if (!top)
    return top.takeError();
  if (llvm::Error e = writeGraph(top->get(), doc.graph, ""))
    return std::move(e);
  return file->image();
}

} // namespace snn::nir
