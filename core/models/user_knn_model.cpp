#include "core/models/user_knn_model.h"

#include <algorithm>
#include <istream>
#include <iterator>
#include <map>
#include <optional>
#include <ostream>

#include "core/common/binary_io.h"
#include "core/common/error.h"
#include "core/data/training_data.h"
#include "core/models/sparse_ranking.h"
#include "core/models/train_observer.h"
#include "core/similarity/item_similarity.h"

namespace reco {
namespace {

constexpr std::uint32_t kFormatVersion = 1;

// A user's scores: add(i, sim(u, v) * x_vi) over u's neighbours v and their items i, in one
// fixed order, shared by score() and rankOnDevice() so that both sum the same floats.
template <class Add>
void accumulateUser(const CsrMatrix& neighbours, const CsrMatrix& feedback, std::int32_t user,
                    Add&& add) {
  const auto others = neighbours.rowCols(user);
  const auto sims = neighbours.rowValues(user);
  for (std::size_t q = 0; q < others.size(); ++q) {
    const auto cols = feedback.rowCols(others[q]);
    const auto vals = feedback.rowValues(others[q]);
    for (std::size_t c = 0; c < cols.size(); ++c) add(cols[c], sims[q] * vals[c]);
  }
}

}  // namespace

UserKnnModel::UserKnnModel(const KnnOptions& options, int threads)
    : options_(options), threads_(threads) {
  options_.validate();
}

Outcome UserKnnModel::fit(const TrainingData& data, TrainObserver* observer, std::stop_token stop) {
  fitted_ = false;
  if (stop.stop_requested()) return Outcome::Stopped;
  checkTrainingData(data);
  report(observer, Progress{"user similarities", 0, std::uint64_t(data.userCount)});
  CsrMatrix feedback = applyFeedback(data.userItems, options_.feedback);
  similarity::NeighbourOptions neighbourOptions{options_.similarity, options_.k, options_.shrink,
                                                threads_};
  std::optional<CsrMatrix> neighbours;
  if (options_.similarity == similarity::Measure::Pearson) {
    neighbours = similarity::topKNeighbours(knnSimilarityInput(data, options_), neighbourOptions,
                                            observer, stop, "user similarities");
  } else {
    const CsrMatrix itemUsers = applyFeedback(data.itemUsers, options_.feedback);
    neighbours = similarity::topKNeighbours(feedback, neighbourOptions, observer, stop,
                                            "user similarities", &itemUsers);
  }
  if (!neighbours) return Outcome::Stopped;
  feedback_ = std::move(feedback);
  neighbours_ = std::move(*neighbours);
  fitted_ = true;
  note(observer, "userknn (" + std::string(similarity::measureName(options_.similarity)) +
                     "): kept " + std::to_string(neighbours_.nnz()) + " neighbour pairs over " +
                     std::to_string(neighbours_.rows()) + " users");
  return Outcome::Completed;
}

void UserKnnModel::score(std::span<const UserIndex> users, std::span<float> out) const {
  checkScoreArgs(modelName(), fitted_, users, userCount(), itemCount(), out.size());
  const std::size_t items = itemCount();
  for (std::size_t r = 0; r < users.size(); ++r) {
    float* row = out.data() + r * items;
    std::fill(row, row + items, 0.0f);
    accumulateUser(neighbours_, feedback_, users[r].value,
                   [row](std::int32_t item, float value) { row[item] += value; });
  }
}

bool UserKnnModel::rankOnDevice(DeviceRanking& block) const {
  checkRankUsers(modelName(), fitted_, block.users, userCount());
  rankSparseRows(itemCount(), block, [this](UserIndex user, SparseScoreRow& row) {
    accumulateUser(neighbours_, feedback_, user.value,
                   [&row](std::int32_t item, float value) { row.add(item, value); });
  });
  return true;
}

Explanation UserKnnModel::explain(UserIndex user, ItemIndex item,
                                  std::span<const ItemIndex> history) const {
  RECO_CHECK(fitted_, ErrorKind::Model, "model 'userknn' must be trained or loaded first");
  checkItem(item, itemCount());
  RECO_CHECK(user.value >= 0 && std::size_t(user.value) < userCount(), ErrorKind::Internal,
             "user index " + std::to_string(user.value) + " out of range [0, " +
                 std::to_string(userCount()) + ")");
  std::vector<std::int32_t> mine;
  for (ItemIndex h : history) {
    checkItem(h, itemCount());
    mine.push_back(h.value);
  }
  std::sort(mine.begin(), mine.end());
  mine.erase(std::unique(mine.begin(), mine.end()), mine.end());

  Explanation explanation;
  std::map<std::int32_t, double> share;
  const auto others = neighbours_.rowCols(user.value);
  const auto sims = neighbours_.rowValues(user.value);
  for (std::size_t q = 0; q < others.size(); ++q) {
    const float x = feedback_.at(others[q], item.value);
    if (x == 0) continue;
    const double part = double(sims[q] * x);
    explanation.score += part;
    std::vector<std::int32_t> common;
    const auto theirs = feedback_.rowCols(others[q]);
    std::set_intersection(mine.begin(), mine.end(), theirs.begin(), theirs.end(),
                          std::back_inserter(common));
    for (const std::int32_t j : common) share[j] += part / double(common.size());
  }
  for (const auto& [j, weight] : share) explanation.because.push_back({ItemIndex{j}, weight});
  std::sort(explanation.because.begin(), explanation.because.end(),
            [](const auto& a, const auto& b) {
              return a.weight != b.weight ? a.weight > b.weight : a.item < b.item;
            });
  explanation.reason =
      explanation.score > 0 ? "users like you chose it" : "no similar user chose it";
  return explanation;
}

void UserKnnModel::save(std::ostream& out) const {
  RECO_CHECK(fitted_, ErrorKind::Model, "model 'userknn' must be trained before saving");
  binary::writeHeader(out, "userknn", kFormatVersion);
  writeCsr(out, feedback_);
  writeCsr(out, neighbours_);
  RECO_CHECK(static_cast<bool>(out), ErrorKind::Io, "could not write the userknn model");
}

void UserKnnModel::load(std::istream& in) {
  fitted_ = false;
  binary::checkHeader(in, "userknn", kFormatVersion);
  CsrMatrix feedback = readCsr(in, "the user feedback");
  CsrMatrix neighbours = readCsr(in, "the user neighbours");
  RECO_CHECK(neighbours.rows() == neighbours.cols() && feedback.rows() == neighbours.rows(),
             ErrorKind::Model,
             "model file is corrupt: the user neighbours are " + std::to_string(neighbours.rows()) +
                 " x " + std::to_string(neighbours.cols()) + " for " +
                 std::to_string(feedback.rows()) + " users");
  feedback_ = std::move(feedback);
  neighbours_ = std::move(neighbours);
  fitted_ = true;
}

}  // namespace reco
