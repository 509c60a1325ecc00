//===- Divergence.cpp - where two engines' spikes first differ ------------===//

#include "Sim/Divergence.h"

namespace snn::sim {

bool Divergence::isAfter(const Divergence &d) const {
  return d.found &&
         (!found || d.step < step || (d.step == step && d.sample < sample));
}

void Divergence::search(const Matrix &x, const Matrix &z, int64_t first,
                        int64_t count, int64_t t, const std::string &name) {
  for (int64_t s = 0; s < count; ++s) {
    int64_t at = first + s;
    // A difference found at an earlier step, or at this step and an
    // earlier sample, stays first.
    if (found && (t > step || (t == step && at >= sample)))
      continue;
    for (int64_t j = 0; j < x.rows(); ++j)
      if (x(j, s) != z(j, s)) {
        *this = {true, at, t, j, name, x(j, s), z(j, s)};
        break;
      }
  }
}

std::vector<NodePair> commonNodes(const Engine &a, const Engine &b) {
  std::vector<NodePair> pairs;
  for (const std::string &name : a.nodeNames()) {
    std::optional<size_t> ia = a.findNode(name), ib = b.findNode(name);
    if (!ib || a.stats()[*ia].spikes != b.stats()[*ib].spikes ||
        a.stats()[*ia].neurons != b.stats()[*ib].neurons)
      continue;
    pairs.push_back({name, *ia, *ib});
  }
  return pairs;
}

} // namespace snn::sim
