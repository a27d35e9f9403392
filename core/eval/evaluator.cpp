#include "core/eval/evaluator.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <mutex>

#include "core/common/error.h"
#include "core/common/parallel.h"
#include "core/common/random.h"
#include "core/data/sampled_negatives.h"
#include "core/data/sparse_matrix.h"
#include "core/data/training_data.h"
#include "core/models/top_selection.h"

namespace reco {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr char kFree = 0, kTrain = 1, kTest = 2;
// AUC counts a chunk of a row while it is in L1 (evaluateUser).
constexpr std::size_t kAucChunk = 2048;

// selectTopN's order: score descending (NaN last), then item ascending. A strict total order
// on distinct items, so the top list does not depend on the order items are visited in.
inline bool ranksBefore(float aScore, std::int32_t aItem, float bScore, std::int32_t bItem) {
  const bool aNan = std::isnan(aScore), bNan = std::isnan(bScore);
  if (aNan != bNan) return bNan;
  if (!aNan && aScore != bScore) return aScore > bScore;
  return aItem < bItem;
}

// Everything the per-user work reads, shared read-only by the threads.
struct Plan {
  const TrainingData* train = nullptr;
  const CsrMatrix* test = nullptr;
  std::vector<int> ks;
  std::size_t maxK = 0;
  std::int32_t itemCount = 0;
  std::size_t metricCount = 0;
  std::size_t users = 0;
  std::optional<int> sampled;
  const FrozenNegatives* negatives = nullptr;  // set when sampled
  std::size_t sampledColumn = 0;               // first "sampled_" column
};

// One thread's buffers, reused across its users.
struct Scratch {
  std::vector<float> scores;
  std::vector<char> mark;
  std::vector<std::uint64_t> heap;  // orderKey()s
  std::vector<char> flags;
  std::vector<float> positives, negativeScores;
  std::vector<std::int32_t> relevant;
  AucAccumulator auc;
};

void evaluateSampled(const Plan& plan, Scratch& s, std::span<const float> row, UserIndex user,
                     std::size_t r, double* perUser) {
  const auto lists = plan.negatives->forUser(user.value);
  RECO_CHECK(lists.size() % s.relevant.size() == 0, ErrorKind::Internal,
             "frozen negatives of user " + std::to_string(user.value) +
                 " do not match the user's test items");
  const std::size_t perItem = lists.size() / s.relevant.size();
  const std::size_t nk = plan.ks.size();
  std::vector<double> sums(3 * nk + 1, 0.0);
  for (std::size_t j = 0; j < s.relevant.size(); ++j) {
    const std::int32_t t = s.relevant[j];
    const auto negatives = lists.subspan(j * perItem, perItem);
    const float ts = row[std::size_t(t)];
    std::size_t above = 0;
    double wins2 = 0;
    const float tsLow = std::isnan(ts) ? -std::numeric_limits<float>::infinity() : ts;
    for (std::int32_t n : negatives) {
      const float ns = row[std::size_t(n)];
      if (ranksBefore(ns, n, ts, t)) ++above;
      const float nsLow = std::isnan(ns) ? -std::numeric_limits<float>::infinity() : ns;
      wins2 += tsLow > nsLow ? 2.0 : (tsLow == nsLow ? 1.0 : 0.0);
    }
    const std::size_t rank = above + 1;
    for (std::size_t ki = 0; ki < nk; ++ki) {
      if (rank > std::size_t(plan.ks[ki])) continue;
      sums[3 * ki + 0] += 1.0;
      sums[3 * ki + 1] += dcgDiscount(rank);
      sums[3 * ki + 2] += 1.0 / double(rank);
    }
    sums[3 * nk] += negatives.empty() ? kNaN : wins2 / (2.0 * double(negatives.size()));
  }
  const double count = double(s.relevant.size());
  for (std::size_t c = 0; c < sums.size(); ++c)
    perUser[(plan.sampledColumn + c) * plan.users + r] = sums[c] / count;
}

// Ranks one user's row: top list, ranking metrics, AUC, sampled metrics.
void evaluateUser(const Plan& plan, Scratch& s, std::span<const float> row, UserIndex user,
                  std::size_t r, std::span<ScoredItem> top, double* perUser) {
  const auto trainCols = plan.train->userItems.rowCols(user.value);
  const auto testCols = plan.test->rowCols(user.value);
  for (std::int32_t i : trainCols) s.mark[std::size_t(i)] = kTrain;
  s.relevant.clear();
  s.positives.clear();
  for (std::int32_t i : testCols) {
    if (s.mark[std::size_t(i)] == kTrain) continue;
    s.mark[std::size_t(i)] = kTest;
    s.relevant.push_back(i);
    s.positives.push_back(row[std::size_t(i)]);
  }
  s.auc.reset(s.positives);

  // One pass over the row in chunks that stay in L1: AUC's counts over every item of the
  // chunk (vectorised; the items that are no negatives are taken back out below), and the
  // top max(K) in a min-heap of order keys (front = the worst kept item). Once the heap is
  // full and its worst score is a number, a chunk with no score >= that number cannot
  // change it (a NaN, or an equal score of a later item, ranks below): one vectorised
  // compare rejects most chunks, and only the others are visited item by item.
  const std::size_t keep = top.size();
  s.heap.clear();
  const auto itemCount = std::size_t(plan.itemCount);
  for (std::size_t start = 0; start < itemCount; start += kAucChunk) {
    const std::size_t end = std::min(itemCount, start + kAucChunk);
    s.auc.addNegatives(row.subspan(start, end - start));
    offerToHeap(s.heap, keep, row.data() + start, std::int32_t(start), end - start,
                [&](std::int32_t i) { return s.mark[std::size_t(i)] == kTrain; });
  }
  // The training items and the positives were counted as negatives above: take them out.
  s.negativeScores.clear();
  for (std::int32_t i : trainCols) s.negativeScores.push_back(row[std::size_t(i)]);
  for (std::int32_t i : s.relevant) s.negativeScores.push_back(row[std::size_t(i)]);
  s.auc.removeNegatives(s.negativeScores);
  std::sort(s.heap.begin(), s.heap.end(), std::greater<>());
  for (std::size_t j = 0; j < keep; ++j) {
    const auto item = itemOfKey(s.heap[j]);
    top[j] = {ItemIndex{item}, row[std::size_t(item)]};
  }

  s.flags.resize(keep);
  for (std::size_t i = 0; i < keep; ++i)
    s.flags[i] = s.mark[std::size_t(top[i].item.value)] == kTest;
  std::size_t column = 0;
  for (int k : plan.ks) {
    const auto values = rankingMetrics(s.flags, s.relevant.size(), k).asArray();
    for (double v : values) perUser[(column++) * plan.users + r] = v;
  }
  perUser[(column++) * plan.users + r] = s.auc.value();

  if (plan.sampled) evaluateSampled(plan, s, row, user, r, perUser);
  for (std::int32_t i : trainCols) s.mark[std::size_t(i)] = kFree;
  for (std::int32_t i : testCols) s.mark[std::size_t(i)] = kFree;
}

// Ranks one block of users through model.rankOnDevice and fills their top lists, ranking
// metrics and AUC: the same values evaluateUser computes from rows (for finite scores).
void evaluateOnDevice(const Plan& plan, const Recommender& model, std::span<const UserIndex> users,
                      std::size_t r0, const std::vector<std::int64_t>& topStart,
                      std::span<ScoredItem> allTop, double* perUser) {
  const CsrMatrix& train = plan.train->userItems;
  std::vector<std::int64_t> excludeStart{0}, relevantStart{0};
  std::vector<std::int32_t> exclude, relevant;
  for (const UserIndex user : users) {
    const auto trainCols = train.rowCols(user.value);
    exclude.insert(exclude.end(), trainCols.begin(), trainCols.end());
    excludeStart.push_back(std::int64_t(exclude.size()));
    for (std::int32_t i : plan.test->rowCols(user.value))
      if (!std::binary_search(trainCols.begin(), trainCols.end(), i)) relevant.push_back(i);
    relevantStart.push_back(std::int64_t(relevant.size()));
  }
  std::vector<ScoredItem> top(users.size() * plan.maxK);
  std::vector<std::int64_t> below(relevant.size()), ties(relevant.size());
  DeviceRanking block{users,     excludeStart, exclude, relevantStart, relevant,
                      plan.maxK, top,          below,   ties};
  RECO_CHECK(model.rankOnDevice(block), ErrorKind::Config,
             "model '" + std::string(model.modelName()) +
                 "' cannot rank on its device; evaluate from score rows");
  std::vector<char> flags;
  for (std::size_t j = 0; j < users.size(); ++j) {
    const std::size_t r = r0 + j;
    const auto keep = std::size_t(topStart[r + 1] - topStart[r]);
    const std::span<const std::int32_t> userRelevant(
        relevant.data() + relevantStart[j], std::size_t(relevantStart[j + 1] - relevantStart[j]));
    flags.resize(keep);
    for (std::size_t i = 0; i < keep; ++i) {
      const ScoredItem item = top[j * plan.maxK + i];
      allTop[std::size_t(topStart[r]) + i] = item;
      flags[i] = std::find(userRelevant.begin(), userRelevant.end(), item.item.value) !=
                 userRelevant.end();
    }
    std::size_t column = 0;
    for (int k : plan.ks) {
      const auto values = rankingMetrics(flags, userRelevant.size(), k).asArray();
      for (double v : values) perUser[(column++) * plan.users + r] = v;
    }
    // AUC as AucAccumulator: (2 * wins + ties) / (2 * positives * negatives).
    const auto negatives = std::uint64_t(plan.itemCount) -
                           std::uint64_t(excludeStart[j + 1] - excludeStart[j]) -
                           std::uint64_t(userRelevant.size());
    std::uint64_t wins2 = 0;
    for (auto p = relevantStart[j]; p < relevantStart[j + 1]; ++p)
      wins2 += 2 * std::uint64_t(below[std::size_t(p)]) + std::uint64_t(ties[std::size_t(p)]);
    perUser[(column++) * plan.users + r] =
        userRelevant.empty() || negatives == 0
            ? kNaN
            : double(wins2) / (2.0 * double(userRelevant.size()) * double(negatives));
  }
}

void checkColumns(const CsrMatrix& m, std::int32_t items, const char* what) {
  for (std::int32_t c : m.colIndex())
    RECO_CHECK(c >= 0 && c < items, ErrorKind::Data,
               std::string(what) + " holds item index " + std::to_string(c) +
                   ", expected one in [0, " + std::to_string(items) + ")");
}

}  // namespace

void EvalOptions::validate() const {
  RECO_CHECK(!ks.empty(), ErrorKind::Config, "evaluation needs at least one cut-off K");
  for (std::size_t i = 0; i < ks.size(); ++i) {
    RECO_CHECK(ks[i] > 0, ErrorKind::Config, "cut-off K must be > 0, got " + std::to_string(ks[i]));
    for (std::size_t j = 0; j < i; ++j)
      RECO_CHECK(ks[i] != ks[j], ErrorKind::Config,
                 "cut-off K=" + std::to_string(ks[i]) + " is listed twice");
  }
  RECO_CHECK(batchUsers > 0, ErrorKind::Config,
             "batchUsers must be > 0, got " + std::to_string(batchUsers));
  RECO_CHECK(
      !sampledNegatives || *sampledNegatives > 0, ErrorKind::Config,
      "sampledNegatives must be > 0 when set, got " + std::to_string(sampledNegatives.value_or(0)));
}

std::ptrdiff_t EvalResult::metricIndex(std::string_view name) const {
  for (std::size_t i = 0; i < metricNames.size(); ++i)
    if (metricNames[i] == name) return std::ptrdiff_t(i);
  return -1;
}

std::span<const double> EvalResult::column(std::size_t metric) const {
  RECO_CHECK(metric < metricNames.size(), ErrorKind::Internal,
             "metric column " + std::to_string(metric) + " out of range");
  return {perUser.data() + metric * users.size(), users.size()};
}

std::span<const double> EvalResult::column(std::string_view name) const {
  const std::ptrdiff_t index = metricIndex(name);
  RECO_CHECK(index >= 0, ErrorKind::Internal,
             "no per-user metric named '" + std::string(name) + "' in this result");
  return column(std::size_t(index));
}

const MetricSummary* EvalResult::aggregate(std::string_view name) const {
  for (const auto& a : aggregates)
    if (a.name == name) return &a;
  return nullptr;
}

double EvalResult::catalogueValue(std::string_view name) const {
  for (const auto& [key, value] : catalogue)
    if (key == name) return value;
  return kNaN;
}

std::span<const ScoredItem> EvalResult::topFor(std::size_t row) const {
  RECO_CHECK(row + 1 < topStart.size(), ErrorKind::Internal,
             "user row " + std::to_string(row) + " out of range");
  return {topItems.data() + topStart[row], std::size_t(topStart[row + 1] - topStart[row])};
}

EvalResult evaluate(const Recommender& model, const TrainingData& train, const CsrMatrix& test,
                    const EvalOptions& options, JobObserver* observer, std::stop_token stop) {
  const auto started = std::chrono::steady_clock::now();
  options.validate();
  RECO_CHECK(model.isFitted(), ErrorKind::Model,
             "model '" + std::string(model.modelName()) + "' must be trained before evaluation");
  const std::int32_t items = train.itemCount;
  RECO_CHECK(model.itemCount() == std::size_t(items), ErrorKind::Data,
             "model scores " + std::to_string(model.itemCount()) +
                 " items, the training data has " + std::to_string(items));
  RECO_CHECK(test.cols() == items, ErrorKind::Data,
             "test part has " + std::to_string(test.cols()) + " item columns, expected " +
                 std::to_string(items));
  RECO_CHECK(test.rows() <= train.userCount && train.userItems.rows() == train.userCount,
             ErrorKind::Data,
             "test part has " + std::to_string(test.rows()) + " user rows and training " +
                 std::to_string(train.userItems.rows()) + ", expected at most " +
                 std::to_string(train.userCount));
  checkColumns(train.userItems, items, "training part");
  checkColumns(test, items, "test part");

  Plan plan;
  plan.train = &train;
  plan.test = &test;
  plan.ks = options.ks;
  plan.maxK = std::size_t(*std::max_element(options.ks.begin(), options.ks.end()));
  plan.itemCount = items;
  plan.sampled = options.sampledNegatives;
  FrozenNegatives drawn;
  if (plan.sampled) {
    if (options.negatives) {
      RECO_CHECK(
          options.negatives->count == *plan.sampled && options.negatives->users() == test.rows(),
          ErrorKind::Internal, "the frozen negatives were drawn for another count or test part");
      plan.negatives = options.negatives;
    } else {
      drawn = drawNegatives(train, test, *plan.sampled, options.sampleSeed, options.threads);
      plan.negatives = &drawn;
    }
  }

  EvalResult result;
  result.ks = options.ks;
  for (int k : options.ks)
    for (std::string_view family : kRankingMetricFamilies)
      result.metricNames.push_back(metricName(family, k));
  result.metricNames.emplace_back(kAucMetric);
  plan.sampledColumn = result.metricNames.size();
  if (plan.sampled) {
    for (int k : options.ks)
      for (std::string_view family : {"hit", "ndcg", "mrr"})
        result.metricNames.push_back(std::string(kSampledPrefix) + metricName(family, k));
    result.metricNames.push_back(std::string(kSampledPrefix) + std::string(kAucMetric));
  }
  plan.metricCount = result.metricNames.size();

  // The evaluated users: at least one test item that is not a training item. Their top
  // list lengths are known here, so every thread writes into its own slice of the result.
  result.topStart.push_back(0);
  for (std::int32_t u = 0; u < test.rows(); ++u) {
    const auto trainCols = train.userItems.rowCols(u);
    std::size_t relevant = 0;
    for (std::int32_t i : test.rowCols(u)) {
      if (std::binary_search(trainCols.begin(), trainCols.end(), i))
        ++result.skippedTestPairs;
      else
        ++relevant;
    }
    if (relevant == 0) continue;
    RECO_CHECK(std::size_t(u) < model.userCount(), ErrorKind::Data,
               "test user " + std::to_string(u) + " is outside the model's " +
                   std::to_string(model.userCount()) + " users");
    result.users.push_back(UserIndex{u});
    const std::size_t length = std::min(plan.maxK, std::size_t(items) - trainCols.size());
    result.topStart.push_back(result.topStart.back() + std::int64_t(length));
  }
  if (result.skippedTestPairs > 0)
    note(observer, std::to_string(result.skippedTestPairs) +
                       " test pairs are also training pairs and do not count as relevant");
  const std::size_t userCount = result.users.size();
  plan.users = userCount;
  result.perUser.assign(plan.metricCount * userCount, kNaN);
  result.topItems.resize(std::size_t(result.topStart.back()));

  const bool onDevice =
      !plan.sampled &&
      (options.ranking == EvalOptions::Ranking::Device ||
       (options.ranking == EvalOptions::Ranking::Auto && (model.capabilities() & kRanksOnDevice)));
  const std::size_t batch = std::size_t(options.batchUsers);
  const std::size_t blocks = (userCount + batch - 1) / batch;
  std::atomic<bool> stopped{false};
  std::atomic<std::uint64_t> done{0};
  std::mutex progressMutex;
  auto lastReport = std::chrono::steady_clock::now() - std::chrono::seconds(1);
  report(observer, {"evaluating users", 0, userCount});
  const auto reportDone = [&](std::size_t count) {
    const std::uint64_t now = done.fetch_add(count) + count;
    if (!observer) return;
    const std::lock_guard lock(progressMutex);
    const auto t = std::chrono::steady_clock::now();
    if (now == userCount || t - lastReport > std::chrono::milliseconds(50)) {
      lastReport = t;
      report(observer, {"evaluating users", done.load(), userCount});
    }
  };

  parallelFor(std::int64_t(blocks), options.threads, [&](std::int64_t b0, std::int64_t b1, int) {
    Scratch s;
    s.mark.assign(std::size_t(items), kFree);
    for (std::int64_t b = b0; b < b1; ++b) {
      if (stopped.load(std::memory_order_relaxed) || stop.stop_requested()) {
        stopped = true;
        return;
      }
      const std::size_t r0 = std::size_t(b) * batch, r1 = std::min(userCount, r0 + batch);
      const std::span<const UserIndex> blockUsers(result.users.data() + r0, r1 - r0);
      if (onDevice) {
        evaluateOnDevice(plan, model, blockUsers, r0, result.topStart, result.topItems,
                         result.perUser.data());
        reportDone(r1 - r0);
        continue;
      }
      s.scores.resize(blockUsers.size() * std::size_t(items));
      model.score(blockUsers, s.scores);
      for (std::size_t r = r0; r < r1; ++r) {
        const std::span<const float> row(s.scores.data() + (r - r0) * std::size_t(items),
                                         std::size_t(items));
        const std::span<ScoredItem> top(result.topItems.data() + result.topStart[r],
                                        std::size_t(result.topStart[r + 1] - result.topStart[r]));
        evaluateUser(plan, s, row, result.users[r], r, top, result.perUser.data());
      }
      reportDone(r1 - r0);
    }
  });

  const auto seconds = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  };
  if (stopped) {
    EvalResult out;
    out.outcome = Outcome::Stopped;
    out.ks = options.ks;
    out.seconds = seconds();
    return out;
  }

  // Aggregates, in user order: independent of threads and batch size.
  for (std::size_t m = 0; m < plan.metricCount; ++m) {
    const MeanCi ci = meanCi(result.column(m));
    result.aggregates.push_back({result.metricNames[m], ci.mean, ci.ciLow, ci.ciHigh, ci.n});
  }
  std::vector<float> embeddings;
  std::size_t dimension = 0;
  if (options.embeddingDiversity && (model.capabilities() & kHasItemEmbeddings))
    dimension = model.itemEmbeddings(embeddings);
  CatalogueAccumulator catalogue(train, options.ks, embeddings, dimension);
  for (std::size_t r = 0; r < userCount; ++r) catalogue.add(result.topFor(r));
  result.catalogue = catalogue.metrics();
  result.seconds = seconds();
  return result;
}

RatingErrors evaluateRatings(const Recommender& model, const CsrMatrix& testRatings, int threads,
                             int batchUsers) {
  RECO_CHECK(batchUsers > 0, ErrorKind::Config,
             "batchUsers must be > 0, got " + std::to_string(batchUsers));
  RECO_CHECK(model.isFitted(), ErrorKind::Model,
             "model '" + std::string(model.modelName()) + "' must be trained before evaluation");
  const auto items = std::int32_t(model.itemCount());
  RECO_CHECK(testRatings.cols() == items && std::size_t(testRatings.rows()) <= model.userCount(),
             ErrorKind::Data,
             "test ratings are " + std::to_string(testRatings.rows()) + " x " +
                 std::to_string(testRatings.cols()) + ", the model scores " +
                 std::to_string(model.userCount()) + " x " + std::to_string(items));
  checkColumns(testRatings, items, "test ratings");
  std::vector<UserIndex> users;
  for (std::int32_t u = 0; u < testRatings.rows(); ++u)
    if (testRatings.rowSize(u) > 0) users.push_back(UserIndex{u});
  std::vector<float> predicted(std::size_t(testRatings.nnz()));
  const std::size_t batch = std::size_t(batchUsers);
  const std::size_t blocks = (users.size() + batch - 1) / batch;
  parallelFor(std::int64_t(blocks), threads, [&](std::int64_t b0, std::int64_t b1, int) {
    std::vector<float> scores;
    for (std::int64_t b = b0; b < b1; ++b) {
      const std::size_t r0 = std::size_t(b) * batch, r1 = std::min(users.size(), r0 + batch);
      scores.resize((r1 - r0) * std::size_t(items));
      model.score(std::span<const UserIndex>(users.data() + r0, r1 - r0), scores);
      for (std::size_t r = r0; r < r1; ++r) {
        const std::int32_t u = users[r].value;
        const auto cols = testRatings.rowCols(u);
        const auto start = std::size_t(testRatings.rowStart()[std::size_t(u)]);
        for (std::size_t j = 0; j < cols.size(); ++j)
          predicted[start + j] = scores[(r - r0) * std::size_t(items) + std::size_t(cols[j])];
      }
    }
  });
  return ratingErrors(predicted, testRatings.values());
}

}  // namespace reco
