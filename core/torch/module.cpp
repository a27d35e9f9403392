// The entry point of the reco_torch module: the loader (core/models/torch_module.cpp)
// checks reco_torch_abi_version() and calls reco_torch_register() once per process.
// Narrow torch headers only: <torch/torch.h> costs ~15 s per file to parse.

#include <dlfcn.h>
#include <malloc.h>

#include <exception>
#include <string>

#include <torch/cuda.h>
#include <torch/version.h>

#include "core/models/registry.h"
#include "core/models/torch_module_abi.h"
#include "core/torch/torch_models.h"

namespace {

// The name of CUDA device 0 through the driver API (libcuda.so.1, present wherever CUDA
// works), so that this file needs no CUDA headers and builds against a CPU LibTorch too.
std::string cudaDeviceName() {
  using InitFunction = int (*)(unsigned int);
  using DeviceGetFunction = int (*)(int*, int);
  using DeviceGetNameFunction = int (*)(char*, int, int);
  void* driver = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  if (driver == nullptr) return "CUDA device 0";
  auto init = reinterpret_cast<InitFunction>(dlsym(driver, "cuInit"));
  auto deviceGet = reinterpret_cast<DeviceGetFunction>(dlsym(driver, "cuDeviceGet"));
  auto deviceGetName = reinterpret_cast<DeviceGetNameFunction>(dlsym(driver, "cuDeviceGetName"));
  char name[256] = {};
  int device = 0;
  const bool ok = init != nullptr && deviceGet != nullptr && deviceGetName != nullptr &&
                  init(0) == 0 && deviceGet(&device, 0) == 0 &&
                  deviceGetName(name, int(sizeof(name)) - 1, device) == 0;
  // The driver stays loaded (LibTorch holds it too); no dlclose.
  return ok && name[0] != '\0' ? std::string(name) : std::string("CUDA device 0");
}

// LibTorch on the CPU allocates and frees tensors of megabytes at every batch. glibc serves
// allocations above its mmap threshold (128 KiB, raised on its own only up to 32 MiB) with
// fresh mappings and returns freed memory above 128 KiB at the heap's top to the system,
// so every batch paid page faults on new pages: 80% of mlp's epoch on ML-100K (7.4 s; 1.4 s
// with this), and neumf's evaluation of all users took 0.64 s (0.14 s). Allocations below
// 128 MiB now come from the heap, and up to 256 MiB of freed memory stays at its top for
// the next batch. Process-wide, set once when the deep models are first wanted.
void keepTensorMemoryForReuse() {
  mallopt(M_MMAP_THRESHOLD, 128 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
}

}  // namespace

extern "C" __attribute__((visibility("default"))) int reco_torch_abi_version() {
  return reco::kTorchModuleAbiVersion;
}

extern "C" __attribute__((visibility("default"))) int reco_torch_register(
    reco::Registry* registry, reco::TorchModuleStatus* status) {
  if (registry == nullptr || status == nullptr) return 2;
  try {
    keepTensorMemoryForReuse();
    status->torchVersion = TORCH_VERSION;
    status->cudaAvailable = torch::cuda::is_available();
    status->deviceName = status->cudaAvailable ? cudaDeviceName() : std::string("CPU");
    registerTorchModels(*registry);
    return 0;
  } catch (const std::exception& e) {
    status->error = std::string("the deep-model module failed to start: ") + e.what();
  } catch (...) {
    status->error = "the deep-model module failed to start with an unknown exception";
  }
  return 1;
}
