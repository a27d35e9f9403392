#include "core/storage/distributions.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <functional>

#include "core/common/error.h"
#include "core/storage/workspace.h"

namespace reco {

namespace {

/// Ranks grow by about 1% per kept point past the dense part.
constexpr double kRankStep = 1.01;
/// The head of the long tail: the most popular fifth of the items.
constexpr double kHeadFraction = 0.2;

/// Floor division for a positive divisor.
std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
  return a / b - (a % b < 0 ? 1 : 0);
}

}  // namespace

void rankPopularity(std::vector<std::int64_t> counts, DatasetDistributions& out) {
  counts.erase(std::remove(counts.begin(), counts.end(), 0), counts.end());
  std::sort(counts.begin(), counts.end(), std::greater<>());
  const auto n = std::int64_t(counts.size());
  out.items = n;
  out.interactions = 0;
  for (const std::int64_t c : counts) out.interactions += c;
  out.popularity.clear();
  out.headShare = 0;
  if (n == 0) return;

  std::int64_t rank = 1;
  while (rank <= n) {
    out.popularity.push_back({rank, counts[std::size_t(rank - 1)]});
    if (rank < kDenseRanks) {
      ++rank;
    } else if (rank < n) {
      rank = std::min(n, std::max(rank + 1, std::int64_t(std::ceil(double(rank) * kRankStep))));
    } else {
      break;
    }
  }

  const auto head = std::int64_t(std::ceil(double(n) * kHeadFraction));
  std::int64_t headInteractions = 0;
  for (std::int64_t i = 0; i < head; ++i) headInteractions += counts[std::size_t(i)];
  out.headShare = out.interactions > 0 ? double(headInteractions) / double(out.interactions) : 0.0;
}

std::vector<ActivityBin> activityHistogram(const std::vector<std::int64_t>& counts) {
  std::vector<std::int64_t> perBin;  // index k: users with 2^k <= count < 2^(k+1)
  for (const std::int64_t c : counts) {
    if (c <= 0) continue;
    const auto k = std::size_t(std::bit_width(std::uint64_t(c)) - 1);
    if (perBin.size() <= k) perBin.resize(k + 1, 0);
    ++perBin[k];
  }
  std::vector<ActivityBin> bins;
  std::size_t first = 0;
  while (first < perBin.size() && perBin[first] == 0) ++first;
  for (std::size_t k = first; k < perBin.size(); ++k) {
    const std::int64_t low = std::int64_t(1) << k;
    bins.push_back({low, 2 * low - 1, perBin[k]});
  }
  return bins;
}

std::int64_t weekIndex(std::int64_t unixSeconds) {
  return floorDiv(unixSeconds - kFirstMonday, kSecondsPerWeek);
}

std::vector<TimeBin> timeSeries(const std::vector<std::pair<std::int64_t, std::int64_t>>& perWeek,
                                std::int64_t& binSeconds) {
  binSeconds = kSecondsPerWeek;
  if (perWeek.empty()) return {};
  std::int64_t firstWeek = perWeek.front().first, lastWeek = firstWeek;
  for (const auto& [week, count] : perWeek) {
    firstWeek = std::min(firstWeek, week);
    lastWeek = std::max(lastWeek, week);
  }
  const std::int64_t span = lastWeek - firstWeek + 1;
  const std::int64_t weeksPerBin =
      (span + std::int64_t(kMaxTimeBins) - 1) / std::int64_t(kMaxTimeBins);
  binSeconds = weeksPerBin * kSecondsPerWeek;
  std::vector<TimeBin> bins(std::size_t((span + weeksPerBin - 1) / weeksPerBin));
  for (std::size_t b = 0; b < bins.size(); ++b) {
    bins[b].start = kFirstMonday + (firstWeek + std::int64_t(b) * weeksPerBin) * kSecondsPerWeek;
  }
  for (const auto& [week, count] : perWeek)
    bins[std::size_t((week - firstWeek) / weeksPerBin)].interactions += count;
  return bins;
}

DatasetDistributions computeCountDistributions(storage::Workspace& workspace, DatasetId dataset,
                                               std::stop_token stop) {
  DatasetDistributions out;
  storage::Database& db = workspace.db();
  RECO_CHECK(workspace.findDataset(dataset).has_value(), ErrorKind::Config,
             "no dataset with id " + std::to_string(dataset));

  std::vector<std::int64_t> counts;
  {
    storage::Statement items(
        db, "SELECT n_interactions FROM items WHERE dataset_id = ?1 AND n_interactions > 0");
    items.bind(1, dataset);
    while (items.step()) counts.push_back(items.columnInt(0));
  }
  rankPopularity(std::move(counts), out);
  if (stop.stop_requested()) return {};

  counts.clear();
  {
    storage::Statement users(
        db, "SELECT n_interactions FROM users WHERE dataset_id = ?1 AND n_interactions > 0");
    users.bind(1, dataset);
    while (users.step()) counts.push_back(users.columnInt(0));
  }
  out.users = std::int64_t(counts.size());
  out.activity = activityHistogram(counts);
  if (stop.stop_requested()) return {};
  return out;
}

DatasetDistributions computeDistributions(storage::Workspace& workspace, DatasetId dataset,
                                          std::stop_token stop) {
  DatasetDistributions out = computeCountDistributions(workspace, dataset, stop);
  if (stop.stop_requested()) return {};
  storage::Database& db = workspace.db();

  // SQLite's integer division truncates toward zero; the correction makes it a floor, as
  // weekIndex() does, for times before the first Monday of 1970.
  storage::Statement weeks(
      db,
      "SELECT (time - ?2) / ?3 - ((time - ?2) % ?3 < 0) AS week, count(*) FROM interactions "
      "WHERE dataset_id = ?1 AND time IS NOT NULL GROUP BY week");
  weeks.bind(1, dataset).bind(2, kFirstMonday).bind(3, kSecondsPerWeek);
  std::vector<std::pair<std::int64_t, std::int64_t>> perWeek;
  while (weeks.step()) {
    perWeek.emplace_back(weeks.columnInt(0), weeks.columnInt(1));
    if (stop.stop_requested()) return {};
  }
  out.overTime = timeSeries(perWeek, out.binSeconds);
  return out;
}

}  // namespace reco
