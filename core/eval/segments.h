#pragma once
/// Breakdowns of an evaluation by user and item segments (the Compare screen's Segments tab). They
/// read the same per-user values as the overall aggregates, so a segment's mean, CI and
/// significance come from exactly the numbers behind the totals.
///
/// User side: activity quartile buckets and cold users, by training interactions.
/// Item side: recall@K restricted to head or tail test items, where the head is the smallest
/// set of most popular items (training users per item, ties by item index ascending) whose
/// training interactions reach `headShare` (default 20%) of all training interactions, and
/// the tail is every other item (items without interactions included).

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/eval/evaluator.h"

namespace reco {

struct TrainingData;
class CsrMatrix;

/// A set of evaluated users, as rows of the `users` list it was made from (EvalResult rows).
struct Segment {
  std::string name;   ///< "activity Q1 (1-17 interactions)", "cold users (<= 5 interactions)"
  std::string group;  ///< "activity" or "cold": segments of one group do not overlap
  std::vector<std::size_t> rows;  ///< ascending
};

/// Activity buckets: the quartiles q1 <= q2 <= q3 of the given users' training interaction
/// counts (nearest rank: q_j is the ceil(j n / 4)-th smallest count); Q1 holds counts <= q1,
/// Q2 counts in (q1, q2], Q3 (q2, q3], Q4 the rest, each named with its actual count range.
/// Ties can leave a bucket empty; empty buckets are left out. Then "cold users": at most
/// `coldMax` training interactions (also left out when empty). O(users log users).
std::vector<Segment> segmentUsers(const TrainingData& train, std::span<const UserIndex> users,
                                  int coldMax = 5);
/// The same from each user's training interaction count (by user index; the row sizes of
/// train.userItems), as the workspace keeps them per split (storage/split_train_counts.h).
std::vector<Segment> segmentUsers(std::span<const std::int32_t> trainCounts,
                                  std::span<const UserIndex> users, int coldMax = 5);

/// A segment's aggregates, aligned with EvalResult::metricNames.
struct SegmentSummary {
  std::string name;
  std::string group;
  std::size_t users = 0;
  std::vector<MetricSummary> metrics;
};

/// mean, 95% t-CI and n of every per-user metric over each segment's rows, in row order.
std::vector<SegmentSummary> aggregateSegments(const EvalResult& result,
                                              std::span<const Segment> segments);

/// The popular head of the catalogue (see the file comment); isHead has itemCount entries.
struct ItemPopularitySplit {
  std::vector<char> isHead;
  std::size_t headItems = 0;
  double headShare = 0.2;       ///< the share asked for
  double headInteractions = 0;  ///< the share the head actually holds (>= headShare)
};
/// 0 < headShare < 1, else Config. O(items log items).
ItemPopularitySplit splitHeadTail(const TrainingData& train, double headShare = 0.2);

/// recall@K restricted to the test items with mask[item] != 0: per evaluated user (aligned
/// with result.users), hits among those items in the user's top K / the user's relevant test
/// items among them; NaN for users with no such test item (skipped by the statistics).
/// K must not exceed the stored list length max(result.ks) (Internal otherwise).
std::vector<double> recallOnItems(const EvalResult& result, const TrainingData& train,
                                  const CsrMatrix& test, int k, std::span<const char> mask);

/// recall@K on head items and on tail items, per user and summarised
/// ("recall_head@K", "recall_tail@K").
struct HeadTailRecall {
  std::vector<double> head, tail;  ///< aligned with result.users
  MetricSummary headSummary, tailSummary;
};
HeadTailRecall headTailRecall(const EvalResult& result, const TrainingData& train,
                              const CsrMatrix& test, int k, const ItemPopularitySplit& split);

}  // namespace reco
