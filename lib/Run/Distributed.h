//===- Distributed.h - snn-run's samples split over ranks -------*- C++ -*-===//
//
// A data-parallel run gives every rank a contiguous block of the samples,
// runs it, and merges the ranks' results on rank 0 into what one rank would
// have computed, bit for bit. Two things make that possible:
//  - blocks start on the batch boundaries of the one-rank run, so that every
//    engine sees the very batches it would have seen (the float engine's
//    arithmetic depends on the batch: dense or event-driven, and Eigen's
//    blocking);
//  - every count summed over samples is a whole number held in a double
//    (exact below 2^53, so any order gives the same sum), every range is a
//    maximum, and the emulator's real-valued totals are replayed step by step
//    in sample order (see EmuEngine::absorb).
//
// This file knows nothing of MPI: a Communicator is the few collectives the
// merge needs, and the base class is one rank. Run/Mpi.h makes the MPI one.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_RUN_DISTRIBUTED_H
#define SNN_RUN_DISTRIBUTED_H

#include "Run/Calibrate.h"
#include "Run/Compare.h"
#include "Run/EmuEngine.h"
#include "Run/Run.h"

#include <cstdint>
#include <string>
#include <vector>

namespace snn::run {

/// The collectives of a data-parallel run. The base class is a single rank
/// (what snn-run is without MPI, or when not started by mpirun).
class Communicator {
public:
  virtual ~Communicator() = default;
  virtual int rank() const { return 0; }
  virtual int size() const { return 1; }
  /// Collective: every rank says whether it succeeded; returns the lowest
  /// rank that did not, or -1 when all did.
  virtual int firstFailure(bool ok) { return ok ? -1 : 0; }
  /// Collective: rank 0 receives every rank's bytes in rank order (its own
  /// first); the other ranks receive nothing.
  virtual std::vector<std::string> gather(std::string bytes);
  /// Collective, one MPI_Alltoallv: parts[r] goes to rank r, and
  /// receiveSizes[r] bytes (known to both ends) come from rank r; returns
  /// them in rank order (one rank: nothing comes).
  virtual std::vector<std::string>
  exchange(std::vector<std::string> parts,
           const std::vector<size_t> &receiveSizes) {
    (void)parts;
    return std::vector<std::string>(receiveSizes.size());
  }
  /// Point to point among the pairs with bytes to move (the others do not
  /// take part): parts[r], when not empty, goes to rank r, and
  /// receiveSizes[r] bytes come from rank r.
  virtual std::vector<std::string>
  transfer(std::vector<std::string> parts,
           const std::vector<size_t> &receiveSizes) {
    return exchange(std::move(parts), receiveSizes);
  }
};

/// The ranks as the emulator's spike exchange (a system of chips spread
/// over ranks: emu::Emulator::distribute).
std::shared_ptr<emu::SpikeExchange> spikeExchange(Communicator &ranks);

/// Samples [first, end) of a rank.
struct Block {
  int64_t first = 0, end = 0;
  int64_t size() const { return end - first; }
};

/// The block of `rank` of `ranks`: the run's batches of `batch` samples are
/// dealt out in contiguous runs as even as they can be (the first ranks take
/// the extra ones), so that a block starts where one of the one-rank run's
/// batches starts. Ranks beyond the number of batches get an empty block.
Block blockOf(int64_t samples, int64_t batch, int rank, int ranks);

/// The samples of `block`, with their labels (when given).
Inputs sliceInputs(const Inputs &inputs, Block block);
std::optional<npy::Array> sliceLabels(const std::optional<npy::Array> &labels,
                                      Block block);

/// Bytes of whole numbers, doubles and strings, read back in the same order.
class Packer {
public:
  void int64(int64_t v);
  void real(double v);
  void text(const std::string &s);
  void reals(const std::vector<double> &v);
  std::string take() { return std::move(bytes); }

private:
  std::string bytes;
};

class Unpacker {
public:
  explicit Unpacker(const std::string &bytes) : bytes(bytes) {}
  int64_t int64();
  double real();
  std::string text();
  std::vector<double> reals();

private:
  void read(void *out, size_t size);
  const std::string &bytes;
  size_t at = 0;
};

/// A rank's result, and the ranks' results put together in rank order:
/// outputs and traces concatenated, counts summed, the time the longest of
/// the ranks'; predictions and accuracy computed again over all samples.
void packResult(const RunResult &result, Packer &p);
RunResult unpackResult(Unpacker &u);
RunResult mergeResults(std::vector<RunResult> parts,
                       const std::optional<npy::Array> &labels,
                       Readout readout);

/// The same for a comparison of two engines; `firsts` are the first sample
/// of each rank's block (the ranks' sample numbers are their own).
void packComparison(const Comparison &c, Packer &p);
Comparison unpackComparison(Unpacker &u);
Comparison mergeComparisons(std::vector<Comparison> parts,
                            const std::vector<int64_t> &firsts,
                            const std::optional<npy::Array> &labels,
                            Readout readout);

/// The emulator's totals of a rank's run (EmuEngine::absorb adds them up).
void packEmulator(const EmuEngine::Partial &e, Packer &p);
EmuEngine::Partial unpackEmulator(Unpacker &u);

/// Calibration ranges and the counts their rates come from.
struct CalibrationPart {
  quant::Calibration ranges;
  CalibrationCounts counts;
};
void packCalibration(const CalibrationPart &c, Packer &p);
CalibrationPart unpackCalibration(Unpacker &u);
quant::Calibration mergeCalibrations(const std::vector<CalibrationPart> &parts);

} // namespace snn::run

#endif // SNN_RUN_DISTRIBUTED_H
