#include "core/storage/item_store.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

#include "core/common/error.h"
#include "core/storage/database.h"
#include "core/storage/dataset_shape.h"

namespace reco::storage {

namespace {

constexpr std::uint64_t kProgressEvery = 65536;  // rows between progress reports
constexpr std::uint64_t kStopEvery = 4096;       // rows between stop checks

}  // namespace

const std::string& ItemSummaries::categoryName(std::int32_t code) const {
  static const std::string kNone;
  return code < 0 || std::size_t(code) >= categories.size() ? kNone : categories[std::size_t(code)];
}

std::ptrdiff_t ItemSummaries::rowOfItem(std::int32_t item) const {
  const auto it = std::lower_bound(items.begin(), items.end(), item);
  return it != items.end() && *it == item ? it - items.begin() : -1;
}

std::size_t ItemSummaries::bytes() const {
  std::size_t total =
      items.capacity() * sizeof(std::int32_t) + interactions.capacity() * sizeof(std::int32_t) +
      distinctUsers.capacity() * sizeof(std::int32_t) +
      lastActive.capacity() * sizeof(std::int64_t) + price.capacity() * sizeof(double) +
      category.capacity() * sizeof(std::int32_t) + idPool.capacity() + titlePool.capacity() +
      (idOffsets.capacity() + titleOffsets.capacity()) * sizeof(std::uint32_t);
  for (const auto& name : categories) total += sizeof(std::string) + name.capacity();
  return total;
}

ItemSummaries summarizeItems(Workspace& workspace, DatasetId dataset, JobObserver* observer,
                             std::stop_token stop) {
  const std::optional<DatasetInfo> info = workspace.findDataset(dataset);
  RECO_CHECK(info.has_value(), ErrorKind::Config, "no dataset with id " + std::to_string(dataset));

  // Per item index: rows, distinct users and the latest time. The scan is in key order, so
  // the rows of one user are contiguous and "the last user seen" per item counts each user
  // once without a set. One struct per item: a row touches one cache line, not four (with
  // separate arrays the misses doubled the scan's time on 100k items).
  struct Counts {
    std::int32_t interactions = 0;
    std::int32_t distinctUsers = 0;
    std::int32_t lastUser = -1;
    std::int64_t lastActive = ItemSummaries::kNoTime;
  };
  const DatasetShape shape = datasetShape(workspace, dataset);
  std::vector<Counts> counts(std::size_t(shape.items));
  {
    Statement st(workspace.db(),
                 "SELECT user_idx, item_idx, time FROM interactions WHERE dataset_id = ?1 ORDER BY "
                 "user_idx, seq");
    st.bind(1, dataset);
    std::uint64_t done = 0;
    const auto total = std::uint64_t(std::max<std::int64_t>(0, info->interactions));
    report(observer, Progress{"summarising items", 0, total});
    while (st.step()) {
      const auto user = std::int32_t(st.columnInt(0));
      const auto item = st.columnInt(1);
      requireStoredIndex(dataset, item, shape.items, "an interaction with item index");
      {
        const auto i = std::size_t(item);
        Counts& c = counts[i];
        ++c.interactions;
        if (c.lastUser != user) {
          c.lastUser = user;
          ++c.distinctUsers;
        }
        if (!st.isNull(2)) c.lastActive = std::max(c.lastActive, st.columnInt(2));
      }
      ++done;
      if (done % kStopEvery == 0 && stop.stop_requested()) {
        ItemSummaries stopped;
        stopped.outcome = Outcome::Stopped;
        return stopped;
      }
      if (done % kProgressEvery == 0) report(observer, Progress{"summarising items", done, total});
    }
    report(observer, Progress{"summarising items", done, total});
  }

  // The catalogue in index order: the items with an interaction, their texts pooled. The
  // category codes are provisional (order of first sight) until the names are sorted.
  ItemSummaries out;
  std::unordered_map<std::string, std::int32_t> provisional;
  std::vector<std::string> names;
  out.idOffsets.push_back(0);
  out.titleOffsets.push_back(0);
  Statement st(workspace.db(),
               "SELECT idx, external_id, title, category, price FROM items WHERE dataset_id = ?1 "
               "ORDER BY idx");
  st.bind(1, dataset);
  while (st.step()) {
    const auto item = st.columnInt(0);
    if (item < 0 || std::size_t(item) >= counts.size() ||
        counts[std::size_t(item)].interactions == 0)
      continue;
    const Counts& c = counts[std::size_t(item)];
    out.items.push_back(std::int32_t(item));
    out.interactions.push_back(c.interactions);
    out.distinctUsers.push_back(c.distinctUsers);
    out.lastActive.push_back(c.lastActive);
    const std::optional<double> price = st.columnOptionalDouble(4);
    out.price.push_back(price.value_or(std::numeric_limits<double>::quiet_NaN()));
    std::string category = st.columnText(3);
    std::int32_t code = -1;
    if (!category.empty()) {
      const auto [it, inserted] = provisional.try_emplace(category, std::int32_t(names.size()));
      if (inserted) names.push_back(std::move(category));
      code = it->second;
    }
    out.category.push_back(code);
    out.idPool += st.columnText(1);
    out.idOffsets.push_back(std::uint32_t(out.idPool.size()));
    out.titlePool += st.columnText(2);
    out.titleOffsets.push_back(std::uint32_t(out.titlePool.size()));
  }
  // Codes in name order, so that sorting by code sorts by name.
  std::vector<std::int32_t> order(names.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = std::int32_t(i);
  std::sort(order.begin(), order.end(), [&names](std::int32_t a, std::int32_t b) {
    return names[std::size_t(a)] < names[std::size_t(b)];
  });
  std::vector<std::int32_t> finalCode(names.size());
  out.categories.reserve(names.size());
  for (std::size_t rank = 0; rank < order.size(); ++rank) {
    finalCode[std::size_t(order[rank])] = std::int32_t(rank);
    out.categories.push_back(std::move(names[std::size_t(order[rank])]));
  }
  for (std::int32_t& code : out.category)
    if (code >= 0) code = finalCode[std::size_t(code)];
  return out;
}

std::optional<std::int32_t> findItem(Workspace& workspace, DatasetId dataset,
                                     const std::string& externalId) {
  // The unique index items_by_external_id answers this without a scan.
  Statement st(workspace.db(), "SELECT idx FROM items WHERE dataset_id = ?1 AND external_id = ?2");
  st.bind(1, dataset).bind(2, externalId);
  if (!st.step()) return std::nullopt;
  return std::int32_t(st.columnInt(0));
}

}  // namespace reco::storage
