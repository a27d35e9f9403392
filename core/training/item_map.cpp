// The item map's one home (issue 13): which items, which vectors, which layout, and what the
// map labels and colours its points by. `reco embed` and the workbench's map both call it.
#include "core/training/item_map.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <span>
#include <string>
#include <utility>

#include <Eigen/Dense>

#include "core/common/error.h"
#include "core/common/parallel.h"
#include "core/common/random.h"
#include "core/storage/item_counts.h"
#include "core/storage/user_store.h"

namespace reco {
namespace {

using RowMatrixF = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// The similarity rows of a model without item vectors are projected to this many dimensions
// by a Gaussian random matrix (Johnson-Lindenstrauss: distances and cosines survive roughly),
// so that the items x items matrix never exists: only kSimilarityRowBlock rows of it at a time.
constexpr std::size_t kProjectedDimensions = 64;
constexpr std::size_t kSimilarityRowBlock = 256;
// Fixed, so that a run's PCA map is always the same (--seed is the neighbour layout's).
constexpr std::uint64_t kProjectionSeed = 0x17E3A5;

std::string withThousands(std::size_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// The rows of `items` of the model's item vectors: items.size() x dim, row-major.
std::vector<float> itemVectorRows(const Recommender& model, const std::vector<ItemIndex>& items,
                                  std::size_t& dim) {
  std::vector<float> all;
  dim = model.itemEmbeddings(all);
  std::vector<float> rows;
  rows.reserve(items.size() * dim);
  for (const ItemIndex item : items) {
    const auto at = all.begin() + std::ptrdiff_t(std::size_t(item.value) * dim);
    rows.insert(rows.end(), at, at + std::ptrdiff_t(dim));
  }
  return rows;
}

// The similarity rows of `items` (to every one of `items`), each times a fixed Gaussian matrix:
// items.size() x kProjectedDimensions. Blocks of rows are computed in parallel; each row's
// result depends only on the block it falls in, never on the thread count. nullopt when stopped.
std::optional<std::vector<float>> projectedSimilarityRows(const Recommender& model,
                                                          const std::vector<ItemIndex>& items,
                                                          int threads, JobObserver* observer,
                                                          const std::stop_token& stop) {
  const std::size_t m = items.size();
  RowMatrixF projection = RowMatrixF(Eigen::Index(m), Eigen::Index(kProjectedDimensions));
  Random random(kProjectionSeed);
  const float scale = 1.0f / std::sqrt(float(kProjectedDimensions));
  for (Eigen::Index r = 0; r < projection.rows(); ++r)
    for (Eigen::Index c = 0; c < projection.cols(); ++c)
      projection(r, c) = float(random.normal()) * scale;

  std::vector<float> out(m * kProjectedDimensions);
  const std::size_t blocks = (m + kSimilarityRowBlock - 1) / kSimilarityRowBlock;
  const int workers = resolveThreads(threads);
  const std::size_t blocksPerGroup = 2 * std::size_t(workers);
  report(observer, {"vectors", 0, m});
  for (std::size_t first = 0; first < blocks; first += blocksPerGroup) {
    if (stop.stop_requested()) return std::nullopt;
    const std::size_t inGroup = std::min(blocksPerGroup, blocks - first);
    parallelFor(std::int64_t(inGroup), workers, [&](std::int64_t begin, std::int64_t end, int) {
      std::vector<float> similarities;
      for (auto block = first + std::size_t(begin); block < first + std::size_t(end); ++block) {
        const std::size_t r0 = block * kSimilarityRowBlock;
        const std::size_t r1 = std::min(m, r0 + kSimilarityRowBlock);
        similarities.resize((r1 - r0) * m);
        model.itemSimilarities(std::span(items).subspan(r0, r1 - r0), items, similarities);
        const Eigen::Map<const RowMatrixF> s(similarities.data(), Eigen::Index(r1 - r0),
                                             Eigen::Index(m));
        Eigen::Map<RowMatrixF>(out.data() + r0 * kProjectedDimensions, Eigen::Index(r1 - r0),
                               Eigen::Index(kProjectedDimensions))
            .noalias() = s * projection;
      }
    });
    report(observer, {"vectors", std::min(m, (first + inGroup) * kSimilarityRowBlock), m});
  }
  return out;
}

// Fills the map's categories (by item count descending, then name) and each item's code.
void codeCategories(const std::vector<std::string>& itemCategory, ItemMap& map) {
  std::map<std::string, std::size_t> counts;
  for (const std::string& category : itemCategory)
    if (!category.empty()) ++counts[category];
  std::vector<std::pair<std::string, std::size_t>> sorted(counts.begin(), counts.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::map<std::string, std::int32_t> code;
  map.categories.reserve(sorted.size());
  for (const auto& [name, count] : sorted) {
    code[name] = std::int32_t(map.categories.size());
    map.categories.push_back(name);
  }
  map.categoryCode.reserve(itemCategory.size());
  for (const std::string& category : itemCategory)
    map.categoryCode.push_back(category.empty() ? -1 : code.at(category));
}

}  // namespace

ItemMapMethod parseItemMapMethod(const std::string& text) {
  if (text == "pca") return ItemMapMethod::Pca;
  if (text == "neighbour" || text == "neighbor" || text == "umap") return ItemMapMethod::Neighbour;
  throw Error(ErrorKind::Config,
              "unknown item map method '" + text + "': expected pca or neighbour");
}

std::optional<ItemMap> computeItemMap(storage::Workspace& workspace, const storage::RunInfo& run,
                                      const LoadedModel& model, const storage::SplitInfo& split,
                                      const ItemMapOptions& options, JobObserver* observer,
                                      std::stop_token stop) {
  RECO_CHECK(
      split.id == run.splitId, ErrorKind::Internal,
      "computeItemMap: run '" + run.name + "' was not trained on split '" + split.name + "'");
  const Recommender& recommender = *model.model;
  const unsigned capabilities = recommender.capabilities();
  const bool vectors = (capabilities & kHasItemEmbeddings) != 0;
  if (!vectors && !(capabilities & kCanSimilarItems)) {
    throw Error(ErrorKind::Config, "model '" + run.model +
                                       "' has no item vectors or item similarities, so it has "
                                       "no map");
  }

  // The items of the model that the dataset knows, ascending.
  const std::size_t modelItems = std::min(recommender.itemCount(), model.header.itemIds.size());
  std::vector<std::int32_t> candidates;
  candidates.reserve(modelItems);
  for (std::size_t i = 0; i < modelItems; ++i)
    if (!model.header.itemIds[i].empty()) candidates.push_back(std::int32_t(i));
  auto meta = storage::loadItemMeta(workspace, run.datasetId, candidates);
  ItemMap map;
  std::vector<std::string> itemCategory;
  map.items.reserve(meta.size());
  map.externalIds.reserve(meta.size());
  map.titles.reserve(meta.size());
  itemCategory.reserve(meta.size());
  for (storage::ItemMeta& item : meta) {
    if (item.externalId.empty()) continue;  // not in the dataset
    map.items.push_back(item.item);
    map.externalIds.push_back(std::move(item.externalId));
    map.titles.push_back(std::move(item.title));
    itemCategory.push_back(std::move(item.category));
  }
  meta = {};
  const std::size_t n = map.items.size();
  if (options.method == ItemMapMethod::Neighbour && n > similarity::kMaxNeighbourLayoutRows) {
    throw Error(ErrorKind::Config,
                "the neighbour layout takes at most " +
                    withThousands(similarity::kMaxNeighbourLayoutRows) +
                    " items (its exact neighbour graph grows with the square of the items); run '" +
                    run.name + "' has " + withThousands(n) + ": use the PCA projection");
  }
  if (!vectors && n > kMaxSimilarityRowItems) {
    throw Error(ErrorKind::Config, "model '" + run.model +
                                       "' has no item vectors, and its similarity rows are " +
                                       "items x items: the map projects them for at most " +
                                       withThousands(kMaxSimilarityRowItems) + " items, and run '" +
                                       run.name + "' has " + withThousands(n));
  }

  std::vector<ItemIndex> items;
  items.reserve(n);
  for (const std::int32_t item : map.items) items.push_back(ItemIndex{item});
  std::vector<float> rows;
  std::size_t dim = 0;
  if (vectors) {
    rows = itemVectorRows(recommender, items, dim);
    report(observer, {"vectors", n, n});
    map.source = "item vectors (" + std::to_string(dim) + " dimensions)";
  } else {
    auto projected =
        projectedSimilarityRows(recommender, items, options.neighbour.threads, observer, stop);
    if (!projected) return std::nullopt;
    rows = std::move(*projected);
    dim = kProjectedDimensions;
    map.source = "rows of the " + run.model + " similarity matrix (" + withThousands(n) +
                 " items), randomly projected to " + std::to_string(dim) + " dimensions";
  }

  auto layout =
      options.method == ItemMapMethod::Pca
          ? similarity::principalComponents(rows, n, dim, observer, stop, options.neighbour.threads)
          : similarity::neighbourLayout(rows, n, dim, options.neighbour, observer, stop);
  if (!layout) return std::nullopt;
  map.layout = std::move(*layout);
  rows = {};

  const auto counts = storage::itemInteractionCounts(workspace, run.datasetId, stop);
  if (stop.stop_requested()) return std::nullopt;
  map.popularity.reserve(n);
  for (const std::int32_t item : map.items)
    map.popularity.push_back(std::size_t(item) < counts.size() ? counts[std::size_t(item)] : 0);
  codeCategories(itemCategory, map);
  return map;
}

}  // namespace reco
