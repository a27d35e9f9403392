#pragma once
/// Loading the optional reco_torch module (a shared library that links LibTorch) at run
/// time, so that `reco` and the workbench start without paying LibTorch's start-up cost.
/// The module's one exported entry point registers its deep models in a Registry.

#include <string>

namespace reco {

class Registry;

struct TorchModuleStatus {
  bool loaded = false;
  std::string path;          ///< the file that was loaded (or the last one tried)
  std::string error;         ///< why it was not loaded; empty when loaded
  std::string torchVersion;  ///< "1.13.1"
  bool cudaAvailable = false;
  std::string deviceName;  ///< "NVIDIA H100 80GB HBM3", or "CPU"
  int modelsRegistered = 0;
};

/// Loads the module once per process and registers its models in `registry` (the first
/// call's registry; later calls return the cached status). Thread-safe. Never throws: a
/// missing or broken module is a status with `error` set, and the registry simply has no
/// deep models. Search order: $RECO_TORCH_MODULE (a file), the folder of the running
/// executable and its ../lib, then the build's library folder.
const TorchModuleStatus& loadTorchModule(Registry& registry);

/// One line for a status bar: "CUDA: NVIDIA H100 (LibTorch 2.4.0)", "CPU (LibTorch 1.13.1)",
/// or "CPU (no deep-model module: <reason>)".
std::string describeComputeDevice(const TorchModuleStatus& status);

}  // namespace reco
