#include "core/training/similarity_selection.h"

#include <algorithm>
#include <charconv>
#include <numeric>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "core/common/error.h"
#include "core/storage/database.h"
#include "core/storage/item_counts.h"
#include "core/storage/user_store.h"
#include "core/training/run_lists.h"

namespace reco {
namespace {

constexpr const char* kItemForms = "top:N, category:NAME, ids:A,B,C or user:ID";
constexpr const char* kUserForms = "top:N or ids:A,B,C";
constexpr std::size_t kSkippedShown = 3;  // reasons quoted in a "nothing left" message

std::string limitText() {
  return std::to_string(kMaxSimilarityEntities);
}

std::int32_t parseCount(std::string_view text, const std::string& whole) {
  std::int32_t count = 0;
  const char* end = text.data() + text.size();
  const auto [at, error] = std::from_chars(text.data(), end, count);
  const bool wholeNumber =
      at == end && (error == std::errc() || error == std::errc::result_out_of_range);
  if (wholeNumber && (error != std::errc() || count > kMaxSimilarityEntities))
    throw Error(ErrorKind::Config, "a similarity matrix compares at most " + limitText() +
                                       " items or users; found '" + whole + "'");
  if (!wholeNumber || count < 1)
    throw Error(ErrorKind::Config,
                "expected a whole number of at least 1 after 'top:', found '" + whole + "'");
  return count;
}

std::vector<std::string> splitIds(std::string_view text) {
  std::vector<std::string> ids;
  while (!text.empty()) {
    const auto comma = std::min(text.find(','), text.size());
    if (comma > 0) ids.emplace_back(text.substr(0, comma));
    text.remove_prefix(std::min(comma + 1, text.size()));
  }
  return ids;
}

// "left out: A; B; C (and 4 more)": the first reasons of a selection that left nothing.
std::string skippedSummary(const std::vector<std::string>& skipped) {
  if (skipped.empty()) return "";
  std::string text = " (left out: ";
  for (std::size_t i = 0; i < std::min(skipped.size(), kSkippedShown); ++i)
    text += (i > 0 ? "; " : "") + skipped[i];
  if (skipped.size() > kSkippedShown)
    text += "; and " + std::to_string(skipped.size() - kSkippedShown) + " more";
  return text + ")";
}

// The dataset's items of `category` with interactions, most popular first (ties: lower
// index first), at most `count`. Throws Config naming a few categories when there are none.
std::vector<std::int32_t> itemsOfCategory(storage::Workspace& workspace, DatasetId dataset,
                                          const std::string& category, std::size_t count,
                                          const std::vector<std::int64_t>& counts) {
  std::vector<std::int32_t> items;
  storage::Statement st(workspace.db(),
                        "SELECT idx FROM items WHERE dataset_id = ?1 AND category = ?2");
  st.bind(1, dataset).bind(2, category);
  while (st.step()) {
    const auto item = std::int32_t(st.columnInt(0));
    if (std::size_t(item) < counts.size() && counts[std::size_t(item)] > 0) items.push_back(item);
  }
  if (items.empty()) {
    const DatasetStats stats = workspace.stats(dataset);
    std::string known;
    std::size_t listed = 0, named = 0;
    for (const CategoryShare& share : stats.categories) {
      if (share.category.empty()) continue;
      ++named;
      if (listed == 5) continue;
      known += (listed++ > 0 ? "', '" : "'") + share.category;
    }
    throw Error(ErrorKind::Config,
                "dataset '" + stats.info.name + "' has no items of category '" + category + "'" +
                    (named == 0 ? std::string(" (it has no categories)")
                                : "; its most chosen categories are " + known + "'" +
                                      (named > listed ? " (" + std::to_string(named) + " in all)"
                                                      : std::string())));
  }
  const std::size_t keep = std::min(count, items.size());
  std::partial_sort(items.begin(), items.begin() + std::ptrdiff_t(keep), items.end(),
                    [&counts](std::int32_t a, std::int32_t b) {
                      const auto ca = counts[std::size_t(a)], cb = counts[std::size_t(b)];
                      return ca != cb ? ca > cb : a < b;
                    });
  items.resize(keep);
  return items;
}

// External ids to item indices through the model file's id map; unknown and repeated ids
// are skipped with a reason.
std::vector<std::int32_t> itemsOfIds(const LoadedModel& model, const std::vector<std::string>& ids,
                                     std::vector<std::string>& skipped) {
  std::unordered_map<std::string_view, std::int32_t> index;
  const auto& itemIds = model.header.itemIds;
  index.reserve(itemIds.size());
  for (std::size_t i = 0; i < itemIds.size(); ++i)
    if (!itemIds[i].empty()) index.emplace(itemIds[i], std::int32_t(i));
  std::vector<std::int32_t> items;
  items.reserve(ids.size());
  std::unordered_set<std::int32_t> seen;
  for (const std::string& id : ids) {
    const auto it = index.find(id);
    if (it == index.end())
      skipped.push_back("unknown item id '" + id + "'");
    else if (!seen.insert(it->second).second)
      skipped.push_back("item '" + id + "' is listed twice");
    else
      items.push_back(it->second);
  }
  return items;
}

}  // namespace

SimilaritySelection parseSimilaritySelection(const std::string& text, bool users) {
  const auto colon = text.find(':');
  const std::string kind = text.substr(0, colon);
  const std::string rest = colon == std::string::npos ? "" : text.substr(colon + 1);
  if (colon == std::string::npos || rest.empty())
    throw Error(ErrorKind::Config,
                std::string("expected ") + (users ? "a user selection " : "an item selection ") +
                    (users ? kUserForms : kItemForms) + ", found '" + text + "'");
  SimilaritySelection selection;
  if (kind == "top") {
    selection.kind =
        users ? SimilaritySelection::Kind::TopUsers : SimilaritySelection::Kind::TopItems;
    selection.count = parseCount(rest, text);
  } else if (kind == "ids") {
    selection.kind =
        users ? SimilaritySelection::Kind::UserIds : SimilaritySelection::Kind::ItemIds;
    selection.ids = splitIds(rest);
  } else if (!users && kind == "category") {
    selection.kind = SimilaritySelection::Kind::Category;
    selection.name = rest;
  } else if (!users && kind == "user") {
    selection.kind = SimilaritySelection::Kind::UserList;
    selection.name = rest;
  } else {
    throw Error(ErrorKind::Config,
                std::string("expected ") + (users ? "a user selection " : "an item selection ") +
                    (users ? kUserForms : kItemForms) + ", found '" + text + "'");
  }
  detail::checkSelectionSize(selection);
  return selection;
}

SimilarityOrder parseSimilarityOrder(const std::string& text) {
  if (text == "listed") return SimilarityOrder::Listed;
  if (text == "category") return SimilarityOrder::Category;
  if (text == "cluster") return SimilarityOrder::Cluster;
  throw Error(ErrorKind::Config,
              "expected an order listed, category or cluster, found '" + text + "'");
}

namespace detail {

void checkSelectionSize(const SimilaritySelection& selection) {
  using Kind = SimilaritySelection::Kind;
  const bool byIds = selection.kind == Kind::ItemIds || selection.kind == Kind::UserIds;
  const std::size_t size = byIds ? selection.ids.size() : std::size_t(std::max(0, selection.count));
  if (size == 0)
    throw Error(ErrorKind::Config,
                byIds ? "the selection lists no ids" : "the selection's count must be at least 1");
  if (size > std::size_t(kMaxSimilarityEntities))
    throw Error(ErrorKind::Config, "a similarity matrix compares at most " + limitText() +
                                       " items or users; the selection names " +
                                       std::to_string(size));
  if ((selection.kind == Kind::Category || selection.kind == Kind::UserList) &&
      selection.name.empty())
    throw Error(ErrorKind::Config, "the selection names no category or user");
}

SimilarityEntities selectSimilarityItems(storage::Workspace& workspace, const storage::RunInfo& run,
                                         const LoadedModel& model, const storage::SplitInfo& split,
                                         const SimilaritySelection& selection,
                                         const std::vector<std::int64_t>& counts) {
  using Kind = SimilaritySelection::Kind;
  SimilarityEntities out;
  std::vector<std::int32_t> candidates;  // dataset item indices, in the selection's order
  switch (selection.kind) {
    case Kind::TopItems:
      candidates = storage::mostPopularItems(counts, std::size_t(selection.count));
      break;
    case Kind::Category:
      candidates = itemsOfCategory(workspace, run.datasetId, selection.name,
                                   std::size_t(selection.count), counts);
      break;
    case Kind::ItemIds: candidates = itemsOfIds(model, selection.ids, out.skipped); break;
    case Kind::UserList: {
      const auto user = storage::findUser(workspace, run.datasetId, selection.name);
      if (!user)
        throw Error(ErrorKind::Config,
                    "no user '" + selection.name + "' in the dataset of run '" + run.name + "'");
      // The run's list exactly as `reco recommend` and the Users panel show it.
      const RunList list =
          runListForUser(workspace, run, model, split, *user, std::size_t(selection.count));
      candidates.reserve(list.items.size());
      for (const RunListItem& item : list.items) candidates.push_back(item.meta.item);
      break;
    }
    case Kind::TopUsers:
    case Kind::UserIds: throw Error(ErrorKind::Internal, "selectSimilarityItems: a user selection");
  }
  auto meta = storage::loadItemMeta(workspace, run.datasetId, candidates);
  const auto& itemIds = model.header.itemIds;
  const std::size_t modelItems = model.model->itemCount();
  out.labels.reserve(candidates.size());
  for (storage::ItemMeta& item : meta) {
    const auto i = std::size_t(item.item);
    if (i >= modelItems || i >= itemIds.size() || itemIds[i].empty()) {
      // An item without an external id is named by its index.
      const std::string name = item.externalId.empty() ? std::to_string(i) : item.externalId;
      out.skipped.push_back("item '" + name + "' is not in the data run '" + run.name +
                            "' was trained on");
      continue;
    }
    SimilarityLabel label;
    label.index = item.item;
    label.externalId = std::move(item.externalId);
    label.title = std::move(item.title);
    label.category = std::move(item.category);
    label.price = item.price;
    label.interactions = i < counts.size() ? counts[i] : 0;
    out.labels.push_back(std::move(label));
  }
  if (out.labels.empty())
    throw Error(ErrorKind::Config, "the selection names no item of the data run '" + run.name +
                                       "' was trained on" + skippedSummary(out.skipped));
  return out;
}

std::optional<SimilarityEntities> selectSimilarityUsers(
    storage::Workspace& workspace, const storage::RunInfo& run, const LoadedModel& model,
    const SimilaritySelection& selection, JobObserver* observer, std::stop_token stop) {
  using Kind = SimilaritySelection::Kind;
  RECO_CHECK(selection.comparesUsers(), ErrorKind::Internal,
             "selectSimilarityUsers: an item selection");
  const storage::UserSummaries users =
      storage::summarizeUsers(workspace, run.datasetId, observer, stop);
  if (users.outcome == Outcome::Stopped) return std::nullopt;
  SimilarityEntities out;
  std::vector<std::size_t> rows;  // rows of `users`, in the selection's order
  if (selection.kind == Kind::TopUsers) {
    rows.resize(users.size());
    std::iota(rows.begin(), rows.end(), std::size_t(0));
    const std::size_t keep = std::min(rows.size(), std::size_t(selection.count));
    // Most interactions first; ties by the lower index (the rows are by index ascending).
    std::partial_sort(rows.begin(), rows.begin() + std::ptrdiff_t(keep), rows.end(),
                      [&users](std::size_t a, std::size_t b) {
                        return users.interactions[a] != users.interactions[b]
                                   ? users.interactions[a] > users.interactions[b]
                                   : a < b;
                      });
    rows.resize(keep);
  } else if (selection.kind == Kind::UserIds) {
    std::unordered_map<std::string_view, std::size_t> rowOf;
    rowOf.reserve(users.size());
    for (std::size_t r = 0; r < users.size(); ++r) rowOf.emplace(users.externalId(r), r);
    std::unordered_set<std::size_t> seen;
    rows.reserve(selection.ids.size());
    for (const std::string& id : selection.ids) {
      const auto it = rowOf.find(id);
      if (it == rowOf.end())
        out.skipped.push_back("unknown user id '" + id + "'");
      else if (!seen.insert(it->second).second)
        out.skipped.push_back("user '" + id + "' is listed twice");
      else
        rows.push_back(it->second);
    }
  }
  const auto& userIds = model.header.userIds;
  const std::size_t modelUsers = model.model->userCount();
  out.labels.reserve(rows.size());
  for (const std::size_t row : rows) {
    const auto u = std::size_t(users.users[row]);
    const std::string id(users.externalId(row));
    if (u >= modelUsers || u >= userIds.size() || userIds[u].empty()) {
      out.skipped.push_back("user '" + id + "' is not in the data run '" + run.name +
                            "' was trained on");
      continue;
    }
    SimilarityLabel label;
    label.index = users.users[row];
    label.externalId = id;
    label.category = users.categoryName(users.topCategory[row]);
    label.interactions = users.interactions[row];
    out.labels.push_back(std::move(label));
  }
  if (out.labels.empty())
    throw Error(ErrorKind::Config, "the selection names no user of the data run '" + run.name +
                                       "' was trained on" + skippedSummary(out.skipped));
  return out;
}

}  // namespace detail
}  // namespace reco
