#include "core/torch/torch_models.h"

#include "core/models/registry.h"
#include "core/torch/detail/deep_models.h"

namespace reco {

void registerTorchModels(Registry& registry) {
  // One registration per deep model, each with its implementation in its own .cpp (the
  // only files that include torch headers).
  deep::registerMlp(registry);
  deep::registerNeuMf(registry);
  deep::registerSasRec(registry);
  deep::registerHybrid(registry);
}

}  // namespace reco
