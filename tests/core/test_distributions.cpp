// The distributions behind the Datasets plots (core/storage/distributions.h): the long tail,
// the activity histogram and the weekly series, on counts and on a tiny workspace whose
// right answers are worked out by hand in the comments.
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <stop_token>
#include <vector>

#include "core/io/import_options.h"
#include "core/io/record_sink.h"
#include "core/storage/dataset_import.h"
#include "core/storage/distributions.h"
#include "core/storage/workspace.h"
#include "tests/support/event_rows.h"
#include "tests/support/gtest_support.h"

using reco::ActivityBin;
using reco::DatasetDistributions;

namespace {

// 2023-11-13 00:00:00 UTC, a Monday.
constexpr std::int64_t kMonday = 1699833600;
constexpr std::int64_t kDay = 86400;

TEST(Distributions, RanksItemsByPopularity) {
  DatasetDistributions d;
  // Sorted: 4, 3, 2, 1, 1 (the zero is an item nobody touched) -> 11 interactions; the
  // head is ceil(5 * 0.2) = 1 item with 4 of them.
  reco::rankPopularity({1, 3, 0, 4, 2, 1}, d);
  EXPECT_EQ(d.items, 5);
  EXPECT_EQ(d.interactions, 11);
  ASSERT_EQ(int(d.popularity.size()), 5);
  const std::int64_t expected[] = {4, 3, 2, 1, 1};
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(d.popularity[std::size_t(i)].rank, i + 1) << i;
    EXPECT_EQ(d.popularity[std::size_t(i)].interactions, expected[i]) << i;
  }
  EXPECT_CLOSE(d.headShare, 4.0 / 11.0, 1e-12);
}

TEST(Distributions, ThinsTheTailOfALargeCatalogue) {
  // 5000 items with counts 5000, 4999, ..., 1: every rank to 1000, then ranks ~1% apart
  // (1010, 1021, ...), and the last one. The count at rank r is 5001 - r.
  std::vector<std::int64_t> counts;
  for (std::int64_t c = 1; c <= 5000; ++c) counts.push_back(c);
  DatasetDistributions d;
  reco::rankPopularity(counts, d);
  EXPECT_EQ(d.items, 5000);
  ASSERT_GT(d.popularity.size(), 1001u);
  EXPECT_EQ(d.popularity[999].rank, 1000);
  EXPECT_EQ(d.popularity[1000].rank, 1010);
  EXPECT_EQ(d.popularity[1001].rank, 1021);
  EXPECT_EQ(d.popularity.back().rank, 5000);
  EXPECT_EQ(d.popularity.back().interactions, 1);
  EXPECT_LT(d.popularity.size(), 1200u);
  for (std::size_t i = 1; i < d.popularity.size(); ++i) {
    EXPECT_GT(d.popularity[i].rank, d.popularity[i - 1].rank) << i;
    EXPECT_EQ(d.popularity[i].interactions, 5001 - d.popularity[i].rank) << i;
  }
  // Head: the top 1000 items hold 5000 + ... + 4001 = 4,500,500 of 12,502,500.
  EXPECT_CLOSE(d.headShare, 4500500.0 / 12502500.0, 1e-12);
}

TEST(Distributions, BinsUsersByPowersOfTwo) {
  // 1 -> [1,1]; 2, 3 -> [2,3]; 4, 7 -> [4,7]; 8 -> [8,15]; 1000 -> [512,1023]; the
  // bins between are there, empty, so that the x axis is continuous.
  const auto bins = reco::activityHistogram({7, 1, 2, 1000, 3, 4, 8, 0});
  ASSERT_EQ(int(bins.size()), 10);
  EXPECT_EQ(bins[0].low, 1);
  EXPECT_EQ(bins[0].high, 1);
  EXPECT_EQ(bins[0].users, 1);
  EXPECT_EQ(bins[1].low, 2);
  EXPECT_EQ(bins[1].high, 3);
  EXPECT_EQ(bins[1].users, 2);
  EXPECT_EQ(bins[2].users, 2);
  EXPECT_EQ(bins[3].low, 8);
  EXPECT_EQ(bins[3].high, 15);
  EXPECT_EQ(bins[3].users, 1);
  for (int k = 4; k < 9; ++k) EXPECT_EQ(bins[std::size_t(k)].users, 0) << k;
  EXPECT_EQ(bins[9].low, 512);
  EXPECT_EQ(bins[9].high, 1023);
  EXPECT_EQ(bins[9].users, 1);
  // The first bin is the first non-empty one.
  const auto high = reco::activityHistogram({20, 30});
  ASSERT_EQ(int(high.size()), 1);
  EXPECT_EQ(high[0].low, 16);
}

TEST(Distributions, CountsWeeksFromMondays) {
  EXPECT_EQ(reco::weekIndex(reco::kFirstMonday), 0);
  EXPECT_EQ(reco::weekIndex(reco::kFirstMonday - 1), -1);
  EXPECT_EQ(reco::weekIndex(0), -1);  // Thursday 1970-01-01 is in the week of Monday 1969-12-29
  EXPECT_EQ(reco::weekIndex(reco::kFirstMonday - reco::kSecondsPerWeek), -1);
  EXPECT_EQ(reco::weekIndex(reco::kFirstMonday - reco::kSecondsPerWeek - 1), -2);
  const std::int64_t week = reco::weekIndex(kMonday);
  EXPECT_EQ(reco::weekIndex(kMonday + 7 * kDay - 1), week);
  EXPECT_EQ(reco::weekIndex(kMonday + 7 * kDay), week + 1);

  // Weeks 10 and 13 -> four bins, the two between empty.
  std::int64_t binSeconds = 0;
  auto bins = reco::timeSeries({{13, 5}, {10, 2}}, binSeconds);
  EXPECT_EQ(binSeconds, reco::kSecondsPerWeek);
  ASSERT_EQ(int(bins.size()), 4);
  EXPECT_EQ(bins[0].start, reco::kFirstMonday + 10 * reco::kSecondsPerWeek);
  EXPECT_EQ(bins[0].interactions, 2);
  EXPECT_EQ(bins[1].interactions, 0);
  EXPECT_EQ(bins[3].interactions, 5);

  // 3001 weeks are too many bins: 3 weeks a bin, ceil(3001 / 3) = 1001 bins.
  bins = reco::timeSeries({{0, 1}, {1, 1}, {3, 1}, {3000, 4}}, binSeconds);
  EXPECT_EQ(binSeconds, 3 * reco::kSecondsPerWeek);
  ASSERT_EQ(int(bins.size()), 1001);
  EXPECT_EQ(bins[0].interactions, 2);  // weeks 0, 1, 2
  EXPECT_EQ(bins[1].interactions, 1);  // weeks 3, 4, 5
  EXPECT_EQ(bins[1000].interactions, 4);
  EXPECT_TRUE(reco::timeSeries({}, binSeconds).empty());
}

TEST(Distributions, ReadsAWorkspace) {
  reco::testing::TempDir dir;
  ASSERT_TRUE(std::filesystem::is_directory(dir.path()));
  reco::storage::Workspace workspace(dir.file("w.reco"),
                                     reco::storage::Workspace::OpenMode::CreateIfMissing);
  // u1 saw a..e (5), u2 a..c (3), u3 a, b (2), u4 a (1): items a=4, b=3, c=2, d=1, e=1.
  // Times: one row on Sunday 2023-11-12 23:59:59 (the week of Monday 11-06), seven in the
  // week of 11-13, none in the week of 11-20, three in the week of 11-27.
  const reco::testing::EventRow rows[] = {{"u1", "a", "", kMonday - 1},
                                          {"u1", "b", "", kMonday},
                                          {"u1", "c", "", kMonday + kDay},
                                          {"u1", "d", "", kMonday + 2 * kDay},
                                          {"u1", "e", "", kMonday + 6 * kDay},
                                          {"u2", "a", "", kMonday + 3 * kDay},
                                          {"u2", "b", "", kMonday + 4 * kDay},
                                          {"u2", "c", "", kMonday + 5 * kDay},
                                          {"u3", "a", "", kMonday + 14 * kDay},
                                          {"u3", "b", "", kMonday + 15 * kDay},
                                          {"u4", "a", "", kMonday + 20 * kDay + 3600}};
  reco::io::ImportOptions options;
  options.name = "tiny";
  const auto result = reco::storage::importRecords(workspace, "events", "memory", options,
                                                   [&](reco::io::RecordSink& sink) {
                                                     sink.begin(reco::io::Feedback::Binary);
                                                     reco::testing::sendEvents(sink, rows);
                                                     return reco::Outcome::Completed;
                                                   },
                                                   nullptr, {});
  const DatasetDistributions d = reco::computeDistributions(workspace, result.dataset.id);

  EXPECT_EQ(d.items, 5);
  EXPECT_EQ(d.interactions, 11);
  ASSERT_EQ(int(d.popularity.size()), 5);
  EXPECT_EQ(d.popularity[0].interactions, 4);
  EXPECT_EQ(d.popularity[1].interactions, 3);
  EXPECT_EQ(d.popularity[4].interactions, 1);
  EXPECT_CLOSE(d.headShare, 4.0 / 11.0, 1e-12);

  EXPECT_EQ(d.users, 4);
  ASSERT_EQ(int(d.activity.size()), 3);
  EXPECT_EQ(d.activity[0].users, 1);  // u4: 1
  EXPECT_EQ(d.activity[1].users, 2);  // u2: 3, u3: 2
  EXPECT_EQ(d.activity[2].users, 1);  // u1: 5 in [4, 7]

  EXPECT_EQ(d.binSeconds, reco::kSecondsPerWeek);
  ASSERT_EQ(int(d.overTime.size()), 4);
  EXPECT_EQ(d.overTime[0].start, kMonday - 7 * kDay);
  EXPECT_EQ(d.overTime[0].interactions, 1);
  EXPECT_EQ(d.overTime[1].start, kMonday);
  EXPECT_EQ(d.overTime[1].interactions, 7);
  EXPECT_EQ(d.overTime[2].interactions, 0);
  EXPECT_EQ(d.overTime[3].start, kMonday + 14 * kDay);
  EXPECT_EQ(d.overTime[3].interactions, 3);

  // A token nobody stops changes nothing; a stop gives an empty result (a dataset without
  // times is the next test).
  EXPECT_EQ(
      reco::computeDistributions(workspace, result.dataset.id, std::stop_token()).popularity.size(),
      5u);
  std::stop_source stop;
  stop.request_stop();
  EXPECT_TRUE(reco::computeDistributions(workspace, result.dataset.id, stop.get_token())
                  .popularity.empty());

  // The counts alone: the same long tail and activity, no weekly series.
  const DatasetDistributions counts = reco::computeCountDistributions(workspace, result.dataset.id);
  EXPECT_EQ(counts.items, d.items);
  EXPECT_EQ(counts.interactions, d.interactions);
  ASSERT_EQ(counts.popularity.size(), d.popularity.size());
  for (std::size_t r = 0; r < d.popularity.size(); ++r) {
    EXPECT_EQ(counts.popularity[r].rank, d.popularity[r].rank);
    EXPECT_EQ(counts.popularity[r].interactions, d.popularity[r].interactions);
  }
  EXPECT_CLOSE(counts.headShare, d.headShare, 0.0);
  EXPECT_EQ(counts.users, d.users);
  ASSERT_EQ(counts.activity.size(), d.activity.size());
  for (std::size_t b = 0; b < d.activity.size(); ++b)
    EXPECT_EQ(counts.activity[b].users, d.activity[b].users);
  EXPECT_TRUE(counts.overTime.empty());
  EXPECT_EQ(counts.binSeconds, 0);
  EXPECT_TRUE(reco::computeCountDistributions(workspace, result.dataset.id, stop.get_token())
                  .popularity.empty());
}

TEST(Distributions, LeavesTheSeriesEmptyWithoutTimes) {
  reco::testing::TempDir dir;
  ASSERT_TRUE(std::filesystem::is_directory(dir.path()));
  reco::storage::Workspace workspace(dir.file("w.reco"),
                                     reco::storage::Workspace::OpenMode::CreateIfMissing);
  reco::io::ImportOptions options;
  const auto result = reco::storage::importRecords(workspace, "ratings", "memory", options,
                                                   [](reco::io::RecordSink& sink) {
                                                     sink.begin(reco::io::Feedback::Rating);
                                                     reco::io::InteractionRecord record;
                                                     record.user = "u";
                                                     record.item = "i";
                                                     record.value = 4;
                                                     record.line = 1;
                                                     sink.interaction(record);
                                                     return reco::Outcome::Completed;
                                                   },
                                                   nullptr, {});
  const DatasetDistributions d = reco::computeDistributions(workspace, result.dataset.id);
  EXPECT_EQ(d.items, 1);
  ASSERT_EQ(int(d.activity.size()), 1);
  EXPECT_TRUE(d.overTime.empty());
}
}  // namespace
