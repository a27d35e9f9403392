#pragma once
/// Item side features shared by the deep models that read item content (mlp, hybrid):
/// category ids, price bands and title-token lists over TrainingData's item side
/// information, and the int64 tensors they become. Includes torch: only for core/torch/*.cpp.

#include <cstdint>
#include <vector>

#include <torch/types.h>

namespace reco {
struct TrainingData;
}  // namespace reco

namespace reco::deep {

/// A 1-D int64 tensor (on the CPU) holding `values`.
torch::Tensor longTensor(const std::vector<std::int64_t>& values);

/// The number of categories an embedding table needs: categoryNames' size, or more when an
/// itemCategory points past it.
std::int64_t categoryCount(const TrainingData& data);
/// Each item's category row: 0 for none (a padding row), else 1 + the category index (those
/// at or above `categories` count as none). itemCount entries.
std::vector<std::int64_t> categoryRows(const TrainingData& data, std::int64_t categories);

/// 0 for an unknown price, else 1 + the price's quantile band among the known prices
/// (`bands` bands). `items` entries; all 0 when `prices` is not one per item.
std::vector<std::int64_t> priceBands(const std::vector<float>& prices, std::int64_t items,
                                     int bands);

/// Each item's title tokens as rows of a vocabulary. The vocabulary is built from every
/// item's title (contentTokens of the content model, the title only): a token is kept when
/// it occurs in at least `minItems` items, at most the `maxTokens` most frequent (ties by
/// the token's text), and numbered 1.. by that order (0 is padding). Each item keeps its
/// distinct kept tokens in title order, at most `maxPerItem`.
struct TitleTokens {
  std::int64_t vocabulary = 0;       ///< kept tokens (rows 1..vocabulary)
  std::int64_t width = 0;            ///< the most tokens an item keeps (<= maxPerItem)
  std::vector<std::int64_t> rows;    ///< items x width, row-major, 0-padded
  std::vector<std::int64_t> counts;  ///< tokens each item keeps
};
TitleTokens titleTokens(const std::vector<std::string>& titles, std::int64_t items, int minItems,
                        int maxTokens, int maxPerItem);

}  // namespace reco::deep
