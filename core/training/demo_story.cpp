#include "core/training/demo_story.h"

#include <optional>

#include "core/common/json.h"
#include "core/storage/database.h"
#include "core/storage/run_store.h"
#include "core/storage/split_store.h"

namespace reco {
namespace {

constexpr int kDemoK = 10;
constexpr std::size_t kShownRuns = 3;

struct Entity {
  std::int32_t index = 0;
  std::string externalId;
};

// One user of the split's test part chosen by `order` (an ORDER BY over users u), or none.
std::optional<Entity> testUser(storage::Workspace& workspace, const storage::SplitInfo& split,
                               const std::string& where, const std::string& order) {
  storage::Statement select(
      workspace.db(), "SELECT u.idx, u.external_id FROM users u WHERE u.dataset_id = ? " + where +
                          " AND EXISTS (SELECT 1 FROM split_pairs p WHERE p.split_id = ? "
                          "AND p.part = 2 AND p.user_idx = u.idx) ORDER BY " +
                          order + " LIMIT 1");
  select.bind(1, split.datasetId).bind(2, split.id);
  if (!select.step()) return std::nullopt;
  return Entity{std::int32_t(select.columnInt(0)), select.columnText(1)};
}

std::optional<Entity> mostPopularItem(storage::Workspace& workspace, DatasetId dataset) {
  storage::Statement select(workspace.db(),
                            "SELECT idx, external_id FROM items WHERE dataset_id = ? "
                            "ORDER BY n_interactions DESC, idx LIMIT 1");
  select.bind(1, dataset);
  if (!select.step()) return std::nullopt;
  return Entity{std::int32_t(select.columnInt(0)), select.columnText(1)};
}

void writeRuns(JsonWriter& json, const std::vector<std::string>& runs) {
  json.key("runs").beginArray();
  for (const auto& run : runs) json.value(run);
  json.endArray();
}

storage::Bookmark bookmark(storage::BookmarkKind kind, std::string title, std::string state) {
  storage::Bookmark b;
  b.kind = kind;
  b.title = std::move(title);
  b.stateJson = std::move(state);
  return b;
}

}  // namespace

std::vector<storage::Bookmark> demoStory(storage::Workspace& workspace,
                                         const std::string& splitName) {
  std::optional<DatasetInfo> dataset;
  std::optional<storage::SplitInfo> split;
  std::vector<storage::RunInfo> runs;
  const auto allRuns = storage::listRuns(workspace);
  for (const auto& candidate : workspace.datasets()) {
    for (const auto& s : storage::listSplits(workspace, candidate.id)) {
      if (s.name != splitName) continue;
      std::vector<storage::RunInfo> done;
      for (const auto& run : allRuns)
        if (run.splitId == s.id && run.status == "done") done.push_back(run);
      if (done.size() < 2) continue;
      dataset = candidate;
      split = s;
      runs = std::move(done);
      break;
    }
    if (dataset) break;
  }
  if (!dataset) return {};

  std::vector<std::string> all, shown;
  std::string baseline = runs.front().name;
  for (const auto& run : runs) {
    all.push_back(run.name);
    if (run.model == "pop") baseline = run.name;
  }
  for (const auto& run : runs)
    if (run.model != "pop" && shown.size() < kShownRuns) shown.push_back(run.name);
  for (const auto& run : runs)
    if (run.model == "pop" && shown.size() < kShownRuns) shown.push_back(run.name);

  const std::string metric = "ndcg@" + std::to_string(kDemoK);
  std::vector<storage::Bookmark> story;
  {
    JsonWriter json;
    json.beginObject().field("dataset", dataset->name).field("split", split->name);
    writeRuns(json, all);
    json.field("k", kDemoK).field("baseline", baseline).field("metric", metric);
    json.field("tab", "bars").endObject();
    story.push_back(bookmark(storage::BookmarkKind::Compare,
                             "Compare · " + metric + " · " + std::to_string(all.size()) + " runs",
                             json.str()));
  }
  const auto userBookmark = [&](const Entity& user) {
    JsonWriter json;
    json.beginObject().field("dataset", dataset->name).field("split", split->name);
    json.field("user", user.externalId).field("userIndex", std::int64_t(user.index));
    writeRuns(json, shown);
    json.endObject();
    story.push_back(
        bookmark(storage::BookmarkKind::User, "Customer " + user.externalId, json.str()));
  };
  const auto active = testUser(workspace, *split, "", "u.n_interactions DESC, u.idx");
  if (active) userBookmark(*active);
  const auto brief =
      testUser(workspace, *split, "AND u.n_interactions >= 3", "u.n_interactions ASC, u.idx");
  if (brief && (!active || brief->index != active->index)) userBookmark(*brief);
  if (const auto item = mostPopularItem(workspace, dataset->id)) {
    JsonWriter json;
    json.beginObject().field("dataset", dataset->name).field("split", split->name);
    json.field("item", item->externalId).field("itemIndex", std::int64_t(item->index));
    writeRuns(json, shown);
    json.field("tab", "nearest").endObject();
    story.push_back(
        bookmark(storage::BookmarkKind::Item, "Product " + item->externalId, json.str()));
  }
  return story;
}

int addDemoStoryIfEmpty(storage::Workspace& workspace, const std::string& splitName) {
  if (!storage::listBookmarks(workspace).empty()) return 0;
  const auto story = demoStory(workspace, splitName);
  for (const auto& b : story) storage::addBookmark(workspace, b);
  return int(story.size());
}

}  // namespace reco
