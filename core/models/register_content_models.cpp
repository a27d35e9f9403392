// Registration of the content models (builtin_models.h). Each model adds one entry here.
#include "core/models/builtin_models.h"
#include "core/models/registry.h"

namespace reco {

void registerContentModels(Registry& registry) { (void)registry; }

}  // namespace reco
