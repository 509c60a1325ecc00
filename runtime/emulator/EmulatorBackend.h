//===- EmulatorBackend.h - the emulator behind snn_runtime.h ----*- C++ -*-===//

#ifndef SNN_RUNTIME_EMULATORBACKEND_H
#define SNN_RUNTIME_EMULATORBACKEND_H

#include "api/Backend.h"
#include "emulator/Emulator.h"

namespace snn::runtime {

/// The "emu" backend.
std::unique_ptr<Backend>
makeEmulatorBackend(std::shared_ptr<const image::ChipImage> image,
                    std::string &error);

/// The emulator behind a device opened on "emu" (null for other backends),
/// for what only an emulator can tell: per-link traffic, the terms of
/// analytic cycle models.
const emu::Emulator *emulatorOf(const snn_device *device);

} // namespace snn::runtime

#endif // SNN_RUNTIME_EMULATORBACKEND_H
