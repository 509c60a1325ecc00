//===- NirFlatGraph.h - one flat graph of primitive NIR nodes --*- C++ -*-===//
//
// Nested NIRGraphs are inlined (their nodes keep dotted paths such as
// "lif1.lin"), edge names are resolved, the Input/Output nodes of inner
// graphs become plain connections, and every cycle gets one edge that reads
// the previous step. docs/nir.md explains each rule.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_NIR_NIRFLATGRAPH_H
#define SNN_NIR_NIRFLATGRAPH_H

#include "NIR/NirModel.h"

#include <set>

namespace snn::nir {

struct FlatNode {
  enum Kind { Primitive, NetworkInput, NetworkOutput, Junction, Removed };
  std::string path;           // dotted path, the node's name in the IR
  std::string locPath;        // path in the file ("hidden/lif"), its location
  const Node *node = nullptr; // null for inputs/outputs made up by the importer
  Kind kind = Primitive;
};

struct FlatGraph {
  std::vector<FlatNode> nodes;
  std::vector<std::vector<int>> preds, succs; // in the file's edge order
  /// Edges (from, to) that read the previous step: one per cycle.
  std::set<std::pair<int, int>> delayed;

  void addEdge(int from, int to);
  void removeEdge(int from, int to);
  const std::string &type(int n) const;
};

/// Node types that keep state from step to step.
bool isNeuronType(const std::string &type);

/// Builds the flat graph. Fails when an edge cannot be resolved or the graph
/// has no usable inputs or outputs, after reporting why.
mlir::LogicalResult flattenDocument(const Document &doc, FlatGraph &flat,
                                    Reporter &reporter);

} // namespace snn::nir

#endif // SNN_NIR_NIRFLATGRAPH_H
