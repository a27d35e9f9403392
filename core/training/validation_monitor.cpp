#include "core/training/validation_monitor.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>

#include "core/common/error.h"
#include "core/common/json.h"
#include "core/common/random.h"
#include "core/data/training_data.h"
#include "core/eval/evaluator.h"

namespace reco {

namespace {

constexpr const char* kRankingMetrics[] = {"precision", "recall", "ndcg", "map", "mrr", "hit"};

// "ndcg@10" -> 10; "auc" -> 0. Throws Config for anything evaluate() does not report.
int cutOffOf(const std::string& metric) {
  if (metric == "auc") return 0;
  const auto at = metric.find('@');
  const std::string base = metric.substr(0, at);
  const bool known = std::any_of(std::begin(kRankingMetrics), std::end(kRankingMetrics),
                                 [&](const char* m) { return base == m; });
  int k = 0;
  if (known && at != std::string::npos) {
    try {
      std::size_t used = 0;
      k = std::stoi(metric.substr(at + 1), &used);
      if (used != metric.size() - at - 1) k = 0;
    } catch (const std::exception&) {
      k = 0;
    }
  }
  if (!known || k <= 0)
    throw Error(ErrorKind::Config,
                "validation metric '" + metric +
                    "' is not one the evaluator reports: expected precision@K, recall@K, ndcg@K, "
                    "map@K, mrr@K, hit@K (K > 0) or auc");
  return k;
}

}  // namespace

ValidationMonitor::ValidationMonitor(const TrainingData& train, const ValidationOptions& options,
                                     int threads, TrainObserver* next)
    : train_(train), options_(options), threads_(threads), next_(next) {
  RECO_CHECK(options.every >= 1, ErrorKind::Config,
             "validation every must be >= 1, got " + std::to_string(options.every));
  RECO_CHECK(options.patience >= 0, ErrorKind::Config,
             "patience must be >= 0, got " + std::to_string(options.patience));
  RECO_CHECK(options.maxUsers >= 1, ErrorKind::Config,
             "validation users must be >= 1, got " + std::to_string(options.maxUsers));
  const int k = cutOffOf(options.metric);
  k_ = k == 0 ? 10 : k;
  const CsrMatrix& valid = train.validation;
  RECO_CHECK(valid.nnz() > 0, ErrorKind::Config,
             "validation needs a split with a validation part: create one with reco split ... "
             "--valid 0.1");
  std::vector<std::int32_t> candidates;
  for (std::int32_t u = 0; u < valid.rows(); ++u)
    if (!valid.rowCols(u).empty()) candidates.push_back(u);
  if (candidates.size() > std::size_t(options.maxUsers)) {
    // A seeded sample, the same for every epoch and every model on this split and seed.
    Random rng = Random(train.seed).split(0x76616c6964ULL);  // "valid"
    for (std::size_t j = 0; j < std::size_t(options.maxUsers); ++j) {
      const std::size_t pick = j + std::size_t(rng.below(std::uint64_t(candidates.size() - j)));
      std::swap(candidates[j], candidates[pick]);
    }
    candidates.resize(std::size_t(options.maxUsers));
    std::sort(candidates.begin(), candidates.end());
  }
  std::vector<Triplet> entries;
  for (std::int32_t u : candidates)
    for (std::int32_t i : valid.rowCols(u)) entries.push_back({u, i, 1.0f});
  part_ = CsrMatrix::fromTriplets(valid.rows(), valid.cols(), std::move(entries));
  users_ = candidates.size();
}

void ValidationMonitor::onProgress(const Progress& progress) {
  if (next_) next_->onProgress(progress);
}

void ValidationMonitor::onMessage(const std::string& message) {
  if (next_) next_->onMessage(message);
}

void ValidationMonitor::onEpoch(const EpochReport& report) {
  EpochReport out = report;
  if (out.validation) out.validationMetric = options_.metric;
  if (next_) next_->onEpoch(out);
}

double ValidationMonitor::measure(const Recommender& model) const {
  EvalOptions eval;
  eval.ks = {k_};
  eval.threads = threads_;
  eval.embeddingDiversity = false;
  const EvalResult result = evaluate(model, train_, part_, eval);
  const MetricSummary* summary = result.aggregate(options_.metric);
  RECO_CHECK(summary != nullptr, ErrorKind::Internal,
             "the evaluator did not report " + options_.metric);
  return summary->mean;
}

std::optional<double> ValidationMonitor::validate(const Recommender& model, int epoch) {
  lastEpoch_ = epoch;
  if (epoch % options_.every != 0) return std::nullopt;
  const double value = measure(model);
  ++validations_;
  if (!best_ || value > *best_) {
    best_ = value;
    bestEpoch_ = epoch;
    sinceBest_ = 0;
    if (options_.patience > 0) {
      std::ostringstream state;
      model.save(state);
      bestState_ = state.str();
    }
  } else {
    ++sinceBest_;
  }
  return value;
}

bool ValidationMonitor::stopEarly() const {
  if (options_.patience <= 0 || sinceBest_ < options_.patience) return false;
  const_cast<ValidationMonitor*>(this)->stoppedEarly_ = true;
  return true;
}

std::optional<double> ValidationMonitor::validateFinal(const Recommender& model) {
  if (validations_ > 0) return std::nullopt;
  const double value = measure(model);
  ++validations_;
  best_ = value;
  bestEpoch_ = std::max(lastEpoch_, 1);
  return value;
}

bool ValidationMonitor::restoreBest(Recommender& model) const {
  if (bestState_.empty() || !bestEpoch_ || *bestEpoch_ == lastEpoch_) return false;
  std::istringstream state(bestState_);
  model.load(state);
  return true;
}

std::string ValidationMonitor::json() const {
  JsonWriter json;
  json.beginObject();
  json.field("metric", options_.metric);
  json.field("every", std::int64_t(options_.every));
  json.field("patience", std::int64_t(options_.patience));
  json.field("users", std::int64_t(users_));
  json.field("validations", std::int64_t(validations_));
  if (bestEpoch_) json.field("best_epoch", std::int64_t(*bestEpoch_));
  if (best_) json.field("best", *best_);
  json.field("stopped_early", stoppedEarly_);
  return json.endObject().str();
}

}  // namespace reco
