// Registration of the content models (builtin_models.h). Each model adds one entry here.
#include <memory>

#include "core/models/builtin_models.h"
#include "core/models/content_model.h"
#include "core/models/popular_content_model.h"
#include "core/models/registry.h"

namespace reco {

void registerContentModels(Registry& registry) {
  registry.add(withOptionTable(
      "content", "content",
      "TF-IDF item profiles over title and category; works for new items and new users",
      ContentOptions::table(), [](const ContentOptions& options, const ComputeOptions&) {
        return std::make_unique<ContentModel>(options);
      }));
  registry.add(withOptionTable(
      "popcontent", "content",
      "popular items like the user's: buyers' share ^ popularity x (blend + content cosine); "
      "a bestseller list in each user's taste, for basket data",
      PopularContentOptions::table(),
      [](const PopularContentOptions& options, const ComputeOptions&) {
        return std::make_unique<PopularContentModel>(options);
      }));
}

}  // namespace reco
