//===- Mpi.cpp - the ranks of an MPI launch -------------------------------===//

#include "Run/Mpi.h"

#include <mpi.h>

#include <climits>
#include <cstdlib>

namespace snn::run {

namespace {

/// Set by the launchers of Open MPI, MPICH (Hydra) and PMIx: a process
/// started by hand runs as one rank without starting MPI at all.
bool launchedByMpi() {
  for (const char *name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"})
    if (std::getenv(name))
      return true;
  return false;
}

class MpiWorld : public Communicator {
public:
  MpiWorld() {
    MPI_Comm_rank(MPI_COMM_WORLD, &rankId);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);
  }
  int rank() const override { return rankId; }
  int size() const override { return ranks; }

  int firstFailure(bool ok) override {
    int mine = ok ? INT_MAX : rankId, first = INT_MAX;
    MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    return first == INT_MAX ? -1 : first;
  }

  std::vector<std::string> gather(std::string bytes) override {
    std::vector<std::string> all;
    if (rankId != 0) {
      send(bytes);
      return all;
    }
    all.push_back(std::move(bytes));
    for (int from = 1; from < ranks; ++from)
      all.push_back(receive(from));
    return all;
  }

  std::vector<std::string>
  exchange(std::vector<std::string> parts,
           const std::vector<size_t> &receiveSizes) override {
    // Both ends know every size: one MPI_Alltoallv, no count exchange
    // before it. A step's messages are far below MPI's int counts.
    size_t n = static_cast<size_t>(ranks);
    std::vector<int> sendCounts(n), sendAt(n), receiveCounts(n), receiveAt(n);
    std::string sent;
    int total = 0;
    for (size_t r = 0; r < n; ++r) {
      sendAt[r] = int(sent.size());
      sendCounts[r] = int(parts[r].size());
      sent += parts[r];
      receiveAt[r] = total;
      receiveCounts[r] = int(receiveSizes[r]);
      total += receiveCounts[r];
    }
    std::string received(size_t(total), '\0');
    MPI_Alltoallv(sent.data(), sendCounts.data(), sendAt.data(), MPI_BYTE,
                  received.data(), receiveCounts.data(), receiveAt.data(),
                  MPI_BYTE, MPI_COMM_WORLD);
    std::vector<std::string> out(n);
    for (size_t r = 0; r < n; ++r)
      out[r] = received.substr(size_t(receiveAt[r]), receiveSizes[r]);
    return out;
  }

  std::vector<std::string>
  transfer(std::vector<std::string> parts,
           const std::vector<size_t> &receiveSizes) override {
    size_t n = static_cast<size_t>(ranks);
    std::vector<std::string> out(n);
    std::vector<MPI_Request> requests;
    requests.reserve(2 * n);
    for (size_t r = 0; r < n; ++r)
      if (receiveSizes[r] > 0) {
        out[r].assign(receiveSizes[r], '\0');
        requests.emplace_back();
        MPI_Irecv(out[r].data(), int(receiveSizes[r]), MPI_BYTE, int(r),
                  kRestTag, MPI_COMM_WORLD, &requests.back());
      }
    for (size_t r = 0; r < n; ++r)
      if (!parts[r].empty()) {
        requests.emplace_back();
        MPI_Isend(parts[r].data(), int(parts[r].size()), MPI_BYTE, int(r),
                  kRestTag, MPI_COMM_WORLD, &requests.back());
      }
    MPI_Waitall(int(requests.size()), requests.data(), MPI_STATUSES_IGNORE);
    return out;
  }

private:
  // MPI counts are ints: a part goes in pieces of at most 1 GiB.
  static constexpr int64_t kPiece = int64_t(1) << 30;
  static constexpr int kTag = 19;
  static constexpr int kRestTag = 20; // the rest of a long exchange message

  void send(const std::string &bytes) {
    int64_t size = int64_t(bytes.size());
    MPI_Send(&size, 1, MPI_INT64_T, 0, kTag, MPI_COMM_WORLD);
    for (int64_t at = 0; at < size; at += kPiece)
      MPI_Send(bytes.data() + at, int(std::min(kPiece, size - at)), MPI_BYTE,
               0, kTag, MPI_COMM_WORLD);
  }

  std::string receive(int from) {
    int64_t size = 0;
    MPI_Recv(&size, 1, MPI_INT64_T, from, kTag, MPI_COMM_WORLD,
             MPI_STATUS_IGNORE);
    std::string bytes(size_t(size), '\0');
    for (int64_t at = 0; at < size; at += kPiece)
      MPI_Recv(bytes.data() + at, int(std::min(kPiece, size - at)), MPI_BYTE,
               from, kTag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    return bytes;
  }

  int rankId = 0, ranks = 1;
};

} // namespace

// Whether openWorld started MPI (and closeWorld must end it).
bool started = false;

std::unique_ptr<Communicator> openWorld(int &argc, char **&argv) {
  if (!launchedByMpi())
    return std::make_unique<Communicator>();
  MPI_Init(&argc, &argv);
  started = true;
  return std::make_unique<MpiWorld>();
}

void closeWorld(std::unique_ptr<Communicator> world, int) {
  world.reset();
  if (started)
    MPI_Finalize();
  started = false;
}

std::string mpiDescription() {
  char version[MPI_MAX_LIBRARY_VERSION_STRING];
  int length = 0;
  MPI_Get_library_version(version, &length);
  std::string text(version, size_t(length));
  // The first line, e.g. "Open MPI v4.1.4, package: ..." up to the comma.
  text = text.substr(0, text.find_first_of(",\n"));
  return "MPI (" + text + ")";
}

} // namespace snn::run
