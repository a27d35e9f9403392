// Registration of the content models (builtin_models.h). Each model adds one entry here.
#include <memory>

#include "core/models/builtin_models.h"
#include "core/models/content_model.h"
#include "core/models/registry.h"

namespace reco {

void registerContentModels(Registry& registry) {
  ModelInfo content;
  content.name = "content";
  content.family = "content";
  content.summary = "TF-IDF item profiles over title and category; works for new items and new users";
  content.options = {
      {"feedback", OptionType::Choice, "binary", {}, {}, {"binary", "weighted"},
       "binary: every history item counts once; weighted: by the pair weights"},
      {"min_df", OptionType::Int, "1", 1.0, 1e9, {}, "drop tokens that occur in fewer items than this"},
  };
  content.factory = [specs = content.options](const OptionValues& values, const ComputeOptions&) {
    const OptionReader reader(specs, values);
    ContentOptions options;
    options.feedback = parseFeedback(reader.getString("feedback"));
    options.minDf = std::int32_t(reader.getInt("min_df"));
    options.validate();
    return std::make_unique<ContentModel>(options);
  };
  registry.add(std::move(content));
}

}  // namespace reco
