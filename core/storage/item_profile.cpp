// loadItemProfile (core/storage/item_store.h): one item's interactions, its choosers and the
// items chosen together with it, read in one scan of the dataset's interactions.

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <unordered_map>

#include "core/common/error.h"
#include "core/data/split.h"
#include "core/storage/database.h"
#include "core/storage/dataset_shape.h"
#include "core/storage/item_store.h"

namespace reco::storage {

namespace {

constexpr std::uint64_t kStopEvery = 4096;  // rows between stop checks

// The median of a non-empty sequence, by linear interpolation between order statistics
// (as summarizeHistory's quantiles: the median of 1, 2, 3, 4 is 2.5). Reorders `values`.
double medianOf(std::vector<double>& values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
}

// The category and price of the items the choosers touched, each read once on first use
// (a primary-key lookup): only the choosers' items are looked up, not the whole catalogue.
// The cache is indexed by item (dense per dataset), 12 bytes an item.
class ItemCatalogue {
 public:
  ItemCatalogue(Workspace& workspace, DatasetId dataset, std::size_t items)
      : st_(workspace.db(), "SELECT category, price FROM items WHERE dataset_id = ?1 AND idx = ?2"),
        dataset_(dataset),
        category_(items, kUnread),
        price_(items, std::numeric_limits<double>::quiet_NaN()) {}

  /// The category code of an item (an index into names(); -1 when none).
  std::int32_t category(std::int32_t item) {
    return read(item) ? category_[std::size_t(item)] : -1;
  }
  /// NaN when none.
  double price(std::int32_t item) {
    return read(item) ? price_[std::size_t(item)] : std::numeric_limits<double>::quiet_NaN();
  }
  const std::string& name(std::int32_t code) const { return names_[std::size_t(code)]; }

 private:
  static constexpr std::int32_t kUnread = -2;

  // False for an item outside the catalogue's index range (the import never writes one).
  bool read(std::int32_t item) {
    if (item < 0 || std::size_t(item) >= category_.size()) return false;
    const auto i = std::size_t(item);
    if (category_[i] != kUnread) return true;
    category_[i] = -1;
    st_.reset();
    st_.bind(1, dataset_).bind(2, std::int64_t(item));
    if (st_.step()) {
      std::string category = st_.columnText(0);
      if (!category.empty()) {
        const auto [code, inserted] = codes_.try_emplace(category, std::int32_t(names_.size()));
        if (inserted) names_.push_back(std::move(category));
        category_[i] = code->second;
      }
      price_[i] = st_.columnOptionalDouble(1).value_or(std::numeric_limits<double>::quiet_NaN());
    }
    return true;
  }

  Statement st_;
  DatasetId dataset_;
  std::vector<std::int32_t> category_;  // kUnread until read
  std::vector<double> price_;
  std::unordered_map<std::string, std::int32_t> codes_;
  std::vector<std::string> names_;
};

// The scan's state. Per user (their rows are contiguous in key order): the items of their
// rows and, with a split, their pairs. Per item: the pair being folded for the current user
// and the training users counted so far.
struct ProfileScan {
  std::int32_t target = 0;
  const SplitInfo* split = nullptr;

  std::vector<std::int32_t> rows;   // the current user's rows' items, in key order
  std::vector<std::int32_t> pairs;  // the current user's distinct items
  std::vector<std::int32_t> train;  // scratch: the current user's training items
  bool chose = false;               // the current user has a row of the target

  // Per item, in one struct so that a row touches one cache line (separate arrays cost a
  // miss each on a 100k-item catalogue).
  struct PerItem {
    std::int32_t pairUser = -1;           // whose pair the fold below belongs to
    float pairRating = 0;                 // the latest value (float, as Pair::rating)
    std::int64_t pairTime = kNoPairTime;  // the time of the value kept as the rating
    std::int32_t heldUser = -1;           // the user whose validation or test pair this is
    std::int32_t usersOf = 0;             // training users of the item
    std::int32_t together = 0;            // of them, those whose training part holds the target
  };
  std::vector<PerItem> perItem;

  std::vector<std::int32_t> categoryCount;  // scratch for a chooser's top category
  std::vector<std::int32_t> touched;
  std::vector<double> prices;  // scratch for a chooser's prices

  void grow(std::size_t size) {
    if (size > perItem.size()) perItem.resize(size);
  }

  // One row of the current user: the same fold as loadUserPairs (takesPairRating and
  // keptAtThreshold in core/data/split.h).
  void addRow(std::int32_t user, std::int32_t item, std::int64_t time, float value) {
    rows.push_back(item);
    if (item == target) chose = true;
    if (split == nullptr) return;
    grow(std::size_t(item) + 1);
    PerItem& p = perItem[std::size_t(item)];
    if (p.pairUser != user) {
      p.pairUser = user;
      p.pairTime = time;
      p.pairRating = value;
      pairs.push_back(item);
    } else if (takesPairRating(time, p.pairTime)) {
      p.pairTime = time;
      p.pairRating = value;
    }
  }

  // The current user's training items (their pairs at the threshold that the split did not
  // hold out; `heldUser` marks this user's held pairs): counted per item, and, when they
  // hold the target, counted as together with it.
  void countTraining(std::int32_t user, std::int64_t& trainingUsers) {
    train.clear();
    bool holdsTarget = false;
    const std::optional<double>& threshold = split->options.ratingThreshold;
    for (const std::int32_t item : pairs) {
      PerItem& p = perItem[std::size_t(item)];
      if (!keptAtThreshold(p.pairRating, threshold)) continue;
      if (p.heldUser == user) continue;
      train.push_back(item);
      ++p.usersOf;
      if (item == target) holdsTarget = true;
    }
    if (!holdsTarget) return;
    ++trainingUsers;
    for (const std::int32_t item : train)
      if (item != target) ++perItem[std::size_t(item)].together;
  }

  // A chooser's most frequent category over all their rows (ties: the name that sorts
  // first; -1 when none of their items has one) and the median of their priced rows.
  std::int32_t topCategory(ItemCatalogue& catalogue) {
    for (const std::int32_t item : rows) {
      const std::int32_t code = catalogue.category(item);
      if (code < 0) continue;
      if (std::size_t(code) >= categoryCount.size()) categoryCount.resize(std::size_t(code) + 1, 0);
      if (categoryCount[std::size_t(code)]++ == 0) touched.push_back(code);
    }
    std::int32_t best = -1;
    for (const std::int32_t code : touched) {
      const std::int32_t count = categoryCount[std::size_t(code)];
      if (best < 0 || count > categoryCount[std::size_t(best)] ||
          (count == categoryCount[std::size_t(best)] &&
           catalogue.name(code) < catalogue.name(best)))
        best = code;
    }
    for (const std::int32_t code : touched) categoryCount[std::size_t(code)] = 0;
    touched.clear();
    return best;
  }

  std::optional<double> medianPrice(ItemCatalogue& catalogue) {
    prices.clear();
    for (const std::int32_t item : rows) {
      const double price = catalogue.price(item);
      if (std::isfinite(price)) prices.push_back(price);
    }
    if (prices.empty()) return std::nullopt;
    return medianOf(prices);
  }
};

}  // namespace

std::optional<ItemProfile> loadItemProfile(Workspace& workspace, DatasetId dataset,
                                           std::int32_t item, const std::optional<SplitInfo>& split,
                                           std::size_t together, std::stop_token stop) {
  const std::optional<DatasetInfo> info = workspace.findDataset(dataset);
  RECO_CHECK(info.has_value(), ErrorKind::Config, "no dataset with id " + std::to_string(dataset));
  {
    Statement st(workspace.db(), "SELECT 1 FROM items WHERE dataset_id = ?1 AND idx = ?2");
    st.bind(1, dataset).bind(2, std::int64_t(item));
    if (!st.step())
      throw Error(ErrorKind::Config,
                  "dataset '" + info->name + "' has no item with index " + std::to_string(item));
  }
  if (split && split->datasetId != dataset)
    throw Error(ErrorKind::Config, "split '" + split->name + "' belongs to dataset " +
                                       std::to_string(split->datasetId) + ", not to '" +
                                       info->name + "'");
  ItemProfile profile;
  profile.meta = loadItemMeta(workspace, dataset, std::span<const std::int32_t>(&item, 1)).front();

  const auto itemCount = std::size_t(datasetShape(workspace, dataset).items);
  ProfileScan scan;
  scan.target = item;
  scan.split = split ? &*split : nullptr;
  if (split) {
    scan.grow(itemCount);
    profile.splitName = split->name;
  }
  ItemCatalogue catalogue(workspace, dataset, itemCount);
  std::map<std::string, std::int64_t> usersByCategory;

  // The split's held-out pairs in key order (user, item), merged with the interactions.
  std::optional<Statement> held;
  bool heldRow = false;
  if (split) {
    held.emplace(workspace.db(),
                 "SELECT user_idx, item_idx FROM split_pairs WHERE split_id = ?1 ORDER BY "
                 "user_idx, item_idx");
    held->bind(1, split->id);
    heldRow = held->step();
  }

  std::int32_t current = -1;
  const auto finishUser = [&] {
    if (current < 0) return;
    if (split) {
      while (heldRow && held->columnInt(0) < current) heldRow = held->step();
      while (heldRow && held->columnInt(0) == current) {
        const auto heldItem = std::size_t(held->columnInt(1));
        if (heldItem < scan.perItem.size()) scan.perItem[heldItem].heldUser = current;
        heldRow = held->step();
      }
      scan.countTraining(current, profile.trainingUsers);
    }
    if (scan.chose) {
      ++profile.distinctUsers;
      const std::int32_t code = scan.topCategory(catalogue);
      ++usersByCategory[code < 0 ? std::string() : catalogue.name(code)];
      if (const auto price = scan.medianPrice(catalogue))
        profile.userMedianPrices.push_back(*price);
    }
    scan.rows.clear();
    scan.pairs.clear();
    scan.chose = false;
  };

  Statement st(workspace.db(),
               "SELECT user_idx, item_idx, time, value FROM interactions WHERE dataset_id = ?1 "
               "ORDER BY user_idx, seq");
  st.bind(1, dataset);
  std::uint64_t done = 0;
  while (st.step()) {
    if (++done % kStopEvery == 0 && stop.stop_requested()) return std::nullopt;
    const auto user = std::int32_t(st.columnInt(0));
    const auto rowItem = std::int32_t(st.columnInt(1));
    requireStoredIndex(dataset, st.columnInt(1), std::int64_t(itemCount),
                       "an interaction with item index");
    if (user != current) {
      finishUser();
      current = user;
    }
    const bool timed = !st.isNull(2);
    const std::int64_t time = timed ? st.columnInt(2) : kNoPairTime;
    if (rowItem == item) {
      ++profile.interactions;
      if (timed) profile.times.push_back(time);
    }
    scan.addRow(user, rowItem, time, float(st.columnDouble(3)));
  }
  finishUser();

  std::sort(profile.times.begin(), profile.times.end());
  if (!profile.times.empty()) {
    profile.firstTime = profile.times.front();
    profile.lastTime = profile.times.back();
  }
  std::sort(profile.userMedianPrices.begin(), profile.userMedianPrices.end());
  profile.userCategories.reserve(usersByCategory.size());
  for (const auto& [name, users] : usersByCategory)
    profile.userCategories.push_back(CategoryShare{name, users, users});
  // The map gave name order; a stable sort keeps it among equal counts.
  std::stable_sort(
      profile.userCategories.begin(), profile.userCategories.end(),
      [](const CategoryShare& a, const CategoryShare& b) { return a.items > b.items; });

  if (split && profile.trainingUsers > 0 && together > 0) {
    std::vector<std::int32_t> others;
    for (std::size_t i = 0; i < scan.perItem.size(); ++i)
      if (scan.perItem[i].together > 0) others.push_back(std::int32_t(i));
    const auto before = [&scan](std::int32_t a, std::int32_t b) {
      const std::int32_t ua = scan.perItem[std::size_t(a)].together;
      const std::int32_t ub = scan.perItem[std::size_t(b)].together;
      return ua != ub ? ua > ub : a < b;
    };
    const std::size_t keep = std::min(together, others.size());
    std::partial_sort(others.begin(), others.begin() + std::ptrdiff_t(keep), others.end(), before);
    others.resize(keep);
    std::vector<ItemMeta> metas = loadItemMeta(workspace, dataset, others);
    profile.together.reserve(keep);
    for (std::size_t k = 0; k < keep; ++k) {
      const ProfileScan::PerItem& p = scan.perItem[std::size_t(others[k])];
      CoOccurrence entry;
      entry.item = std::move(metas[k]);
      entry.users = p.together;
      entry.cosine =
          double(p.together) / std::sqrt(double(p.usersOf) * double(profile.trainingUsers));
      profile.together.push_back(std::move(entry));
    }
  }
  return profile;
}

}  // namespace reco::storage
