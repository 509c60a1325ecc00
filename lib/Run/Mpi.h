//===- Mpi.h - the ranks snn-run was started on -----------------*- C++ -*-===//
//
// The world of a data-parallel run. Built from Mpi.cpp when CMake finds MPI,
// else from MpiNone.cpp: one rank. Only the snn-run tool links this, so that
// the libraries stay free of MPI.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_RUN_MPI_H
#define SNN_RUN_MPI_H

#include "Run/Distributed.h"

#include <memory>

namespace snn::run {

/// The ranks this process belongs to: MPI's world when started by mpirun
/// (or another MPI launcher), else one rank. Call once, first thing in main.
std::unique_ptr<Communicator> openWorld(int &argc, char **&argv);

/// Ends MPI when openWorld started it; `status` is the process's exit
/// status.
void closeWorld(std::unique_ptr<Communicator> world, int status);

/// "MPI (Open MPI v4.1.4)", or "no MPI": what this build runs on.
std::string mpiDescription();

} // namespace snn::run

#endif // SNN_RUN_MPI_H
