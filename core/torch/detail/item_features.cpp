#include "core/torch/detail/item_features.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>

#include "core/data/training_data.h"
#include "core/models/content_model.h"

namespace reco::deep {

torch::Tensor longTensor(const std::vector<std::int64_t>& values) {
  return torch::tensor(at::ArrayRef<std::int64_t>(values),
                       torch::TensorOptions().dtype(torch::kLong));
}

std::int64_t categoryCount(const TrainingData& data) {
  std::int64_t categories = std::int64_t(data.categoryNames.size());
  for (const std::int32_t c : data.itemCategory)
    categories = std::max<std::int64_t>(categories, c + 1);
  return categories;
}

std::vector<std::int64_t> categoryRows(const TrainingData& data, std::int64_t categories) {
  std::vector<std::int64_t> rows(std::size_t(data.itemCount), 0);
  for (std::size_t i = 0; i < data.itemCategory.size() && i < rows.size(); ++i) {
    const std::int32_t c = data.itemCategory[i];
    rows[i] = c >= 0 && c < categories ? c + 1 : 0;
  }
  return rows;
}

std::vector<std::int64_t> priceBands(const std::vector<float>& prices, std::int64_t items,
                                     int bands) {
  std::vector<std::int64_t> band(std::size_t(items), 0);
  if (prices.size() != std::size_t(items)) return band;
  std::vector<float> known;
  for (float p : prices)
    if (std::isfinite(p)) known.push_back(p);
  std::sort(known.begin(), known.end());
  for (std::size_t i = 0; i < band.size(); ++i) {
    if (!std::isfinite(prices[i])) continue;
    const auto rank =
        std::size_t(std::lower_bound(known.begin(), known.end(), prices[i]) - known.begin());
    band[i] = 1 + std::min<std::int64_t>(bands - 1,
                                         std::int64_t(rank * std::size_t(bands) / known.size()));
  }
  return band;
}

TitleTokens titleTokens(const std::vector<std::string>& titles, std::int64_t items, int minItems,
                        int maxTokens, int maxPerItem) {
  // Each item's distinct tokens in title order, and the number of items per token.
  std::vector<std::vector<std::string>> itemTokens(static_cast<std::size_t>(items));
  std::unordered_map<std::string, std::int64_t> itemsWith;
  for (std::size_t i = 0; i < itemTokens.size() && i < titles.size(); ++i) {
    for (auto& token : contentTokens(titles[i], {})) {
      auto& list = itemTokens[i];
      if (std::find(list.begin(), list.end(), token) != list.end()) continue;
      ++itemsWith[token];
      list.push_back(std::move(token));
    }
  }
  std::vector<std::pair<std::int64_t, std::string>> kept;
  for (const auto& [token, count] : itemsWith)
    if (count >= minItems) kept.emplace_back(-count, token);
  std::sort(kept.begin(), kept.end());  // most frequent first, ties by text: deterministic
  if (kept.size() > std::size_t(maxTokens)) kept.resize(std::size_t(maxTokens));
  std::unordered_map<std::string, std::int64_t> row;
  for (std::size_t t = 0; t < kept.size(); ++t) row.emplace(kept[t].second, std::int64_t(t) + 1);

  TitleTokens out;
  out.vocabulary = std::int64_t(kept.size());
  std::vector<std::vector<std::int64_t>> rows(static_cast<std::size_t>(items));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    for (const auto& token : itemTokens[i]) {
      if (rows[i].size() >= std::size_t(maxPerItem)) break;
      if (const auto it = row.find(token); it != row.end()) rows[i].push_back(it->second);
    }
    out.width = std::max<std::int64_t>(out.width, std::int64_t(rows[i].size()));
  }
  out.rows.assign(std::size_t(items * out.width), 0);
  out.counts.resize(std::size_t(items));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    std::copy(rows[i].begin(), rows[i].end(),
              out.rows.begin() + std::ptrdiff_t(i * std::size_t(out.width)));
    out.counts[i] = std::int64_t(rows[i].size());
  }
  return out;
}

}  // namespace reco::deep
