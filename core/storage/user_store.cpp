#include "core/storage/user_store.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

#include "core/common/error.h"
#include "core/storage/dataset_shape.h"

namespace reco::storage {

namespace {

constexpr std::uint64_t kProgressEvery = 65536;  // rows between progress reports
constexpr std::uint64_t kStopEvery = 4096;       // rows between stop checks

// Linear interpolation between order statistics of a sorted, non-empty sequence.
double quantile(const std::vector<double>& sorted, double q) {
  const double position = q * double(sorted.size() - 1);
  const auto below = std::size_t(std::floor(position));
  const std::size_t above = std::min(below + 1, sorted.size() - 1);
  const double fraction = position - double(below);
  return sorted[below] + (sorted[above] - sorted[below]) * fraction;
}

/// The dataset's users in index order (the table's key order) into `out`: ids, the
/// interaction counts the import stored, no time and no category yet.
void readUsers(Workspace& workspace, DatasetId dataset, UserSummaries& out) {
  Statement st(workspace.db(),
               "SELECT idx, external_id, n_interactions FROM users WHERE dataset_id = ?1 "
               "ORDER BY idx");
  st.bind(1, dataset);
  out.idOffsets.push_back(0);
  while (st.step()) {
    out.users.push_back(std::int32_t(st.columnInt(0)));
    out.idPool += st.columnBytes(1);
    out.idOffsets.push_back(std::uint32_t(out.idPool.size()));
    out.interactions.push_back(std::int32_t(st.columnInt(2)));
  }
  out.lastActive.assign(out.users.size(), UserSummaries::kNoTime);
  out.topCategory.assign(out.users.size(), -1);
}

}  // namespace

const std::string& UserSummaries::categoryName(std::int32_t code) const {
  static const std::string kNone;
  return code < 0 || std::size_t(code) >= categories.size() ? kNone : categories[std::size_t(code)];
}

std::ptrdiff_t UserSummaries::rowOfUser(std::int32_t user) const {
  const auto it = std::lower_bound(users.begin(), users.end(), user);
  return it != users.end() && *it == user ? it - users.begin() : -1;
}

std::size_t UserSummaries::bytes() const {
  std::size_t total =
      users.capacity() * sizeof(std::int32_t) + interactions.capacity() * sizeof(std::int32_t) +
      lastActive.capacity() * sizeof(std::int64_t) + topCategory.capacity() * sizeof(std::int32_t) +
      idPool.capacity() + idOffsets.capacity() * sizeof(std::uint32_t);
  for (const auto& name : categories) total += sizeof(std::string) + name.capacity();
  return total;
}

UserSummaries summarizeUsers(Workspace& workspace, DatasetId dataset, JobObserver* observer,
                             std::stop_token stop) {
  const std::optional<DatasetInfo> info = workspace.findDataset(dataset);
  RECO_CHECK(info.has_value(), ErrorKind::Config, "no dataset with id " + std::to_string(dataset));
  UserSummaries out;
  const DatasetShape shape = datasetShape(workspace, dataset);

  // Categories: sorted distinct names, and the code of every item index.
  std::vector<std::int32_t> itemCategory;
  {
    std::map<std::string, std::int32_t> codes;
    std::vector<std::pair<std::int32_t, std::string>> items;
    Statement st(workspace.db(), "SELECT idx, category FROM items WHERE dataset_id = ?1");
    st.bind(1, dataset);
    while (st.step()) {
      std::string category = st.columnText(1);
      if (!category.empty()) codes.emplace(category, 0);
      items.emplace_back(std::int32_t(st.columnInt(0)), std::move(category));
    }
    for (auto& [name, code] : codes) {
      code = std::int32_t(out.categories.size());
      out.categories.push_back(name);
    }
    itemCategory.assign(std::size_t(shape.items), -1);
    for (const auto& [idx, name] : items) {
      requireStoredIndex(dataset, idx, shape.items, "item index");
      if (!name.empty()) itemCategory[std::size_t(idx)] = codes[name];
    }
  }

  // Users in index order, with their external ids; the counts are made by the scan below.
  readUsers(workspace, dataset, out);
  const std::size_t userCount = out.users.size();
  out.interactions.assign(userCount, 0);

  // One scan in key order: each user's rows are contiguous, so one counter array over the
  // categories (reset through the touched list) serves every user.
  std::vector<std::int32_t> categoryCount(out.categories.size(), 0);
  std::vector<std::int32_t> touched;
  std::size_t row = 0;
  std::int32_t currentUser = -1;
  const auto finishUser = [&] {
    if (currentUser < 0) return;
    std::int32_t best = -1;
    for (const std::int32_t code : touched) {
      // Codes follow name order, so the smaller code wins a tie.
      if (best < 0 || categoryCount[std::size_t(code)] > categoryCount[std::size_t(best)] ||
          (categoryCount[std::size_t(code)] == categoryCount[std::size_t(best)] && code < best))
        best = code;
    }
    for (const std::int32_t code : touched) categoryCount[std::size_t(code)] = 0;
    touched.clear();
    if (row < userCount && out.users[row] == currentUser) out.topCategory[row] = best;
  };
  Statement st(workspace.db(),
               "SELECT user_idx, item_idx, time FROM interactions WHERE dataset_id = ?1 ORDER BY "
               "user_idx, seq");
  st.bind(1, dataset);
  std::uint64_t done = 0;
  const auto total = std::uint64_t(std::max<std::int64_t>(0, info->interactions));
  report(observer, Progress{"summarising users", 0, total});
  while (st.step()) {
    const auto user = std::int32_t(st.columnInt(0));
    if (user != currentUser) {
      finishUser();
      currentUser = user;
      while (row < userCount && out.users[row] < user) ++row;
    }
    if (row < userCount && out.users[row] == user) {
      ++out.interactions[row];
      if (!st.isNull(2)) out.lastActive[row] = std::max(out.lastActive[row], st.columnInt(2));
      const auto item = st.columnInt(1);
      if (item >= 0 && std::size_t(item) < itemCategory.size()) {
        const std::int32_t code = itemCategory[std::size_t(item)];
        if (code >= 0 && categoryCount[std::size_t(code)]++ == 0) touched.push_back(code);
      }
    }
    ++done;
    if (done % kStopEvery == 0 && stop.stop_requested()) {
      UserSummaries stopped;
      stopped.outcome = Outcome::Stopped;
      return stopped;
    }
    if (done % kProgressEvery == 0) report(observer, Progress{"summarising users", done, total});
  }
  finishUser();
  report(observer, Progress{"summarising users", done, total});
  return out;
}

UserSummaries readUserCounts(Workspace& workspace, DatasetId dataset) {
  const std::optional<DatasetInfo> info = workspace.findDataset(dataset);
  RECO_CHECK(info.has_value(), ErrorKind::Config, "no dataset with id " + std::to_string(dataset));
  UserSummaries out;
  out.partial = true;
  readUsers(workspace, dataset, out);
  return out;
}

std::optional<std::int32_t> findUser(Workspace& workspace, DatasetId dataset,
                                     const std::string& externalId) {
  Statement st(workspace.db(), "SELECT idx FROM users WHERE dataset_id = ?1 AND external_id = ?2");
  st.bind(1, dataset).bind(2, externalId);
  if (!st.step()) return std::nullopt;
  return std::int32_t(st.columnInt(0));
}

UserHistory loadUserHistory(Workspace& workspace, DatasetId dataset, std::int32_t user) {
  const std::optional<DatasetInfo> info = workspace.findDataset(dataset);
  RECO_CHECK(info.has_value(), ErrorKind::Config, "no dataset with id " + std::to_string(dataset));
  UserHistory history;
  history.dataset = dataset;
  history.user = user;
  history.feedback = info->feedback;
  {
    Statement st(workspace.db(),
                 "SELECT external_id FROM users WHERE dataset_id = ?1 AND idx = ?2");
    st.bind(1, dataset).bind(2, std::int64_t(user));
    if (!st.step())
      throw Error(ErrorKind::Config,
                  "dataset '" + info->name + "' has no user with index " + std::to_string(user));
    history.externalId = st.columnText(0);
  }
  std::unordered_map<std::int64_t, std::string> events;
  {
    Statement st(workspace.db(), "SELECT code, name FROM event_types WHERE dataset_id = ?1");
    st.bind(1, dataset);
    while (st.step()) events.emplace(st.columnInt(0), st.columnText(1));
  }
  // The user's key range, joined to the item rows by primary key.
  Statement st(workspace.db(),
               "SELECT i.seq, i.time, i.item_idx, i.event, i.value, it.external_id, it.title, "
               "it.category, it.price "
               "FROM interactions i LEFT JOIN items it ON it.dataset_id = i.dataset_id AND it.idx "
               "= i.item_idx "
               "WHERE i.dataset_id = ?1 AND i.user_idx = ?2 ORDER BY i.seq");
  st.bind(1, dataset).bind(2, std::int64_t(user));
  while (st.step()) {
    HistoryEntry entry;
    entry.seq = st.columnInt(0);
    entry.time = st.columnOptionalInt(1);
    entry.item.item = std::int32_t(st.columnInt(2));
    const auto event = events.find(st.columnInt(3));
    if (event != events.end()) entry.event = event->second;
    entry.value = st.columnDouble(4);
    entry.item.externalId = st.columnText(5);
    entry.item.title = st.columnText(6);
    entry.item.category = st.columnText(7);
    entry.item.price = st.columnOptionalDouble(8);
    history.entries.push_back(std::move(entry));
  }
  // Stable: equal times (and no times) keep the import order.
  std::stable_sort(history.entries.begin(), history.entries.end(),
                   [](const HistoryEntry& a, const HistoryEntry& b) {
                     return a.time.value_or(INT64_MIN) < b.time.value_or(INT64_MIN);
                   });
  return history;
}

UserProfile summarizeHistory(const UserHistory& history) {
  UserProfile profile;
  std::map<std::string, CategoryShare> categories;
  std::unordered_map<std::int32_t, std::string> itemCategory;
  for (const HistoryEntry& entry : history.entries) {
    CategoryShare& share = categories[entry.item.category];
    share.category = entry.item.category;
    ++share.interactions;
    if (itemCategory.emplace(entry.item.item, entry.item.category).second) ++share.items;
    if (entry.item.price && std::isfinite(*entry.item.price))
      profile.pricesSorted.push_back(*entry.item.price);
    if (entry.time) profile.times.push_back(*entry.time);
  }
  profile.distinctItems = std::int64_t(itemCategory.size());
  for (auto& [name, share] : categories) profile.categories.push_back(std::move(share));
  std::stable_sort(profile.categories.begin(), profile.categories.end(),
                   [](const CategoryShare& a, const CategoryShare& b) {
                     return a.interactions > b.interactions;
                   });
  std::sort(profile.pricesSorted.begin(), profile.pricesSorted.end());
  std::sort(profile.times.begin(), profile.times.end());
  if (!profile.times.empty()) {
    profile.firstTime = profile.times.front();
    profile.lastTime = profile.times.back();
  }
  if (!profile.pricesSorted.empty()) {
    const auto& p = profile.pricesSorted;
    profile.prices = PriceBand{p.size(),         p.front(),         quantile(p, 0.25),
                               quantile(p, 0.5), quantile(p, 0.75), p.back()};
  }
  return profile;
}

UserSplitParts loadUserSplitParts(Workspace& workspace, const SplitInfo& split, std::int32_t user) {
  // The parts a run's list excludes and marks (core/training/run_lists.h): `reco recommend`,
  // `reco explain` and the Users panel all read them here.
  std::unordered_map<std::int32_t, int> held;  // item -> part (1 valid, 2 test)
  Statement parts(workspace.db(),
                  "SELECT item_idx, part FROM split_pairs WHERE split_id = ?1 AND user_idx = ?2");
  parts.bind(1, split.id).bind(2, std::int64_t(user));
  while (parts.step()) held[std::int32_t(parts.columnInt(0))] = int(parts.columnInt(1));
  UserSplitParts out;
  for (const Pair& pair :
       loadUserPairs(workspace, split.datasetId, user, split.options.ratingThreshold)) {
    const auto it = held.find(pair.item);
    if (it == held.end()) {
      out.train.push_back(ItemIndex{pair.item});
    } else if (it->second == 2) {
      out.test.push_back(pair.item);
    } else {
      out.valid.push_back(pair.item);
    }
  }
  return out;
}

std::vector<ItemMeta> loadItemMeta(Workspace& workspace, DatasetId dataset,
                                   std::span<const std::int32_t> items) {
  std::vector<ItemMeta> out(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) out[i].item = items[i];
  // A few items: one primary-key lookup each. Many (an item map of 100k items): one pass
  // over the dataset's items in key order, merged with the requests sorted by index, which
  // is ~20 times cheaper per item than a lookup.
  constexpr std::size_t kScanFrom = 4096;
  if (items.size() < kScanFrom) {
    Statement st(workspace.db(),
                 "SELECT external_id, title, category, price FROM items WHERE dataset_id = ?1 "
                 "AND idx = ?2");
    for (ItemMeta& meta : out) {
      st.reset();
      st.bind(1, dataset).bind(2, std::int64_t(meta.item));
      if (st.step()) {
        meta.externalId = st.columnText(0);
        meta.title = st.columnText(1);
        meta.category = st.columnText(2);
        meta.price = st.columnOptionalDouble(3);
      }
    }
    return out;
  }
  std::vector<std::size_t> order(items.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&items](std::size_t a, std::size_t b) { return items[a] < items[b]; });
  Statement st(workspace.db(),
               "SELECT idx, external_id, title, category, price FROM items WHERE dataset_id = ?1 "
               "ORDER BY idx");
  st.bind(1, dataset);
  std::size_t next = 0;  // into order
  while (next < order.size() && st.step()) {
    const std::int64_t idx = st.columnInt(0);
    while (next < order.size() && items[order[next]] < idx) ++next;  // unknown indices
    if (next == order.size() || items[order[next]] != idx) continue;
    ItemMeta& first = out[order[next]];
    first.externalId = st.columnText(1);
    first.title = st.columnText(2);
    first.category = st.columnText(3);
    first.price = st.columnOptionalDouble(4);
    for (++next; next < order.size() && items[order[next]] == idx; ++next) {
      ItemMeta& again = out[order[next]];  // the same item asked for twice
      again.externalId = first.externalId;
      again.title = first.title;
      again.category = first.category;
      again.price = first.price;
    }
  }
  return out;
}

std::vector<ItemIndex> trainingItemsInTimeOrder(Workspace& workspace, DatasetId dataset,
                                                std::int32_t user,
                                                std::span<const ItemIndex> train) {
  std::unordered_map<std::int32_t, std::size_t> lastSeen;
  for (const ItemIndex item : train) lastSeen.emplace(item.value, std::size_t(-1));
  const UserHistory history = loadUserHistory(workspace, dataset, user);
  for (std::size_t k = 0; k < history.entries.size(); ++k) {
    const auto it = lastSeen.find(history.entries[k].item.item);
    if (it != lastSeen.end()) it->second = k;
  }
  std::vector<std::pair<std::size_t, std::int32_t>> order;
  order.reserve(lastSeen.size());
  for (const auto& [item, position] : lastSeen) order.emplace_back(position, item);
  std::sort(order.begin(), order.end());  // unseen ones (position -1) last, by index
  std::vector<ItemIndex> items;
  items.reserve(order.size());
  for (const auto& [position, item] : order) items.push_back(ItemIndex{item});
  return items;
}

}  // namespace reco::storage
