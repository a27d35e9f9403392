#include "core/models/popularity_model.h"

#include <algorithm>
#include <cmath>
#include <istream>
#include <limits>
#include <ostream>

#include "core/common/binary_io.h"
#include "core/common/error.h"
#include "core/data/training_data.h"
#include "core/models/classic_support.h"
#include "core/models/train_observer.h"

namespace reco {

const OptionTable<PopularityOptions>& PopularityOptions::table() {
  static const OptionTable<PopularityOptions> table{
      optionField("window_days", &PopularityOptions::windowDays, 0, 36500,
                  "count only pairs at most this many days before the latest training time; 0: "
                  "all time"),
  };
  return table;
}

namespace {

constexpr std::uint32_t kFormatVersion = 1;
constexpr double kSecondsPerDay = 86400.0;

}  // namespace

Outcome PopularityModel::fit(const TrainingData& data, TrainObserver* observer,
                             std::stop_token stop) {
  fitted_ = false;
  if (stop.stop_requested()) return Outcome::Stopped;
  checkTrainingData(data);
  std::vector<float> counts(std::size_t(data.itemCount), 0.0f);
  if (options_.windowDays == 0) {
    for (std::int32_t i = 0; i < data.itemCount; ++i)
      counts[std::size_t(i)] = float(data.itemUsers.rowSize(i));
  } else {
    const CsrMatrix& seq = data.userSequence;
    RECO_CHECK(seq.rows() == data.userCount && seq.cols() == data.itemCount, ErrorKind::Internal,
               "training data: userSequence is " + std::to_string(seq.rows()) + " x " +
                   std::to_string(seq.cols()) + ", expected " + std::to_string(data.userCount) +
                   " x " + std::to_string(data.itemCount));
    double latest = -std::numeric_limits<double>::infinity();
    for (const float t : seq.values())
      if (!std::isnan(t)) latest = std::max(latest, double(t));
    RECO_CHECK(std::isfinite(latest), ErrorKind::Config,
               "option 'window_days' = " + std::to_string(options_.windowDays) +
                   " needs interaction times, but this training data has none; use window_days=0");
    const double cutoff = latest - options_.windowDays * kSecondsPerDay;
    for (std::size_t k = 0; k < seq.values().size(); ++k) {
      const float t = seq.values()[k];
      if (!std::isnan(t) && double(t) >= cutoff) counts[std::size_t(seq.colIndex()[k])] += 1.0f;
    }
  }
  users_ = std::size_t(data.userCount);
  ranking_ = SharedRowRanking(counts);
  counts_ = std::move(counts);
  fitted_ = true;
  report(observer, Progress{"item popularity", 1, 1});
  return Outcome::Completed;
}

void PopularityModel::score(std::span<const UserIndex> users, std::span<float> out) const {
  checkScoreArgs(modelName(), fitted_, users, users_, counts_.size(), out.size());
  for (std::size_t r = 0; r < users.size(); ++r)
    std::copy(counts_.begin(), counts_.end(), out.begin() + std::ptrdiff_t(r * counts_.size()));
}

bool PopularityModel::rankOnDevice(DeviceRanking& block) const {
  checkRankUsers(modelName(), fitted_, block.users, users_);
  ranking_.rank(block);
  return true;
}

void PopularityModel::scoreHistory(std::span<const ItemIndex> history, std::span<float> out) const {
  RECO_CHECK(fitted_, ErrorKind::Model, "model 'pop' must be trained or loaded before scoring");
  RECO_CHECK(out.size() == counts_.size(), ErrorKind::Internal,
             "scoreHistory(): expected " + std::to_string(counts_.size()) + " floats, found " +
                 std::to_string(out.size()));
  for (ItemIndex item : history) checkItem(item, counts_.size());
  std::copy(counts_.begin(), counts_.end(), out.begin());
}

Explanation PopularityModel::explain(UserIndex, ItemIndex item, std::span<const ItemIndex>) const {
  RECO_CHECK(fitted_, ErrorKind::Model, "model 'pop' must be trained or loaded first");
  checkItem(item, counts_.size());
  Explanation explanation;
  explanation.score = counts_[std::size_t(item.value)];
  const auto n = std::int64_t(explanation.score);
  explanation.reason = "popular: chosen by " + std::to_string(n) + (n == 1 ? " user" : " users");
  if (options_.windowDays > 0)
    explanation.reason += " in the last " + std::to_string(options_.windowDays) + " days";
  return explanation;
}

Explanation PopularityModel::explainHistory(std::span<const ItemIndex> history,
                                            ItemIndex item) const {
  for (ItemIndex j : history) checkItem(j, counts_.size());
  return explain(UserIndex{-1}, item, {});
}

void PopularityModel::save(std::ostream& out) const {
  RECO_CHECK(fitted_, ErrorKind::Model, "model 'pop' must be trained before saving");
  binary::writeHeader(out, "pop", kFormatVersion);
  binary::write<std::uint64_t>(out, users_);
  binary::writeVector(out, counts_);
  RECO_CHECK(static_cast<bool>(out), ErrorKind::Io, "could not write the pop model");
}

void PopularityModel::load(std::istream& in) {
  fitted_ = false;
  binary::checkHeader(in, "pop", kFormatVersion);
  const auto users = binary::read<std::uint64_t>(in, "the user count");
  auto counts = binary::readVector<float>(in, "the item counts", 1ull << 31);
  RECO_CHECK(users < (1ull << 31), ErrorKind::Model,
             "model file is corrupt: " + std::to_string(users) + " users");
  for (const float c : counts)
    RECO_CHECK(std::isfinite(c) && c >= 0, ErrorKind::Model,
               "model file is corrupt: an item count is not a count");
  users_ = std::size_t(users);
  ranking_ = SharedRowRanking(counts);
  counts_ = std::move(counts);
  fitted_ = true;
}

}  // namespace reco
