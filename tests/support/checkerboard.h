#pragma once
// Test support: the checkerboard, a training set whose right answer is known (even users
// chose even items, odd users odd items), and what the model suites do with it: score every
// user, compare score arrays bit for bit, measure the right answer, record what a model
// reports while it trains. The model contract (model_contract.h) and the model-specific
// suites (classic and deep) share it. No Qt here (the torch suites run where Qt is absent).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <span>
#include <stop_token>
#include <string>
#include <utility>
#include <vector>

#include "core/common/random.h"
#include "core/data/training_data.h"
#include "core/models/recommender.h"
#include "core/models/train_observer.h"

namespace reco::testing {

inline constexpr std::int32_t kCheckerboardUsers = 40, kCheckerboardItems = 30;

struct Checkerboard {
  TrainingData data;
  /// Per user (UserIndex order): the training items, and the 2 held-out items of the
  /// user's parity that training never saw.
  std::vector<std::vector<ItemIndex>> train, heldOut;
};

/// 40 users x 30 items: each user chose a random 8 of the 15 items of their parity; 2 are
/// held out, 6 train with weights 1..3, ratings 4..5 (hasRatings) and times 0..59 days after
/// 1.7e9 in userSequence (for sequence and recency models). Categories follow the parity (a
/// content model can see it; titles are random words and cannot), prices rise with the item
/// and every 7th is unknown (NaN). Seed 42 for the models.
inline Checkerboard makeCheckerboard(std::uint64_t generatorSeed = 7) {
  constexpr std::int32_t users = kCheckerboardUsers, items = kCheckerboardItems;
  Checkerboard board;
  Random rng(generatorSeed);
  std::vector<Triplet> pairs;
  std::map<std::pair<int, int>, float> rating;
  std::vector<std::vector<std::pair<float, std::int32_t>>> timed(users);
  board.train.resize(users);
  board.heldOut.resize(users);
  for (std::int32_t u = 0; u < users; ++u) {
    std::vector<std::int32_t> same;
    for (std::int32_t i = u % 2; i < items; i += 2) same.push_back(i);
    for (std::size_t k = same.size() - 1; k > 0; --k) std::swap(same[k], same[rng.below(k + 1)]);
    for (std::size_t k = 0; k < 8; ++k) {
      if (k < 2) {
        board.heldOut[std::size_t(u)].push_back({same[k]});
        continue;
      }
      board.train[std::size_t(u)].push_back({same[k]});
      pairs.push_back({u, same[k], float(1 + rng.below(3))});
      rating[{u, same[k]}] = float(4 + rng.below(2));
      timed[std::size_t(u)].push_back({float(1.7e9 + 86400.0 * double(rng.below(60))), same[k]});
    }
  }
  TrainingData& d = board.data;
  d.userCount = users;
  d.itemCount = items;
  d.userItems = CsrMatrix::fromTriplets(users, items, pairs);
  d.itemUsers = d.userItems.transposed();
  d.hasRatings = true;
  for (std::int32_t u = 0; u < users; ++u)
    for (const auto i : d.userItems.rowCols(u)) d.ratings.push_back(rating[{u, i}]);
  std::vector<std::int64_t> start{0};
  std::vector<std::int32_t> cols;
  std::vector<float> times;
  for (auto& row : timed) {
    std::sort(row.begin(), row.end());
    for (const auto& [time, item] : row) {
      cols.push_back(item);
      times.push_back(time);
    }
    start.push_back(std::int64_t(cols.size()));
  }
  d.userSequence = CsrMatrix::fromParts(users, items, start, cols, times);
  d.categoryNames = {"Home > Kitchen", "Toys > Games"};
  const char* words[] = {"red", "blue", "steel", "wooden", "lamp", "chair", "mug", "kite"};
  for (std::int32_t i = 0; i < items; ++i) {
    d.itemCategory.push_back(i % 2);
    d.itemTitles.push_back(std::string(words[rng.below(8)]) + " " + words[rng.below(8)] + " " +
                           std::to_string(i));
    d.itemPrices.push_back(i % 7 == 0 ? NAN : float(10 + i));
  }
  d.seed = 42;
  return board;
}

/// The checkerboard of generator seed 7, built once per process.
inline const Checkerboard& checkerboard() {
  static const Checkerboard board = makeCheckerboard();
  return board;
}

/// The checkerboard's catalogue with a never-bought item before every third item (30 + 10
/// items): what a shop's full product list adds to the items anyone bought. `widenedIndex`
/// maps a board item to its index in the wider catalogue; the new items have categories,
/// titles and prices like the others, and no training pair.
inline std::int32_t widenedIndex(std::int32_t item) {
  return item + item / 3 + 1;
}
inline constexpr std::int32_t kWidenedItems = kCheckerboardItems + kCheckerboardItems / 3;

inline TrainingData widenedCatalogue(const TrainingData& board) {
  auto widen = [](const CsrMatrix& m) {
    std::vector<std::int32_t> cols;
    for (const auto c : m.colIndex()) cols.push_back(widenedIndex(c));
    return CsrMatrix::fromParts(m.rows(), kWidenedItems, m.rowStart(), cols, m.values());
  };
  TrainingData d = board;
  d.itemCount = kWidenedItems;
  d.userItems = widen(board.userItems);
  d.itemUsers = d.userItems.transposed();
  d.userSequence = widen(board.userSequence);
  d.validation = widen(board.validation);
  d.itemCategory.assign(std::size_t(kWidenedItems), 0);
  d.itemTitles.assign(std::size_t(kWidenedItems), "never bought");
  d.itemPrices.assign(std::size_t(kWidenedItems), 20.0f);
  for (std::int32_t i = 0; i < kWidenedItems; ++i) d.itemCategory[std::size_t(i)] = i % 2;
  for (std::int32_t i = 0; i < board.itemCount; ++i) {
    const auto at = std::size_t(widenedIndex(i));
    d.itemCategory[at] = board.itemCategory[std::size_t(i)];
    d.itemTitles[at] = board.itemTitles[std::size_t(i)];
    d.itemPrices[at] = board.itemPrices[std::size_t(i)];
  }
  return d;
}

/// The checkerboard with one more user (the last index) who has no training pair: a customer
/// first seen after the training period.
inline TrainingData withNewcomer(const TrainingData& board) {
  auto taller = [](const CsrMatrix& m) {
    std::vector<std::int64_t> start = m.rowStart();
    start.push_back(start.back());
    return CsrMatrix::fromParts(m.rows() + 1, m.cols(), start, m.colIndex(), m.values());
  };
  TrainingData d = board;
  d.userCount = board.userCount + 1;
  d.userItems = taller(board.userItems);
  d.itemUsers = d.userItems.transposed();
  d.userSequence = taller(board.userSequence);
  d.validation = taller(board.validation);
  return d;
}

/// Every user's row of scores, row-major (userCount() x itemCount()).
inline std::vector<float> scoreAll(const Recommender& model) {
  std::vector<UserIndex> users;
  for (std::int32_t u = 0; u < std::int32_t(model.userCount()); ++u) users.push_back({u});
  std::vector<float> out(users.size() * model.itemCount());
  model.score(users, out);
  return out;
}

/// Bit-identical float arrays (NaN and -infinity compare as themselves): for results a
/// model must reproduce exactly (batch against single, save and load, the same seed).
inline bool identical(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

/// How well a model fitted on `board` finds the parity: the share of its top-5 items (seen
/// items excluded) that have the user's parity, and the mean position among each user's
/// unseen items of the held-out items and of the wrong-parity items (lower is better).
struct ParityAnswer {
  double share = 0;
  double heldOutPosition = 0, wrongParityPosition = 0;
};

inline ParityAnswer parityAnswer(const Recommender& model,
                                 const Checkerboard& board = checkerboard()) {
  const std::int32_t users = board.data.userCount;
  const std::size_t items = std::size_t(board.data.itemCount);
  const std::vector<float> scores = scoreAll(model);
  int right = 0, total = 0;
  ParityAnswer answer;
  for (std::int32_t u = 0; u < users; ++u) {
    const auto& seen = board.train[std::size_t(u)];
    for (const ScoredItem& rec : model.recommend({u}, seen, 5)) {
      right += rec.item.value % 2 == u % 2;
      ++total;
    }
    const std::span<const float> row(scores.data() + std::size_t(u) * items, items);
    const std::vector<ScoredItem> ranking = selectTopN(row, seen, items);
    const auto& held = board.heldOut[std::size_t(u)];
    double heldSum = 0, wrongSum = 0;
    int wrongCount = 0;
    for (std::size_t position = 0; position < ranking.size(); ++position) {
      const ItemIndex item = ranking[position].item;
      if (std::find(held.begin(), held.end(), item) != held.end()) heldSum += double(position);
      if (item.value % 2 != u % 2) {
        wrongSum += double(position);
        ++wrongCount;
      }
    }
    answer.heldOutPosition += heldSum / double(held.size()) / users;
    answer.wrongParityPosition += wrongSum / wrongCount / users;
  }
  answer.share = double(right) / total;
  return answer;
}

/// Records what a model reports while it trains, validates each epoch when asked to (by
/// scoring user 0: the model must be scorable then), and stops on request: at the
/// stopAtProgress-th progress report (through `source`) or after stopAfterEpochs epochs
/// (early stopping).
class RecordingObserver : public TrainObserver {
 public:
  void onProgress(const Progress&) override {
    ++progress;
    if (stopAtProgress > 0 && progress == stopAtProgress) source.request_stop();
  }
  void onMessage(const std::string& message) override { messages.push_back(message); }
  void onEpoch(const EpochReport& report) override { epochs.push_back(report); }
  bool wantsValidation() const override { return validating; }
  std::optional<double> validate(const Recommender& model, int) override {
    std::vector<float> row(model.itemCount());
    const UserIndex user[] = {{0}};
    model.score(user, row);
    ++validations;
    return double(row[0]);
  }
  bool stopEarly() const override {
    return stopAfterEpochs > 0 && int(epochs.size()) >= stopAfterEpochs;
  }

  int progress = 0, stopAtProgress = 0, validations = 0, stopAfterEpochs = 0;
  bool validating = false;
  std::stop_source source;
  std::vector<EpochReport> epochs;
  std::vector<std::string> messages;
};

/// The CPU with `threads` threads (the suites' default: one, so that runs are repeatable
/// and two suites on a two-core machine do not fight).
inline ComputeOptions cpuCompute(int threads = 1) {
  ComputeOptions compute;
  compute.device = ComputeOptions::Device::Cpu;
  compute.threads = threads;
  return compute;
}

}  // namespace reco::testing
