#pragma once
/// The items of a dataset as the Items screen reads them (issue 13): a compact per-item
/// summary for the searchable item list, and one item's profile (its interactions over time,
/// who chose it, and the items chosen together with it in a split's training part). No Qt.
/// Every function reads through the caller's Workspace, which must be this thread's
/// connection.

#include <cstdint>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/progress.h"
#include "core/data/dataset_info.h"
#include "core/storage/split_store.h"
#include "core/storage/user_store.h"
#include "core/storage/workspace.h"

namespace reco::storage {

/// One row per item of a dataset that has at least one interaction, column-wise so that
/// 100k+ items cost tens of bytes each plus their text (no per-row heap allocation).
struct ItemSummaries {
  static constexpr std::int64_t kNoTime = INT64_MIN;  ///< lastActive without a time

  Outcome outcome = Outcome::Completed;    ///< Stopped: the columns are empty
  std::vector<std::int32_t> items;         ///< dataset item index, ascending
  std::vector<std::int32_t> interactions;  ///< every event row of the item
  std::vector<std::int32_t> distinctUsers;
  std::vector<std::int64_t> lastActive;  ///< Unix seconds of the latest interaction, or kNoTime
  std::vector<double> price;             ///< NaN when none
  std::vector<std::int32_t> category;    ///< index into `categories`, -1 when none
  std::vector<std::string> categories;   ///< the dataset's non-empty category names, sorted
  std::string idPool, titlePool;         ///< every external id / title, concatenated
  std::vector<std::uint32_t> idOffsets, titleOffsets;  ///< size() + 1 offsets into the pools

  std::size_t size() const { return items.size(); }
  std::string_view externalId(std::size_t row) const {
    return std::string_view(idPool).substr(idOffsets[row], idOffsets[row + 1] - idOffsets[row]);
  }
  std::string_view title(std::size_t row) const {
    return std::string_view(titlePool).substr(titleOffsets[row],
                                              titleOffsets[row + 1] - titleOffsets[row]);
  }
  /// "" for -1.
  const std::string& categoryName(std::int32_t code) const;
  /// The row of a dataset item index, or -1 (binary search).
  std::ptrdiff_t rowOfItem(std::int32_t item) const;
  std::size_t bytes() const;
};

/// Summarises every item of the dataset that has an interaction: one scan of the
/// interactions and one of the items. Time O(interactions); memory O(items + users).
/// Progress counts interactions; `stop` is polled every few thousand rows.
ItemSummaries summarizeItems(Workspace& workspace, DatasetId dataset, JobObserver* observer,
                             std::stop_token stop);

/// The dataset item index of an external item id, or nullopt.
std::optional<std::int32_t> findItem(Workspace& workspace, DatasetId dataset,
                                     const std::string& externalId);

/// An item chosen together with the profiled one.
struct CoOccurrence {
  ItemMeta item;
  std::int64_t users = 0;  ///< training users who chose both
  /// users / sqrt(users of this item * users of the profiled item): how strongly the two
  /// go together beyond their popularity (cosine of the binary user sets).
  double cosine = 0;
};

/// Who chose an item, and when.
struct ItemProfile {
  ItemMeta meta;
  std::int64_t interactions = 0;
  std::int64_t distinctUsers = 0;
  std::vector<std::int64_t> times;  ///< every interaction's time, ascending (timeline)
  std::optional<std::int64_t> firstTime, lastTime;
  /// The users who chose it, by their most frequent category (their top category over their
  /// whole history, counting each interaction, as UserSummaries::topCategory; ties: the name
  /// that sorts first; "" when none of their items has one): users descending, then name.
  /// Both `items` and `interactions` hold the number of users, so that a chart of
  /// CategoryShare values plots users.
  std::vector<CategoryShare> userCategories;
  /// The median price of each chooser's priced interactions over their whole history (each
  /// interaction counted once; the mean of the middle two for an even count), one value per
  /// user with one, ascending (the chart bins it into price bands).
  std::vector<double> userMedianPrices;
  /// From the training part of the split passed to loadItemProfile (empty without one): the
  /// items most often chosen by the same users, by users descending, then item index; at most
  /// the requested count. `trainingUsers` is how many training users chose the item.
  std::vector<CoOccurrence> together;
  std::int64_t trainingUsers = 0;
  /// The name of that split; "" when none was given (then `together` is empty for that
  /// reason, not for want of co-occurrences).
  std::string splitName;
};

/// One item's profile, from one scan of the dataset's interactions in key order (the table is
/// keyed by user, so an item's rows are spread over all of it: ~0.1-0.2 s per million
/// interactions). Each user's rows are contiguous, which gives the item's rows, each
/// chooser's top category and prices (the choosers' items are looked up by primary key, once
/// each), and, with a split, each user's training items: their pairs folded as loadUserPairs
/// folds them, at the split's rating threshold, less the split's validation and test pairs
/// (read in the same key order alongside), exactly loadUserSplitParts(...).train. Counting
/// every user's training items once gives each item's training users, the denominator of the
/// cosine. Memory O(items + longest history). Throws Config when the
/// dataset has no such item or the split belongs to another dataset. nullopt when `stop` is
/// requested (polled every few thousand rows).
std::optional<ItemProfile> loadItemProfile(Workspace& workspace, DatasetId dataset,
                                           std::int32_t item, const std::optional<SplitInfo>& split,
                                           std::size_t together, std::stop_token stop = {});

}  // namespace reco::storage
