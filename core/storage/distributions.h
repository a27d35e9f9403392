#pragma once
/// The distributions behind a dataset's statistics plots: item popularity ranked (the long
/// tail), users by activity in logarithmic bins, and interactions per week. Pure functions
/// over counts (tested by hand) and one reader that gets the counts from a workspace.
/// No Qt.

#include <cstdint>
#include <stop_token>
#include <utility>
#include <vector>

#include "core/data/dataset_info.h"

namespace reco::storage {
class Workspace;
}

namespace reco {

/// One point of the long tail: the item at `rank` (1 = most popular) has `interactions`.
struct RankedCount {
  std::int64_t rank = 0;
  std::int64_t interactions = 0;
};

/// Users whose interaction count lies in [low, high].
struct ActivityBin {
  std::int64_t low = 0;
  std::int64_t high = 0;
  std::int64_t users = 0;
};

/// Interactions whose time lies in [start, start + binSeconds).
struct TimeBin {
  std::int64_t start = 0;  ///< Unix seconds, a Monday 00:00 UTC
  std::int64_t interactions = 0;
};

struct DatasetDistributions {
  std::int64_t items = 0;         ///< items with at least one interaction
  std::int64_t interactions = 0;  ///< their interactions in all
  /// Items by interactions, descending. Every rank up to kDenseRanks, then ranks spaced
  /// about 1% apart, and always the last rank: enough for a log-log plot of any size.
  std::vector<RankedCount> popularity;
  /// Share of all interactions that go to the most popular 20% of items (0 when none).
  double headShare = 0;

  std::int64_t users = 0;             ///< users with at least one interaction
  std::vector<ActivityBin> activity;  ///< bins [2^k, 2^(k+1) - 1], first to last non-empty

  /// Interactions per bin of binSeconds (a week, or several weeks when the span is long),
  /// every bin from the first time to the last, empty ones included. Empty without times.
  std::vector<TimeBin> overTime;
  std::int64_t binSeconds = 0;
};

inline constexpr std::int64_t kDenseRanks = 1000;
inline constexpr std::int64_t kSecondsPerWeek = 7 * 86400;
/// 1970-01-05 00:00 UTC, the first Monday after the epoch: weeks start on Mondays.
inline constexpr std::int64_t kFirstMonday = 4 * 86400;
/// More bins than this and several weeks are merged into one.
inline constexpr std::size_t kMaxTimeBins = 1500;

/// The long tail of per-item counts (any order; zeros ignored). Fills items,
/// interactions, popularity and headShare of `out`. O(n log n).
void rankPopularity(std::vector<std::int64_t> counts, DatasetDistributions& out);
/// Users by activity: counts per user (zeros ignored) into power-of-two bins.
std::vector<ActivityBin> activityHistogram(const std::vector<std::int64_t>& counts);
/// The Monday-based week index of a Unix time (floor division, so times before 1970 work).
std::int64_t weekIndex(std::int64_t unixSeconds);
/// Interactions per week index -> contiguous bins, `weeksPerBin` weeks each, chosen so
/// that there are at most kMaxTimeBins. `perWeek` is (week index, count), any order.
/// Returns the bins and sets binSeconds.
std::vector<TimeBin> timeSeries(const std::vector<std::pair<std::int64_t, std::int64_t>>& perWeek,
                                std::int64_t& binSeconds);

/// Reads the dataset's counts from the workspace: per-item and per-user counts from the
/// items and users tables (cheap), and per-week counts by one grouped scan of its
/// interactions (linear in its size). Returns an empty result when `stop` fired.
/// Throws Error(Sqlite/Workspace) when the workspace cannot be read.
DatasetDistributions computeDistributions(storage::Workspace& workspace, DatasetId dataset,
                                          std::stop_token stop = {});
/// The same without overTime (empty, binSeconds 0): the counts alone, read from the items
/// and users tables with no scan of the interactions (0.1 s instead of 3 s at 10M).
DatasetDistributions computeCountDistributions(storage::Workspace& workspace, DatasetId dataset,
                                               std::stop_token stop = {});

}  // namespace reco
