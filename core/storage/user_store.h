#pragma once
/// The users of a dataset as the Users screen reads them: a compact
/// per-user summary for the searchable user list, one user's history with item metadata,
/// a profile computed from that history, the user's parts in a split, and item metadata for
/// recommendation lists. No Qt. Every function reads through the caller's Workspace, which
/// must be this thread's connection.

#include <cstdint>
#include <optional>
#include <span>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/progress.h"
#include "core/data/dataset_info.h"
#include "core/data/ids.h"
#include "core/storage/split_store.h"
#include "core/storage/workspace.h"

namespace reco::storage {

/// One row per user of a dataset, column-wise so that a million users cost about
/// 20 bytes each plus their external ids (no per-row heap allocation).
struct UserSummaries {
  /// `lastActive` of a user whose interactions carry no time.
  static constexpr std::int64_t kNoTime = INT64_MIN;

  Outcome outcome = Outcome::Completed;  ///< Stopped: the columns are empty
  /// Only the ids and interaction counts are read (readUserCounts): every lastActive is
  /// kNoTime and every topCategory -1, whatever the data holds.
  bool partial = false;
  std::vector<std::int32_t> users;         ///< dataset user index, ascending
  std::vector<std::int32_t> interactions;  ///< interactions of the user (every event row)
  std::vector<std::int64_t> lastActive;    ///< Unix seconds of the latest interaction, or kNoTime
  /// Index into `categories` of the category with most of the user's interactions (ties:
  /// the name that sorts first); -1 when none of the user's items has a category.
  std::vector<std::int32_t> topCategory;
  std::vector<std::string> categories;   ///< the dataset's non-empty category names, sorted
  std::string idPool;                    ///< every external id, concatenated
  std::vector<std::uint32_t> idOffsets;  ///< size() + 1 offsets into idPool

  std::size_t size() const { return users.size(); }
  std::string_view externalId(std::size_t row) const {
    return std::string_view(idPool).substr(idOffsets[row], idOffsets[row + 1] - idOffsets[row]);
  }
  /// "" for -1.
  const std::string& categoryName(std::int32_t code) const;
  /// The row of a dataset user index, or -1 (binary search).
  std::ptrdiff_t rowOfUser(std::int32_t user) const;
  /// Approximate bytes held, for tests of the memory bound.
  std::size_t bytes() const;
};

/// Summarises every user of the dataset with one scan of its interactions in key order
/// (user, then import order) and one of its items. Time O(interactions); memory O(users +
/// items). Progress counts interactions; `stop` is polled every few thousand rows.
UserSummaries summarizeUsers(Workspace& workspace, DatasetId dataset, JobObserver* observer,
                             std::stop_token stop);

/// The users of the dataset with their external ids and interaction counts only, from the
/// users table (the counts the import stored): what a list can show at once while
/// summarizeUsers reads the interactions (0.3 s against 1.7 s for a million users and
/// ten million interactions). `partial` is set.
UserSummaries readUserCounts(Workspace& workspace, DatasetId dataset);

/// The dataset user index of an external user id, or nullopt.
std::optional<std::int32_t> findUser(Workspace& workspace, DatasetId dataset,
                                     const std::string& externalId);

/// Title, category and price of an item (what a list shows next to an item index).
struct ItemMeta {
  std::int32_t item = 0;
  std::string externalId;
  std::string title;     ///< "" when the catalogue has none
  std::string category;  ///< "" when none
  std::optional<double> price;
};

/// One interaction of a user, with its item's metadata.
struct HistoryEntry {
  std::int64_t seq = 0;              ///< position in the import (file order)
  std::optional<std::int64_t> time;  ///< Unix seconds
  ItemMeta item;
  std::string event;  ///< the event type's name; "" for untyped datasets
  double value = 0;   ///< the rating, quantity or event weight
};

struct UserHistory {
  DatasetId dataset = 0;
  std::int32_t user = 0;
  std::string externalId;
  std::string feedback;  ///< what value means: rating, quantity, event, binary
  /// Chronological: by time ascending (interactions without a time first), then by seq.
  std::vector<HistoryEntry> entries;
};

/// One user's interactions (one range scan of the user's key range). Throws Config when the
/// dataset has no such user.
UserHistory loadUserHistory(Workspace& workspace, DatasetId dataset, std::int32_t user);

/// Quantiles of the prices of a user's interactions (each interaction counted once).
struct PriceBand {
  std::size_t count = 0;  ///< interactions with a price
  double min = 0, q25 = 0, median = 0, q75 = 0, max = 0;
};

/// What the profile charts show, derived from a history.
struct UserProfile {
  std::vector<CategoryShare> categories;  ///< by interactions descending, then name; "" = none
  std::optional<PriceBand> prices;        ///< nullopt when no interaction has a priced item
  std::vector<double> pricesSorted;       ///< every interaction's price, ascending (histogram)
  std::vector<std::int64_t> times;        ///< every interaction's time, ascending (timeline)
  std::optional<std::int64_t> firstTime, lastTime;
  std::int64_t distinctItems = 0;
};

/// Pure: the categories, price band and times of a history. Quantiles by linear
/// interpolation between order statistics (the median of 1, 2, 3, 4 is 2.5).
UserProfile summarizeHistory(const UserHistory& history);

/// A user's pairs in a split, exactly as `reco recommend` reads them: the training items
/// (the user's pairs at the split's rating threshold that are in neither the validation nor
/// the test part), the validation items and the held-out test items.
struct UserSplitParts {
  std::vector<ItemIndex> train;
  std::vector<std::int32_t> valid;
  std::vector<std::int32_t> test;
};
UserSplitParts loadUserSplitParts(Workspace& workspace, const SplitInfo& split, std::int32_t user);

/// `train` (a user's training items, any order) oldest first: by each item's last
/// interaction in the user's chronological history (loadUserHistory), the order in which a
/// sequence model read them in training. Items the history lacks come last, by index;
/// duplicates are dropped. The what-if editor and whatIfList both order a stored history
/// here, so that a deep model's two passes read the same sequence.
std::vector<ItemIndex> trainingItemsInTimeOrder(Workspace& workspace, DatasetId dataset,
                                                std::int32_t user,
                                                std::span<const ItemIndex> train);

/// Metadata of the given item indices, in the same order (an unknown index gets an entry
/// with only `item` set). One primary-key lookup per item for short requests, one ordered
/// pass over the dataset's items for long ones (thousands of items).
std::vector<ItemMeta> loadItemMeta(Workspace& workspace, DatasetId dataset,
                                   std::span<const std::int32_t> items);

}  // namespace reco::storage
