//===- NirReader.cpp - NIR files to the raw NIR model ---------------------===//

#include "NIR/Hdf5.h"
#include "NIR/NirModel.h"

#include <algorithm>

namespace snn::nir {

const std::vector<std::string> &knownNodeTypes() {
  static const std::vector<std::string> types = {
      "Input",  "Output",   "Affine",  "Linear",    "Scale",
      "Conv1d", "Conv2d",   "SumPool2d", "AvgPool2d", "Flatten",
      "Delay",  "Threshold", "I",      "LI",        "IF",
      "LIF",    "CubaLI",   "CubaLIF", "NIRGraph"};
  return types;
}

std::string Problem::describe() const {
  std::string s;
  if (!nodePath.empty())
    s += "node '" + nodePath + "'";
  if (!field.empty())
    s += (s.empty() ? "" : ", ") + std::string("field '") + field + "'";
  return s.empty() ? message : s + ": " + message;
}

namespace {

/// No NIR field needs more; a corrupt header asking for more is an error.
constexpr int64_t kMaxElements = int64_t(1) << 28;
/// Deeper nesting than this is a loop or an attack, not a network.
constexpr size_t kMaxDepth = 64;

std::string join(const std::string &path, const std::string &name) {
  return path.empty() ? name : path + "." + name;
}

class Reader {
public:
  explicit Reader(Diagnostics &diags) : diags(diags) {}

  bool readGraph(hdf5::Id group, const std::string &path, Graph &graph) {
    auto identity = hdf5::objectIdentity(group);
    if (identity) {
      if (std::find(ancestry.begin(), ancestry.end(), *identity) !=
          ancestry.end()) {
        diags.error(path, "", "nesting loop: this graph contains itself");
        return false;
      }
    }
    if (ancestry.size() >= kMaxDepth) {
      diags.error(path, "", "graphs nested more than " +
                                std::to_string(kMaxDepth) + " deep");
      return false;
    }
    if (identity)
      ancestry.push_back(*identity);
    bool ok = readEdges(group, path, graph) && readNodes(group, path, graph);
    if (identity)
      ancestry.pop_back();
    return ok;
  }

private:
  bool readEdges(hdf5::Id group, const std::string &path, Graph &graph) {
    std::string error;
    switch (hdf5::kindOf(group, "edges")) {
    case hdf5::ObjectKind::Missing:
      diags.error(path, "edges", "is missing");
      return false;
    case hdf5::ObjectKind::Dataset:
      break;
    default:
      diags.error(path, "edges", "is not a dataset");
      return false;
    }
    hdf5::DatasetInfo info;
    if (!hdf5::describe(group, "edges", info, kMaxElements, error)) {
      diags.error(path, "edges", error);
      return false;
    }
    if (info.numElements == 0)
      return true;
    if (info.kind != hdf5::ElementKind::String) {
      diags.error(path, "edges",
                  "is a " + info.typeName + " dataset, not pairs of names");
      return false;
    }
    if (info.shape.size() != 2 || info.shape[1] != 2) {
      std::string shape;
      for (int64_t d : info.shape)
        shape += (shape.empty() ? "" : "x") + std::to_string(d);
      diags.error(path, "edges",
                  "has shape " + shape + " but edges are (E, 2) pairs of names");
      return false;
    }
    std::vector<std::string> names;
    if (!hdf5::readStrings(group, "edges", names, error)) {
      diags.error(path, "edges", error);
      return false;
    }
    for (size_t i = 0; i + 1 < names.size(); i += 2)
      graph.edges.emplace_back(names[i], names[i + 1]);
    return true;
  }

  bool readNodes(hdf5::Id group, const std::string &path, Graph &graph) {
    if (hdf5::kindOf(group, "nodes") != hdf5::ObjectKind::Group) {
      diags.error(path, "nodes", "is missing or not a group");
      return false;
    }
    hdf5::Handle nodes = hdf5::openGroup(group, "nodes");
    std::vector<std::string> names;
    std::string error;
    if (!nodes.valid() || !hdf5::listMembers(nodes.get(), names, error)) {
      diags.error(path, "nodes", error.empty() ? "cannot be opened" : error);
      return false;
    }
    bool ok = true;
    for (const std::string &name : names) {
      std::string nodePath = join(path, name);
      if (hdf5::kindOf(nodes.get(), name) != hdf5::ObjectKind::Group) {
        diags.error(nodePath, "", "is a dataset, not a node group");
        ok = false;
        continue;
      }
      hdf5::Handle nodeGroup = hdf5::openGroup(nodes.get(), name);
      Node node;
      node.name = name;
      if (nodeGroup.valid() && readNode(nodeGroup.get(), nodePath, node))
        graph.nodes.push_back(std::move(node));
      else
        ok = false;
    }
    return ok;
  }

  bool readType(hdf5::Id group, const std::string &path, std::string &type) {
    std::string error;
    if (hdf5::kindOf(group, "type") != hdf5::ObjectKind::Dataset) {
      diags.error(path, "type", "is missing");
      return false;
    }
    hdf5::DatasetInfo info;
    if (!hdf5::describe(group, "type", info, kMaxElements, error)) {
      diags.error(path, "type", error);
      return false;
    }
    if (info.kind != hdf5::ElementKind::String) {
      diags.error(path, "type",
                  "is a " + info.typeName + " dataset, not a string");
      return false;
    }
    std::vector<std::string> values;
    if (!hdf5::readStrings(group, "type", values, error)) {
      diags.error(path, "type", error);
      return false;
    }
    if (values.size() != 1) {
      diags.error(path, "type", "holds " + std::to_string(values.size()) +
                                    " strings instead of one");
      return false;
    }
    type = values.front();
    const auto &known = knownNodeTypes();
    if (std::find(known.begin(), known.end(), type) == known.end()) {
      std::string list;
      for (const std::string &k : known)
        list += (list.empty() ? "" : ", ") + k;
      diags.error(path, "type",
                  "unknown node type '" + type + "' (NIR has " + list + ")");
      return false;
    }
    return true;
  }

  bool readNode(hdf5::Id group, const std::string &path, Node &node) {
    if (!readType(group, path, node.type))
      return false;
    if (node.type == "NIRGraph") {
      node.graph = std::make_unique<Graph>();
      return readGraph(group, path, *node.graph);
    }
    std::vector<std::string> members;
    std::string error;
    if (!hdf5::listMembers(group, members, error)) {
      diags.error(path, "", error);
      return false;
    }
    bool ok = true;
    for (const std::string &field : members) {
      if (field == "type" ||
          hdf5::kindOf(group, field) != hdf5::ObjectKind::Dataset)
        continue; // metadata groups and the like carry no semantics
      hdf5::DatasetInfo info;
      if (!hdf5::describe(group, field, info, kMaxElements, error)) {
        diags.error(path, field, error);
        ok = false;
        continue;
      }
      if (info.kind == hdf5::ElementKind::String) {
        std::vector<std::string> values;
        if (!hdf5::readStrings(group, field, values, error)) {
          diags.error(path, field, error);
          ok = false;
        } else if (values.size() == 1) {
          node.strings[field] = values.front();
        }
        continue;
      }
      if (info.kind == hdf5::ElementKind::Other) {
        diags.error(path, field,
                    "is a " + info.typeName + " dataset, not numbers");
        ok = false;
        continue;
      }
      Array array;
      array.shape = info.shape;
      array.dtype = info.typeName;
      if (!hdf5::readDoubles(group, field, array.values, error)) {
        diags.error(path, field, error);
        ok = false;
        continue;
      }
      node.arrays[field] = std::move(array);
    }
    return ok;
  }

  Diagnostics &diags;
  std::vector<std::pair<unsigned long, uint64_t>> ancestry;
};

} // namespace

std::optional<Document> readDocument(const std::string &bytes,
                                     Diagnostics &diags) {
  std::string error;
  std::optional<hdf5::File> file = hdf5::File::openImage(bytes, error);
  if (!file) {
    diags.error("", "", error);
    return std::nullopt;
  }
  Document doc;
  hdf5::Id root = file->root();
  if (hdf5::kindOf(root, "version") == hdf5::ObjectKind::Dataset) {
    std::vector<std::string> version;
    if (hdf5::readStrings(root, "version", version, error) &&
        version.size() == 1)
      doc.version = version.front();
    else
      diags.warning("", "version", "is not a string; ignored");
  } else {
    diags.warning("", "version", "is missing");
  }
  if (hdf5::kindOf(root, "node") != hdf5::ObjectKind::Group) {
    diags.error("", "node", "is missing: not a NIR file (no /node group)");
    return std::nullopt;
  }
  hdf5::Handle top = hdf5::openGroup(root, "node");
  Reader reader(diags);
  std::string type;
  std::vector<std::string> types;
  if (hdf5::kindOf(top.get(), "type") != hdf5::ObjectKind::Dataset ||
      !hdf5::readStrings(top.get(), "type", types, error) || types.size() != 1 ||
      types.front() != "NIRGraph") {
    diags.error("", "node/type", "the top node must be a NIRGraph");
    return std::nullopt;
  }
  if (!reader.readGraph(top.get(), "", doc.graph))
    return std::nullopt;
  return doc;
}

namespace {
bool writeGraph(hdf5::Id group, const Graph &graph, std::string &error) {
  if (!hdf5::writeString(group, "type", "NIRGraph", error))
    return false;
  std::vector<std::string> edgeNames;
  for (const auto &[from, to] : graph.edges) {
    edgeNames.push_back(from);
    edgeNames.push_back(to);
  }
  if (!hdf5::writeStringTable(group, "edges", edgeNames,
                              {static_cast<int64_t>(graph.edges.size()), 2},
                              error))
    return false;
  hdf5::Handle nodes = hdf5::createGroup(group, "nodes", error);
  if (!nodes.valid())
    return false;
  for (const Node &node : graph.nodes) {
    hdf5::Handle g = hdf5::createGroup(nodes.get(), node.name, error);
    if (!g.valid())
      return false;
    if (node.graph) {
      if (!writeGraph(g.get(), *node.graph, error))
        return false;
      continue;
    }
    if (!hdf5::writeString(g.get(), "type", node.type, error))
      return false;
    for (const auto &[field, value] : node.strings)
      if (!hdf5::writeString(g.get(), field, value, error))
        return false;
    for (const auto &[field, array] : node.arrays) {
      bool ok;
      if (array.dtype.rfind("int", 0) == 0 || array.dtype.rfind("uint", 0) == 0) {
        std::vector<int64_t> ints(array.values.begin(), array.values.end());
        ok = hdf5::writeInts(g.get(), field, ints, array.shape, error);
      } else {
        ok = hdf5::writeDoubles(g.get(), field, array.values, array.shape,
                                array.dtype == "float32", error);
      }
      if (!ok)
        return false;
    }
  }
  return true;
}
} // namespace

std::optional<std::string> writeDocument(const Document &doc,
                                         std::string &error) {
  std::optional<hdf5::File> file = hdf5::File::create(error);
  if (!file)
    return std::nullopt;
  if (!hdf5::writeString(file->root(), "version", doc.version, error))
    return std::nullopt;
  hdf5::Handle top = hdf5::createGroup(file->root(), "node", error);
  if (!top.valid() || !writeGraph(top.get(), doc.graph, error))
    return std::nullopt;
  return file->image(error);
}

} // namespace snn::nir
