//===- MpiNone.cpp - one rank, for builds without MPI ---------------------===//

#include "Run/Mpi.h"

namespace snn::run {

std::unique_ptr<Communicator> openWorld(int &, char **&) {
  return std::make_unique<Communicator>();
}

void closeWorld(std::unique_ptr<Communicator>, int) {}

std::string mpiDescription() { return "no MPI"; }

} // namespace snn::run
