//===- NirFlatGraph.cpp - one flat graph of primitive NIR nodes -----------===//

#include "NIR/NirFlatGraph.h"

#include <algorithm>
#include <map>

namespace snn::nir {

void FlatGraph::addEdge(int from, int to) {
  if (std::find(succs[from].begin(), succs[from].end(), to) != succs[from].end())
    return;
  succs[from].push_back(to);
  preds[to].push_back(from);
}

void FlatGraph::removeEdge(int from, int to) {
  succs[from].erase(std::remove(succs[from].begin(), succs[from].end(), to),
                    succs[from].end());
  preds[to].erase(std::remove(preds[to].begin(), preds[to].end(), from),
                  preds[to].end());
}

const std::string &FlatGraph::type(int n) const {
  static const std::string none;
  return nodes[n].node ? nodes[n].node->type : none;
}

bool isNeuronType(const std::string &type) {
  return type == "I" || type == "LI" || type == "IF" || type == "LIF" ||
         type == "CubaLI" || type == "CubaLIF" || type == "Delay";
}

namespace {

/// Paths in the file join nested graphs with '/' (see NirFile.cpp).
std::string join(const std::string &path, const std::string &name) {
  return path.empty() ? name : path + "/" + name;
}

/// Stateless nodes with one input and one output, which a recurrent delay
/// may be moved in front of.
bool isChainable(const std::string &type) {
  return type == "Affine" || type == "Linear" || type == "Scale" ||
         type == "Conv1d" || type == "Conv2d" || type == "SumPool2d" ||
         type == "AvgPool2d" || type == "Flatten";
}

enum class Role { Source, Destination };

/// The names visible inside one NIR graph.
struct Scope {
  std::string path;
  const Graph *graph = nullptr;
  std::map<std::string, int> nodes;          // primitive and Input/Output
  std::map<std::string, Scope *> subgraphs;  // nested NIRGraph nodes
  std::vector<int> inputs, outputs;
};

class Flattener {
public:
  Flattener(FlatGraph &flat, Reporter &reporter)
      : flat(flat), reporter(reporter) {}

  Scope *addGraph(const Graph &graph, const std::string &path) {
    scopes.push_back(std::make_unique<Scope>());
    Scope *scope = scopes.back().get();
    scope->path = path;
    scope->graph = &graph;
    for (const Node &node : graph.nodes) {
      std::string nodePath = join(path, node.name);
      if (node.graph) {
        scope->subgraphs[node.name] = addGraph(*node.graph, nodePath);
        continue;
      }
      int index = static_cast<int>(flat.nodes.size());
      FlatNode::Kind kind = FlatNode::Primitive;
      if (node.type == "Input") {
        kind = path.empty() ? FlatNode::NetworkInput : FlatNode::Junction;
        scope->inputs.push_back(index);
      } else if (node.type == "Output") {
        kind = path.empty() ? FlatNode::NetworkOutput : FlatNode::Junction;
        scope->outputs.push_back(index);
      }
      flat.nodes.push_back({displayPath(nodePath), nodePath, &node, kind});
      flat.preds.emplace_back();
      flat.succs.emplace_back();
      scope->nodes[node.name] = index;
    }
    for (const auto &[from, to] : graph.edges) {
      int a = resolve(*scope, from, Role::Source);
      int b = resolve(*scope, to, Role::Destination);
      if (a >= 0 && b >= 0)
        flat.addEdge(a, b);
      else
        ok = false;
    }
    return scope;
  }

  bool succeeded() const { return ok; }

private:
  std::string graphName(const Scope &scope) {
    return scope.path.empty() ? "the top graph"
                              : "graph '" + displayPath(scope.path) + "'";
  }

  int port(Scope &sub, Role role, const Scope &from, const std::string &name) {
    const std::vector<int> &ports =
        role == Role::Destination ? sub.inputs : sub.outputs;
    const char *what = role == Role::Destination ? "Input" : "Output";
    if (ports.size() == 1)
      return ports.front();
    reporter.error(from.path, "edges")
        << "edge end '" << name << "' names graph '" << displayPath(sub.path)
        << "', which has " << ports.size() << " " << what
        << " nodes; name one as '" << name << ".<node>'";
    return -1;
  }

  bool namedByAnEdge(const Scope &scope, const std::string &name) {
    for (const auto &[from, to] : scope.graph->edges)
      if (from == name || to == name)
        return true;
    return false;
  }

  int resolve(Scope &scope, const std::string &name, Role role) {
    // 1. A node of this graph, by its exact name.
    if (auto it = scope.nodes.find(name); it != scope.nodes.end())
      return it->second;
    if (auto it = scope.subgraphs.find(name); it != scope.subgraphs.end())
      return port(*it->second, role, scope, name);
    // 2. A node inside a nested graph, as "graph.node".
    for (size_t dot = name.find('.'); dot != std::string::npos;
         dot = name.find('.', dot + 1)) {
      auto it = scope.subgraphs.find(name.substr(0, dot));
      if (it != scope.subgraphs.end())
        return resolve(*it->second, name.substr(dot + 1), role);
    }
    // 3. A group of flat dotted nodes with its own ports: "lif1" stands for
    //    "lif1.input" as a destination and "lif1.output" as a source, when
    //    that port is wired.
    std::string portName =
        name + (role == Role::Destination ? ".input" : ".output");
    if (auto it = scope.nodes.find(portName);
        it != scope.nodes.end() && namedByAnEdge(scope, portName)) {
      reporter.warning(scope.path, "edges")
          << "edge end '" << name << "' names no node; using '" << portName
          << "'";
      return it->second;
    }
    // 4. A dangling name that leads to exactly one node no edge names, or to
    //    exactly one neuron with that prefix.
    std::vector<int> unnamed, neurons;
    for (const auto &[nodeName, index] : scope.nodes) {
      const std::string &type = flat.nodes[index].node->type;
      if (nodeName.rfind(name, 0) != 0 || type == "Input" || type == "Output")
        continue;
      if (!namedByAnEdge(scope, nodeName))
        unnamed.push_back(index);
      if (isNeuronType(type))
        neurons.push_back(index);
    }
    const std::vector<int> *pick =
        unnamed.size() == 1 ? &unnamed : neurons.size() == 1 ? &neurons : nullptr;
    if (pick) {
      reporter.warning(scope.path, "edges")
          << "edge end '" << name << "' names no node; using '"
          << flat.nodes[pick->front()].path << "', the only matching node";
      return pick->front();
    }
    std::string known;
    for (const auto &[nodeName, index] : scope.nodes)
      known += (known.empty() ? "" : ", ") + nodeName;
    for (const auto &[nodeName, sub] : scope.subgraphs)
      known += (known.empty() ? "" : ", ") + nodeName;
    reporter.error(scope.path, "edges")
        << "edge end '" << name << "' names no node of " << graphName(scope)
        << " (nodes: " << known << ")";
    return -1;
  }

  FlatGraph &flat;
  Reporter &reporter;
  std::vector<std::unique_ptr<Scope>> scopes;
  bool ok = true;
};

/// Inner Input/Output nodes, and top-level ones wired as pass-throughs,
/// become direct edges from their sources to their destinations.
void dissolveJunctions(FlatGraph &flat, Reporter &reporter) {
  for (size_t n = 0; n < flat.nodes.size(); ++n) {
    FlatNode &node = flat.nodes[n];
    bool passThrough =
        (node.kind == FlatNode::NetworkInput && !flat.preds[n].empty()) ||
        (node.kind == FlatNode::NetworkOutput && !flat.succs[n].empty());
    if (node.kind != FlatNode::Junction && !passThrough)
      continue;
    int j = static_cast<int>(n);
    std::vector<int> preds = flat.preds[n], succs = flat.succs[n];
    for (int p : preds)
      flat.removeEdge(p, j);
    for (int s : succs)
      flat.removeEdge(j, s);
    for (int p : preds)
      for (int s : succs)
        flat.addEdge(p, s);
    if (preds.empty() && !succs.empty())
      reporter.warning(node.locPath, "")
          << "is an inner Input that no edge feeds; its consumers get no "
             "input from it";
    node.kind = FlatNode::Removed;
  }
}

/// Outputs that nothing feeds carry no value: dropped, with a warning.
void dropDeadOutputs(FlatGraph &flat, Reporter &reporter) {
  for (size_t n = 0; n < flat.nodes.size(); ++n)
    if (flat.nodes[n].kind == FlatNode::NetworkOutput && flat.preds[n].empty()) {
      reporter.warning(flat.nodes[n].locPath, "")
          << "is an Output that no edge feeds; dropped";
      flat.nodes[n].kind = FlatNode::Removed;
    }
}

/// A network input or output the file does not have; its location is the
/// node it serves.
int addSynthetic(FlatGraph &flat, const std::string &path,
                 const std::string &locPath, FlatNode::Kind kind) {
  flat.nodes.push_back({path, locPath, nullptr, kind});
  flat.preds.emplace_back();
  flat.succs.emplace_back();
  return static_cast<int>(flat.nodes.size()) - 1;
}

/// Files without Input or Output nodes: every node that nothing feeds gets a
/// network input, every node that feeds nothing a network output.
void inferMissingPorts(FlatGraph &flat, Reporter &reporter) {
  auto has = [&](FlatNode::Kind kind) {
    return std::any_of(flat.nodes.begin(), flat.nodes.end(),
                       [&](const FlatNode &n) { return n.kind == kind; });
  };
  bool needInputs = !has(FlatNode::NetworkInput);
  bool needOutputs = !has(FlatNode::NetworkOutput);
  size_t count = flat.nodes.size();
  for (size_t n = 0; n < count; ++n) {
    if (flat.nodes[n].kind != FlatNode::Primitive)
      continue;
    std::string path = flat.nodes[n].path;
    std::string locPath = flat.nodes[n].locPath;
    if (needInputs && flat.preds[n].empty()) {
      int in = addSynthetic(flat, path + ".input", locPath,
                            FlatNode::NetworkInput);
      flat.addEdge(in, static_cast<int>(n));
      reporter.warning("", "") << "the file has no Input node; '" << path
                               << "' is fed by a new network input '" << path
                               << ".input'";
    }
    if (needOutputs && flat.succs[n].empty()) {
      int out = addSynthetic(flat, path + ".output", locPath,
                             FlatNode::NetworkOutput);
      flat.addEdge(static_cast<int>(n), out);
      reporter.warning("", "") << "the file has no Output node; '" << path
                               << "' becomes network output '" << path
                               << ".output'";
    }
  }
}

/// Depth-first search from the inputs in file order: an edge that closes a
/// cycle reads the previous step (as NIRTorch runs a cyclic graph). The delay
/// moves back over single-input projections to the neuron that feeds them,
/// so a recurrent projection sees silence in step 0 and still adds its bias,
/// as snnTorch's recurrent layers compute.
void markDelayedEdges(FlatGraph &flat) {
  size_t n = flat.nodes.size();
  enum State { Unseen, OnStack, Done };
  std::vector<State> state(n, Unseen);
  std::vector<std::pair<int, int>> backEdges;
  auto dfs = [&](int root) {
    std::vector<std::pair<int, size_t>> stack{{root, 0}};
    state[root] = OnStack;
    while (!stack.empty()) {
      auto &[v, next] = stack.back();
      if (next < flat.succs[v].size()) {
        int w = flat.succs[v][next++];
        if (state[w] == OnStack)
          backEdges.emplace_back(v, w);
        else if (state[w] == Unseen) {
          state[w] = OnStack;
          stack.push_back({w, 0});
        }
        continue;
      }
      state[v] = Done;
      stack.pop_back();
    }
  };
  for (int pass = 0; pass < 2; ++pass)
    for (size_t i = 0; i < n; ++i) {
      bool isInput = flat.nodes[i].kind == FlatNode::NetworkInput;
      if (state[i] == Unseen && flat.nodes[i].kind != FlatNode::Removed &&
          (pass == 1 || isInput))
        dfs(static_cast<int>(i));
    }
  for (auto [from, to] : backEdges) {
    int head = from;
    std::pair<int, int> edge{from, to};
    for (size_t steps = 0; steps < n && isChainable(flat.type(head)) &&
                           flat.preds[head].size() == 1 &&
                           flat.succs[head].size() == 1;
         ++steps) {
      int p = flat.preds[head].front();
      if (isNeuronType(flat.type(p))) {
        edge = {p, head};
        break;
      }
      head = p;
    }
    flat.delayed.insert(edge);
  }
}

} // namespace

mlir::LogicalResult flattenDocument(const Document &doc, FlatGraph &flat,
                                    Reporter &reporter) {
  Flattener flattener(flat, reporter);
  flattener.addGraph(doc.graph, "");
  if (!flattener.succeeded())
    return mlir::failure();
  dissolveJunctions(flat, reporter);
  dropDeadOutputs(flat, reporter);
  inferMissingPorts(flat, reporter);
  markDelayedEdges(flat);
  return mlir::success();
}

} // namespace snn::nir
