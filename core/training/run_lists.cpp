#include "core/training/run_lists.h"

#include <span>
#include <unordered_set>

#include "core/common/error.h"

namespace reco {

RunList runListForUser(storage::Workspace& workspace, const storage::RunInfo& run,
                       const LoadedModel& model, const storage::SplitInfo& split, std::int32_t user,
                       std::size_t n) {
  const auto& userIds = model.header.userIds;
  if (user < 0 || std::size_t(user) >= userIds.size() || userIds[std::size_t(user)].empty())
    throw Error(ErrorKind::Config,
                "the user is not in the data run '" + run.name + "' was trained on");
  const auto parts = storage::loadUserSplitParts(workspace, split, user);
  const std::unordered_set<std::int32_t> test(parts.test.begin(), parts.test.end());
  const auto top = model.model->recommend(UserIndex{user}, parts.train, n);
  RunList list;
  list.userId = userIds[std::size_t(user)];
  list.trainingItems = parts.train.size();
  std::vector<std::int32_t> items;
  items.reserve(top.size());
  for (const auto& scored : top) items.push_back(scored.item.value);
  auto meta = storage::loadItemMeta(workspace, run.datasetId, items);
  list.items.reserve(top.size());
  for (std::size_t r = 0; r < top.size(); ++r) {
    const Explanation e = model.model->explain(UserIndex{user}, top[r].item, parts.train);
    list.items.push_back({std::move(meta[r]), top[r].score, test.count(items[r]) > 0,
                          resolveReason(workspace, run.datasetId, e)});
  }
  return list;
}

std::vector<SimilarItem> similarItemsOf(storage::Workspace& workspace, const storage::RunInfo& run,
                                        const LoadedModel& model, std::int32_t item,
                                        std::size_t n) {
  if (!(model.model->capabilities() & kCanSimilarItems))
    throw Error(ErrorKind::Config, "model '" + run.model + "' has no notion of similar items");
  const auto& itemIds = model.header.itemIds;
  if (item < 0 || std::size_t(item) >= itemIds.size() || itemIds[std::size_t(item)].empty())
    throw Error(ErrorKind::Config,
                "the item is not in the data run '" + run.name + "' was trained on");
  const auto similar = model.model->similarItems(ItemIndex{item}, n);
  std::vector<std::int32_t> items;
  items.reserve(similar.size());
  for (const auto& scored : similar) items.push_back(scored.item.value);
  auto meta = storage::loadItemMeta(workspace, run.datasetId, items);
  std::vector<SimilarItem> list;
  list.reserve(similar.size());
  for (std::size_t r = 0; r < similar.size(); ++r)
    list.push_back({std::move(meta[r]), similar[r].score});
  return list;
}

std::string resolveReason(storage::Workspace& workspace, DatasetId dataset,
                          const Explanation& explanation) {
  std::string reason = explanation.reason;
  const auto at = reason.find("{item}");
  if (at == std::string::npos) return reason;
  std::string title = "an item";
  if (!explanation.because.empty()) {
    const std::int32_t item = explanation.because.front().item.value;
    const auto meta = storage::loadItemMeta(workspace, dataset, std::span(&item, 1));
    title = meta.front().title.empty() ? meta.front().externalId : meta.front().title;
  }
  reason.replace(at, 6, title);
  return reason;
}

}  // namespace reco
