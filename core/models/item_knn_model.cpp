#include "core/models/item_knn_model.h"

#include <algorithm>
#include <cmath>
#include <istream>
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

// Distinct, in-range history items, ascending (duplicates must not count twice).
std::vector<std::int32_t> distinctItems(std::span<const ItemIndex> history, std::size_t itemCount) {
  std::vector<std::int32_t> items;
  items.reserve(history.size());
  for (ItemIndex item : history) {
    checkItem(item, itemCount);
    items.push_back(item.value);
  }
  std::sort(items.begin(), items.end());
  items.erase(std::unique(items.begin(), items.end()), items.end());
  return items;
}

// A user's scores, item by item: add(i, x_uj * sim(j, i)) over the user's history items j
// and j's neighbours i, in one fixed order. score() and rankOnDevice() both add through it,
// so the two sum the same floats in the same order.
template <class Add>
void accumulateUser(const CsrMatrix& feedback, const CsrMatrix& neighbours, std::int32_t user,
                    Add&& add) {
  const auto history = feedback.rowCols(user);
  const auto weights = feedback.rowValues(user);
  for (std::size_t h = 0; h < history.size(); ++h) {
    const auto cols = neighbours.rowCols(history[h]);
    const auto sims = neighbours.rowValues(history[h]);
    for (std::size_t q = 0; q < cols.size(); ++q) add(cols[q], weights[h] * sims[q]);
  }
}

}  // namespace

CsrMatrix knnSimilarityInput(const TrainingData& data, const KnnOptions& options) {
  if (options.similarity != similarity::Measure::Pearson)
    return applyFeedback(data.userItems, options.feedback);
  // Pearson / adjusted cosine: explicit ratings when there are, else the pair weights as
  // they are (binary weights would all centre to 0), each centred by the user's mean.
  CsrMatrix values =
      data.hasRatings
          ? CsrMatrix::fromParts(data.userItems.rows(), data.userItems.cols(),
                                 data.userItems.rowStart(), data.userItems.colIndex(), data.ratings)
          : data.userItems;
  values = applyFeedback(values, Feedback::Weighted);  // checks that every value is finite
  return similarity::centreRows(values);
}

ItemKnnModel::ItemKnnModel(const KnnOptions& options, int threads)
    : options_(options), threads_(threads) {
  options_.validate();
}

Outcome ItemKnnModel::fit(const TrainingData& data, TrainObserver* observer, std::stop_token stop) {
  fitted_ = false;
  if (stop.stop_requested()) return Outcome::Stopped;
  checkTrainingData(data);
  report(observer, Progress{"item similarities", 0, std::uint64_t(data.itemCount)});
  CsrMatrix feedback = applyFeedback(data.userItems, options_.feedback);
  const double shrink = effectiveShrink(options_, data.userItems);
  resolved_.clear();
  if (options_.shortHistoryShrink == "auto") resolved_["shrink"] = optionNumberText(shrink);
  similarity::NeighbourOptions neighbourOptions{options_.similarity, options_.k, shrink, threads_};
  std::optional<CsrMatrix> neighbours;
  if (options_.similarity == similarity::Measure::Pearson) {
    const CsrMatrix input = knnSimilarityInput(data, options_);
    neighbours = similarity::topKNeighbours(input.transposed(), neighbourOptions, observer, stop,
                                            "item similarities", &input);
  } else {
    // itemUsers is already the transpose: no scatter of the whole matrix is needed.
    neighbours = similarity::topKNeighbours(applyFeedback(data.itemUsers, options_.feedback),
                                            neighbourOptions, observer, stop, "item similarities",
                                            &feedback);
  }
  if (!neighbours) return Outcome::Stopped;
  feedback_ = std::move(feedback);
  neighbours_ = std::move(*neighbours);
  fitted_ = true;
  note(observer, "itemknn (" + std::string(similarity::measureName(options_.similarity)) +
                     "): kept " + std::to_string(neighbours_.nnz()) + " neighbour pairs over " +
                     std::to_string(neighbours_.rows()) + " items");
  return Outcome::Completed;
}

void ItemKnnModel::score(std::span<const UserIndex> users, std::span<float> out) const {
  checkScoreArgs(modelName(), fitted_, users, userCount(), itemCount(), out.size());
  const std::size_t items = itemCount();
  for (std::size_t r = 0; r < users.size(); ++r) {
    float* row = out.data() + r * items;
    std::fill(row, row + items, 0.0f);
    accumulateUser(feedback_, neighbours_, users[r].value,
                   [row](std::int32_t item, float value) { row[item] += value; });
  }
}

bool ItemKnnModel::rankOnDevice(DeviceRanking& block) const {
  checkRankUsers(modelName(), fitted_, block.users, userCount());
  rankSparseRows(itemCount(), block, [this](UserIndex user, SparseScoreRow& row) {
    accumulateUser(feedback_, neighbours_, user.value,
                   [&row](std::int32_t item, float value) { row.add(item, value); });
  });
  return true;
}

void ItemKnnModel::scoreHistory(std::span<const ItemIndex> history, std::span<float> out) const {
  RECO_CHECK(fitted_, ErrorKind::Model, "model 'itemknn' must be trained or loaded before scoring");
  RECO_CHECK(out.size() == itemCount(), ErrorKind::Internal,
             "scoreHistory(): expected " + std::to_string(itemCount()) + " floats, found " +
                 std::to_string(out.size()));
  std::fill(out.begin(), out.end(), 0.0f);
  for (const std::int32_t j : distinctItems(history, itemCount())) {
    const auto cols = neighbours_.rowCols(j);
    const auto sims = neighbours_.rowValues(j);
    for (std::size_t q = 0; q < cols.size(); ++q) out[std::size_t(cols[q])] += sims[q];
  }
}

std::vector<ScoredItem> ItemKnnModel::similarItems(ItemIndex item, std::size_t n) const {
  RECO_CHECK(fitted_, ErrorKind::Model, "model 'itemknn' must be trained or loaded first");
  checkItem(item, itemCount());
  std::vector<ScoredItem> out;
  for (const auto& [j, sim] : similarity::sortedNeighbours(neighbours_, item.value, n))
    out.push_back({ItemIndex{j}, sim});
  return out;
}

void ItemKnnModel::itemSimilarities(std::span<const ItemIndex> rows,
                                    std::span<const ItemIndex> columns,
                                    std::span<float> out) const {
  RECO_CHECK(fitted_, ErrorKind::Model, "model 'itemknn' must be trained or loaded first");
  RECO_CHECK(out.size() == rows.size() * columns.size(), ErrorKind::Internal,
             "itemSimilarities: out has " + std::to_string(out.size()) + " floats, expected " +
                 std::to_string(rows.size() * columns.size()));
  for (const ItemIndex column : columns) checkItem(column, itemCount());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    checkItem(rows[r], itemCount());
    // The same stored value that sortedNeighbours() hands to similarItems().
    for (std::size_t c = 0; c < columns.size(); ++c)
      out[r * columns.size() + c] = neighbours_.at(rows[r].value, columns[c].value);
  }
}

Explanation ItemKnnModel::explain(UserIndex user, ItemIndex item,
                                  std::span<const ItemIndex> history) const {
  RECO_CHECK(fitted_, ErrorKind::Model, "model 'itemknn' must be trained or loaded first");
  checkItem(item, itemCount());
  const bool known = user.value >= 0 && std::size_t(user.value) < userCount();
  Explanation explanation;
  for (const std::int32_t j : distinctItems(history, itemCount())) {
    const float sim = neighbours_.at(j, item.value);
    if (sim == 0) continue;
    const float x = known && feedback_.at(user.value, j) != 0 ? feedback_.at(user.value, j) : 1.0f;
    explanation.because.push_back({ItemIndex{j}, double(x * sim)});
    explanation.score += double(x * sim);
  }
  std::sort(explanation.because.begin(), explanation.because.end(),
            [](const auto& a, const auto& b) {
              return a.weight != b.weight ? a.weight > b.weight : a.item < b.item;
            });
  explanation.reason = explanation.because.empty() ? "nothing in your history is similar to it"
                                                   : "similar to {item} you interacted with";
  return explanation;
}

Explanation ItemKnnModel::explainHistory(std::span<const ItemIndex> history, ItemIndex item) const {
  // An index no training user has: explain() then weights every history item 1.
  Explanation explanation = explain(UserIndex{-1}, item, history);
  explanation.reason = explanation.because.empty() ? "nothing in the history is similar to it"
                                                   : "similar to {item} in the history";
  return explanation;
}

void ItemKnnModel::save(std::ostream& out) const {
  RECO_CHECK(fitted_, ErrorKind::Model, "model 'itemknn' must be trained before saving");
  binary::writeHeader(out, "itemknn", kFormatVersion);
  writeCsr(out, feedback_);
  writeCsr(out, neighbours_);
  RECO_CHECK(static_cast<bool>(out), ErrorKind::Io, "could not write the itemknn model");
}

void ItemKnnModel::load(std::istream& in) {
  fitted_ = false;
  binary::checkHeader(in, "itemknn", kFormatVersion);
  CsrMatrix feedback = readCsr(in, "the user feedback");
  CsrMatrix neighbours = readCsr(in, "the item neighbours");
  RECO_CHECK(neighbours.rows() == neighbours.cols() && feedback.cols() == neighbours.rows(),
             ErrorKind::Model,
             "model file is corrupt: the item neighbours are " + std::to_string(neighbours.rows()) +
                 " x " + std::to_string(neighbours.cols()) + " for " +
                 std::to_string(feedback.cols()) + " items");
  feedback_ = std::move(feedback);
  neighbours_ = std::move(neighbours);
  fitted_ = true;
}

}  // namespace reco
