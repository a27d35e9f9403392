#pragma once
/// The whole public header of the reco_torch module: it includes no torch header, so any
/// target may include it. The module's entry point (module.cpp) calls it; the rest of the
/// program reaches the deep models only through the Registry and the Recommender interface.

namespace reco {

class Registry;

/// Registers every deep model (mlp, neumf, sasrec, hybrid) in `registry`. Throws
/// reco::Error (Internal) on a duplicate name, like Registry::add. Inside the module, use
/// the registry passed in, never defaultRegistry(): the module holds a private copy of
/// reco_core, whose process-wide objects are not the host's.
void registerTorchModels(Registry& registry);

}  // namespace reco
