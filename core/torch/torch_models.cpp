#include "core/torch/torch_models.h"

#include "core/models/registry.h"

namespace reco {

void registerTorchModels(Registry& registry) {
  // The deep models arrive with a later issue; each adds one registration here, with its
  // implementation in its own .cpp (the only files that include <torch/torch.h>).
  static_cast<void>(registry);
}

}  // namespace reco
