#pragma once
/// The binary contract between the loader (torch_module.cpp, in reco_core) and the
/// reco_torch module, and the loader's internals that the tests call. Not for the GUI: it
/// uses torch_module.h only.
///
/// The module exports two C functions:
///   int reco_torch_abi_version(void);   -> must equal kTorchModuleAbiVersion
///   int reco_torch_register(reco::Registry*, reco::TorchModuleStatus*);  -> 0 on success
/// The registry's types cross the boundary as C++ objects, so the module must come from the
/// same build (same compiler, standard library and sources): the version folds in the sizes
/// of the shared types, and kTorchModuleAbiRevision is raised on any other change to
/// Registry, ModelInfo, OptionSpec, Recommender or TorchModuleStatus.

#include <string>
#include <vector>

#include "core/models/registry.h"
#include "core/models/torch_module.h"

namespace reco {

// 2: Recommender::computeDevice(); 3: Recommender::rankOnDevice(); 4: ModelInfo::readBack;
// 5: Recommender::itemSimilarities() and userEmbeddings(); 6: Recommender::explainHistory()
// and foldInMethod().
inline constexpr int kTorchModuleAbiRevision = 6;

inline constexpr int kTorchModuleAbiVersion =
    kTorchModuleAbiRevision * 100000 +
    int((sizeof(ModelInfo) * 7 + sizeof(OptionSpec) * 11 + sizeof(TorchModuleStatus) * 13 +
         sizeof(Registry) * 17 + sizeof(ComputeOptions) * 19 + sizeof(Explanation) * 23) %
        100000);

inline constexpr const char* kTorchModuleFileName = "libreco_torch.so";
inline constexpr const char* kTorchAbiSymbol = "reco_torch_abi_version";
inline constexpr const char* kTorchRegisterSymbol = "reco_torch_register";

using TorchAbiVersionFunction = int (*)();
using TorchRegisterFunction = int (*)(Registry*, TorchModuleStatus*);

namespace detail {

/// The files loadTorchModule tries, in order: only $RECO_TORCH_MODULE when it is set and
/// not empty; otherwise libreco_torch.so in the executable's folder, in its ../lib, and in
/// RECO_TORCH_MODULE_DIR (the build's library folder), without duplicates.
std::vector<std::string> torchModuleCandidates();

/// Loads the first candidate that exists and registers its models in `registry`; a
/// candidate that exists but fails (not a library, no entry point, another ABI) ends the
/// search with an error. Not cached: the tests call it with files that are not the module;
/// calling it twice with the real module registers its models twice (and fails on the
/// duplicate names). Never throws.
TorchModuleStatus loadTorchModuleFrom(const std::vector<std::string>& candidates,
                                      Registry& registry);

}  // namespace detail
}  // namespace reco
