#include "core/models/torch_module.h"

#include <dlfcn.h>

#include <cstdlib>
#include <exception>
#include <filesystem>
#include <mutex>
#include <system_error>

#include "core/common/module_search.h"
#include "core/models/registry.h"
#include "core/models/torch_module_abi.h"

#ifndef RECO_TORCH_MODULE_DIR
#define RECO_TORCH_MODULE_DIR ""
#endif

namespace reco {
namespace detail {

namespace fs = std::filesystem;

std::vector<std::string> torchModuleCandidates() {
  return moduleCandidates("RECO_TORCH_MODULE", kTorchModuleFileName, RECO_TORCH_MODULE_DIR);
}

TorchModuleStatus loadTorchModuleFrom(const std::vector<std::string>& candidates,
                                      Registry& registry) {
  TorchModuleStatus status;
  try {
    std::string tried;
    for (const auto& candidate : candidates) {
      std::error_code ec;
      if (!fs::exists(candidate, ec)) {
        tried += (tried.empty() ? "" : ", ") + candidate;
        status.path = candidate;
        continue;
      }
      status.path = candidate;
      // LibTorch's OpenMP threads spin while waiting by default, which starves the other
      // threads of a busy machine (a neumf epoch went from 1.7 s to 15 s with 2 threads on
      // a loaded 2-core machine). Read once when the OpenMP runtime loads, so it is set
      // before the module comes in; a value the user chose is kept.
      setenv("OMP_WAIT_POLICY", "PASSIVE", 0);
      // Never dlclose'd: the registered factories and vtables live in the module, and
      // unloading LibTorch is not safe.
      void* handle = dlopen(candidate.c_str(), RTLD_NOW | RTLD_LOCAL);
      if (handle == nullptr) {
        status.error = "cannot load " + candidate + ": " + dynamicLoaderError();
        return status;
      }
      auto abiVersion = reinterpret_cast<TorchAbiVersionFunction>(dlsym(handle, kTorchAbiSymbol));
      auto registerModels =
          reinterpret_cast<TorchRegisterFunction>(dlsym(handle, kTorchRegisterSymbol));
      if (abiVersion == nullptr || registerModels == nullptr) {
        status.error = candidate + " is not a reco_torch module (expected the symbols " +
                       kTorchAbiSymbol + " and " + kTorchRegisterSymbol + ")";
        return status;
      }
      if (const int found = abiVersion(); found != kTorchModuleAbiVersion) {
        status.error = candidate + " was built for module ABI " + std::to_string(found) +
                       ", this program expects " + std::to_string(kTorchModuleAbiVersion) +
                       " (rebuild reco_torch with the same sources and compiler)";
        return status;
      }
      const std::size_t before = registry.size();
      const int rc = registerModels(&registry, &status);
      status.path = candidate;
      status.modelsRegistered = int(registry.size() - before);
      if (rc != 0) {
        if (status.error.empty())
          status.error = candidate + " failed with code " + std::to_string(rc);
        status.loaded = false;
        return status;
      }
      status.loaded = true;
      status.error.clear();
      return status;
    }
    status.error = candidates.empty() ? std::string("no place to look for ") + kTorchModuleFileName
                                      : std::string(kTorchModuleFileName) +
                                            " not found (looked for " + tried + ")";
  } catch (const std::exception& e) {
    status.loaded = false;
    status.error = std::string("loading the deep-model module failed: ") + e.what();
  } catch (...) {
    status.loaded = false;
    status.error = "loading the deep-model module failed with an unknown exception";
  }
  return status;
}

}  // namespace detail

const TorchModuleStatus& loadTorchModule(Registry& registry) {
  static TorchModuleStatus status;
  static std::once_flag once;
  try {
    std::call_once(once, [&registry] {
      status = detail::loadTorchModuleFrom(detail::torchModuleCandidates(), registry);
    });
  } catch (...) {
    // call_once itself failed (std::system_error); loadTorchModuleFrom does not throw.
    static TorchModuleStatus failed = [] {
      TorchModuleStatus s;
      s.error = "could not synchronise loading the deep-model module";
      return s;
    }();
    return failed;
  }
  return status;
}

std::string describeComputeDevice(const TorchModuleStatus& status) {
  if (!status.loaded) return "CPU (no deep-model module: " + status.error + ")";
  if (status.cudaAvailable) {
    return "CUDA: " + status.deviceName + " (LibTorch " + status.torchVersion + ")";
  }
  return "CPU (LibTorch " + status.torchVersion + ")";
}

}  // namespace reco
