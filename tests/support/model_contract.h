#pragma once
// THE model contract (.github/CONTRIBUTING.md, Add a model): what every registered model,
// classic or deep, promises through the Recommender interface, checked on the checkerboard
// (checkerboard.h) whose right answer is known. One GoogleTest value-parameterized suite,
// ModelContract, whose parameter is a model's registry name.
//
// A binary instantiates it by including this header (in one source file: the TEST_P bodies
// are here), defining reco::testing::contractModels() and instantiating the suite over the
// names its registry lists:
//
//   INSTANTIATE_TEST_SUITE_P(Classic, ModelContract,
//                            ::testing::ValuesIn(contractModelNames(false)), modelTestName);
//
// GoogleTest evaluates that generator inside InitGoogleTest, after main has started, so
// contractModels() may load the reco_torch module first (tests/torch/test_deep_models.cpp).
// A model added to the registry is then covered with no edit here. Checks of what is
// particular to a model live beside the instantiation (test_model_contract.cpp for the
// classic models, test_deep_models.cpp for the deep ones).

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <functional>
#include <iterator>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <span>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "core/common/error.h"
#include "core/eval/evaluator.h"
#include "core/models/recommender.h"
#include "core/models/registry.h"
#include "tests/support/checkerboard.h"
#include "tests/support/gtest_support.h"

namespace reco::testing {

/// What a binary supplies when it instantiates ModelContract.
struct ContractModels {
  /// Holds the models: defaultRegistry() for the classic ones, the registry the reco_torch
  /// module registered into for the deep ones. Outlives the tests.
  const Registry* registry = nullptr;
  /// The options a model is built with on the checkerboard, on top of its defaults
  /// (fixture-sized values for defaults that are slow or too large on 40 x 30).
  std::function<OptionValues(const ModelInfo&)> options;
  /// The right answer of the models for which it is not the parity (they are not
  /// personalised: random, pop), by name: called with the fitted model, it checks with
  /// GoogleTest's EXPECT_* macros.
  std::map<std::string, std::function<void(const Recommender&)>> ownRightAnswer;
};

/// Defined by the binary that instantiates the suite; built on its first call.
const ContractModels& contractModels();

/// The names of contractModels().registry's models, in registration order: the deep ones
/// when `deep`, else the classic ones. The suite's parameter generator.
inline std::vector<std::string> contractModelNames(bool deep) {
  std::vector<std::string> names;
  for (const ModelInfo* info : contractModels().registry->list())
    if (info->deep == deep) names.push_back(info->name);
  return names;
}

/// A test name from a model's name: letters and digits kept, anything else '_' (GoogleTest
/// accepts nothing else in a name).
inline std::string modelTestName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
}

/// Copies each of `values` into `into` where `info` has the option and the value passes its
/// spec: fixture-sized values that apply to whichever model has the key.
inline void applyWhereValid(const ModelInfo& info, const OptionValues& values, OptionValues& into) {
  for (const auto& [key, value] : values)
    for (const OptionSpec& spec : info.options)
      if (spec.name == key && checkOptionValue(spec, value).empty()) into[key] = value;
}

class ModelContract : public ::testing::TestWithParam<std::string> {
 protected:
  const ModelInfo& info() const { return contractModels().registry->get(GetParam()); }
  const Checkerboard& board() const { return checkerboard(); }

  /// The model with the binary's options, then `extra`, on `compute`.
  std::unique_ptr<Recommender> create(const OptionValues& extra = {},
                                      const ComputeOptions& compute = cpuCompute()) const {
    return createModel(GetParam(), extra, compute);
  }
  std::unique_ptr<Recommender> createModel(const std::string& name, const OptionValues& extra,
                                           const ComputeOptions& compute) const {
    const ContractModels& models = contractModels();
    OptionValues values = models.options(models.registry->get(name));
    for (const auto& [key, value] : extra) values[key] = value;
    return models.registry->create(name, values, compute);
  }

  /// The model fitted on `data` (the checkerboard by default); throws when the fit does not
  /// complete, so that every check starts from a fitted model.
  std::unique_ptr<Recommender> fitted(const OptionValues& extra = {},
                                      const ComputeOptions& compute = cpuCompute(),
                                      const TrainingData* data = nullptr,
                                      TrainObserver* observer = nullptr) const {
    return fittedModel(GetParam(), extra, compute, data, observer);
  }
  std::unique_ptr<Recommender> fittedModel(const std::string& name, const OptionValues& extra,
                                           const ComputeOptions& compute, const TrainingData* data,
                                           TrainObserver* observer) const {
    auto model = createModel(name, extra, compute);
    const Outcome outcome = model->fit(data ? *data : board().data, observer, {});
    if (outcome != Outcome::Completed || !model->isFitted())
      throw std::runtime_error(name + ": fit did not complete");
    return model;
  }

  /// Another model of the same kind (classic or deep) from the registry, for a foreign model
  /// file: the next one in registration order, or "" when the registry has only this one.
  std::string anotherModel() const {
    const std::vector<std::string> names = contractModelNames(info().deep);
    const auto self = std::find(names.begin(), names.end(), GetParam());
    if (names.size() < 2 || self == names.end()) return {};
    return std::next(self) == names.end() ? names.front() : *std::next(self);
  }
};

// The registry describes the model for the forms and `--set`, and its factory builds it with
// the defaults alone: an unfitted model answering to the registry's name.
TEST_P(ModelContract, IsRegisteredWithItsMetadata) {
  const ModelInfo& model = info();
  EXPECT_FALSE(model.summary.empty());
  EXPECT_FALSE(model.family.empty());
  EXPECT_EQ(model.deep, model.family == "deep");
  for (const OptionSpec& spec : model.options) {
    EXPECT_FALSE(spec.name.empty());
    EXPECT_FALSE(spec.help.empty()) << spec.name;
  }
  const auto built = contractModels().registry->create(model.name, {}, cpuCompute());
  ASSERT_NE(built, nullptr);
  EXPECT_EQ(built->modelName(), model.name);
  EXPECT_FALSE(built->isFitted());
}

// Exactly min(n, unseen items) distinct unseen items, best first, each with its score()
// value; no NaN and no +infinity anywhere in the scores (-infinity is "never recommend").
TEST_P(ModelContract, RecommendsExactlyNUnseenItemsBestFirst) {
  const auto m = fitted();
  ASSERT_EQ(m->itemCount(), std::size_t(kCheckerboardItems));
  ASSERT_EQ(m->userCount(), std::size_t(kCheckerboardUsers));
  const auto scores = scoreAll(*m);
  for (const float s : scores) {
    ASSERT_FALSE(std::isnan(s)) << "a score is NaN";
    ASSERT_NE(s, std::numeric_limits<float>::infinity()) << "a score is +infinity";
    if (info().deep) {
      ASSERT_TRUE(std::isfinite(s)) << "a deep model's score is not finite";
    }
  }
  for (std::int32_t u = 0; u < kCheckerboardUsers; ++u) {
    const auto& seen = board().train[std::size_t(u)];
    for (const std::size_t n :
         {std::size_t(1), std::size_t(5), std::size_t(24), std::size_t(100)}) {
      const auto recs = m->recommend({u}, seen, n);
      ASSERT_EQ(recs.size(), std::min(n, std::size_t(kCheckerboardItems) - seen.size()))
          << "user " << u << ", n " << n;
      std::set<std::int32_t> distinct;
      for (std::size_t r = 0; r < recs.size(); ++r) {
        EXPECT_TRUE(std::find(seen.begin(), seen.end(), recs[r].item) == seen.end())
            << "user " << u << " was recommended seen item " << recs[r].item.value;
        EXPECT_TRUE(distinct.insert(recs[r].item.value).second) << "a repeated item";
        EXPECT_EQ(recs[r].score,
                  scores[std::size_t(u) * kCheckerboardItems + std::size_t(recs[r].item.value)]);
        if (r > 0) {
          EXPECT_GE(recs[r - 1].score, recs[r].score);
        }
      }
    }
  }
}

// Batch scoring equals single scoring bit for bit, whatever the batch (another order, a
// user twice); a wrong output size and a user out of range are errors, not writes.
TEST_P(ModelContract, BatchScoringEqualsSingleScoring) {
  constexpr std::size_t items = kCheckerboardItems;
  const auto m = fitted();
  const auto batch = scoreAll(*m);
  for (std::int32_t u = 0; u < kCheckerboardUsers; ++u) {
    std::vector<float> single(items);
    const UserIndex users[] = {{u}};
    m->score(users, single);
    const std::vector<float> row(batch.begin() + std::ptrdiff_t(u * items),
                                 batch.begin() + std::ptrdiff_t((u + 1) * items));
    EXPECT_TRUE(identical(single, row)) << "user " << u;
  }
  const UserIndex some[] = {{7}, {3}, {7}};
  std::vector<float> three(3 * items);
  m->score(some, three);
  EXPECT_TRUE(std::equal(three.begin(), three.begin() + items, batch.begin() + 7 * items));
  EXPECT_TRUE(
      std::equal(three.begin() + items, three.begin() + 2 * items, batch.begin() + 3 * items));
  EXPECT_TRUE(std::equal(three.begin() + 2 * items, three.end(), batch.begin() + 7 * items));
  std::vector<float> wrongSize(3);
  const UserIndex one[] = {{0}};
  EXPECT_THROW(m->score(one, wrongSize), Error);
  const UserIndex outside[] = {{kCheckerboardUsers}};
  std::vector<float> row(items);
  EXPECT_THROW(m->score(outside, row), Error);
}

// The evaluator scores users from several threads at once: the same rows as one thread.
TEST_P(ModelContract, ConcurrentScoringEqualsSerial) {
  const auto m = fitted();
  const auto serial = scoreAll(*m);
  std::vector<std::vector<float>> results(4);
  std::vector<std::thread> threads;
  for (auto& result : results) threads.emplace_back([&m, &result] { result = scoreAll(*m); });
  for (auto& thread : threads) thread.join();
  for (const auto& result : results) EXPECT_TRUE(identical(result, serial));
}

// save() then load() into a model built with the same options gives the same scores, lists
// and embeddings. An unfitted model does not save; garbage, a truncated file, another
// model's file and (for a model with factors) a file of other sizes are refused with an
// error, leaving the model unfitted.
TEST_P(ModelContract, SaveLoadRoundTrip) {
  const auto m = fitted();
  std::stringstream stream;
  m->save(stream);
  auto loaded = create();
  ASSERT_FALSE(loaded->isFitted());
  std::stringstream ignored;
  EXPECT_THROW(loaded->save(ignored), Error) << "an unfitted model saved";
  loaded->load(stream);
  ASSERT_TRUE(loaded->isFitted());
  EXPECT_TRUE(identical(scoreAll(*m), scoreAll(*loaded)));
  EXPECT_EQ(loaded->recommend({3}, board().train[3], 10), m->recommend({3}, board().train[3], 10));
  if (m->capabilities() & kHasItemEmbeddings) {
    std::vector<float> a, b;
    EXPECT_EQ(m->itemEmbeddings(a), loaded->itemEmbeddings(b));
    EXPECT_TRUE(identical(a, b));
  }

  const std::string bytes = stream.str();
  auto other = create();
  std::stringstream garbage("definitely not a model file");
  EXPECT_THROW(other->load(garbage), Error);
  std::stringstream truncated(bytes.substr(0, bytes.size() / 2));
  EXPECT_THROW(other->load(truncated), Error);
  EXPECT_FALSE(other->isFitted());

  // Another model's file: refused with kind Model, naming what the file holds.
  if (const std::string otherName = anotherModel(); !otherName.empty()) {
    std::stringstream foreign;
    fittedModel(otherName, {}, cpuCompute(), nullptr, nullptr)->save(foreign);
    try {
      other->load(foreign);
      ADD_FAILURE() << "the file of " << otherName << " was accepted";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::Model);
      EXPECT_NE(std::string(e.what()).find(otherName), std::string::npos) << e.what();
    }
    EXPECT_FALSE(other->isFitted());
  }
  // The same model built with half its factors: the file's sizes are refused with kind Model,
  // in a message that starts with "<model> model file" and says what does not match (puresvd
  // keeps a rank up to its factors, so fewer factors is the sure refusal).
  for (const OptionSpec& spec : info().options) {
    if (spec.name != "factors") continue;
    const OptionValues used = contractModels().options(info());
    const auto it = used.find("factors");
    const int factors = std::stoi(it != used.end() ? it->second : spec.defaultValue);
    if (factors < 2) break;
    std::stringstream again(bytes);
    auto narrower = create({{"factors", std::to_string(factors / 2)}});
    try {
      narrower->load(again);
      ADD_FAILURE() << "a file of " << factors
                    << " factors was accepted with factors = " << factors / 2;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::Model);
      EXPECT_TRUE(std::string(e.what()).starts_with(GetParam() + " model file")) << e.what();
    }
    EXPECT_FALSE(narrower->isFitted());
  }
}

// The same seed (and the same number of threads) gives the same scores bit for bit.
TEST_P(ModelContract, SameSeedSameScores) {
  EXPECT_TRUE(identical(scoreAll(*fitted()), scoreAll(*fitted())));
  const ComputeOptions two = cpuCompute(2);
  EXPECT_TRUE(identical(scoreAll(*fitted({}, two)), scoreAll(*fitted({}, two))));
}

// The right answer on the checkerboard: a rating model predicts the observed ratings better
// than their mean; any other personalised model puts 80% of its top-5 on the user's parity
// and ranks held-out items above the wrong parity; the binary gives the others' answers.
TEST_P(ModelContract, FindsTheRightAnswer) {
  const auto m = fitted();
  if (const auto own = contractModels().ownRightAnswer.find(GetParam());
      own != contractModels().ownRightAnswer.end()) {
    own->second(*m);
    return;
  }
  if (m->capabilities() & kPredictsRatings) {
    const TrainingData& d = board().data;
    const auto scores = scoreAll(*m);
    double mean = 0;
    for (const float r : d.ratings) mean += r;
    mean /= double(d.ratings.size());
    double model = 0, baseline = 0;
    std::size_t k = 0;
    for (std::int32_t u = 0; u < kCheckerboardUsers; ++u)
      for (const auto i : d.userItems.rowCols(u)) {
        model +=
            std::abs(scores[std::size_t(u) * kCheckerboardItems + std::size_t(i)] - d.ratings[k]);
        baseline += std::abs(mean - d.ratings[k]);
        ++k;
      }
    EXPECT_LT(model, baseline) << "mean absolute error " << model / double(k)
                               << ", of the mean rating " << baseline / double(k);
    return;
  }
  const ParityAnswer answer = parityAnswer(*m);
  EXPECT_GE(answer.share, 0.8) << "only " << 100 * answer.share
                               << "% of top-5 items have the user's parity";
  EXPECT_LT(answer.heldOutPosition, answer.wrongParityPosition)
      << "mean position held-out " << answer.heldOutPosition << ", wrong parity "
      << answer.wrongParityPosition;
}

// A stop requested before fit: Stopped at once, nothing fitted.
TEST_P(ModelContract, StopRequestedBeforeFitStopsAtOnce) {
  auto m = create();
  std::stop_source source;
  source.request_stop();
  EXPECT_EQ(m->fit(board().data, nullptr, source.get_token()), Outcome::Stopped);
  EXPECT_FALSE(m->isFitted());
}

// Epochs are reported in order from 1 with a finite loss, and an epoch model's loss goes
// down over its epochs.
TEST_P(ModelContract, ReportsEpochsAndTheLossGoesDown) {
  RecordingObserver observer;
  fitted({}, cpuCompute(), nullptr, &observer);
  for (std::size_t e = 0; e < observer.epochs.size(); ++e) {
    EXPECT_TRUE(std::isfinite(observer.epochs[e].loss)) << "epoch " << e + 1;
    EXPECT_EQ(observer.epochs[e].epoch, int(e) + 1);
  }
  if (observer.epochs.size() < 2) return;  // not an epoch model: nothing to go down
  EXPECT_LT(observer.epochs.back().loss, observer.epochs.front().loss);
}

// Each capability bit is truthful: what a model claims works, what it does not claim
// throws. explain() always gives the score it explains, a reason, and contributions from the
// history by weight.
TEST_P(ModelContract, CapabilitiesAreTruthful) {
  const auto m = fitted();
  const unsigned caps = m->capabilities();
  const auto& history = board().train[2];
  const auto top = m->recommend({2}, history, 1).front();
  const auto explanation = m->explain({2}, top.item, history);
  EXPECT_CLOSE(explanation.score, double(top.score), 1e-4);
  EXPECT_FALSE(explanation.reason.empty());
  for (std::size_t c = 0; c < explanation.because.size(); ++c) {
    EXPECT_TRUE(std::find(history.begin(), history.end(), explanation.because[c].item) !=
                history.end())
        << "item " << explanation.because[c].item.value << " is not in the history";
    if (c > 0) {
      EXPECT_GE(explanation.because[c - 1].weight, explanation.because[c].weight);
    }
  }
  std::vector<float> row(m->itemCount());
  if (caps & kCanFoldIn) {
    m->scoreHistory(history, row);
    for (const float s : row) EXPECT_FALSE(std::isnan(s));
  } else {
    EXPECT_THROW(m->scoreHistory(history, row), Error);
  }
  if (caps & kCanSimilarItems) {
    for (std::int32_t i = 0; i < kCheckerboardItems; ++i) {
      const auto similar = m->similarItems({i}, 5);
      EXPECT_LE(similar.size(), std::size_t(5));
      for (std::size_t s = 0; s < similar.size(); ++s) {
        EXPECT_NE(similar[s].item.value, i);
        if (s > 0) {
          EXPECT_GE(similar[s - 1].score, similar[s].score);
        }
      }
    }
  } else {
    EXPECT_THROW(m->similarItems({0}, 5), Error);
  }
  std::vector<float> embeddings;
  if (caps & kHasItemEmbeddings) {
    const std::size_t dimension = m->itemEmbeddings(embeddings);
    EXPECT_GT(dimension, std::size_t(0));
    EXPECT_EQ(embeddings.size(), dimension * kCheckerboardItems);
  } else {
    EXPECT_THROW(m->itemEmbeddings(embeddings), Error);
  }
}

// itemSimilarities() gives each item the score similarItems() lists it with (the heatmap
// shows the similarity the lists use), and no unlisted item beats a full list; a model
// without similar items refuses it.
TEST_P(ModelContract, ItemSimilaritiesAreWhatSimilarItemsScores) {
  const auto m = fitted();
  if (!(m->capabilities() & kCanSimilarItems)) {
    const ItemIndex one[] = {{0}};
    std::vector<float> out(1);
    EXPECT_THROW(m->itemSimilarities(one, one, out), Error);
    return;
  }
  std::vector<ItemIndex> all;
  all.reserve(kCheckerboardItems);
  for (std::int32_t i = 0; i < kCheckerboardItems; ++i) all.push_back({i});
  const ItemIndex rows[] = {{0}, {7}, {18}, {kCheckerboardItems - 1}};
  std::vector<float> values(std::size(rows) * all.size());
  m->itemSimilarities(rows, all, values);
  constexpr std::size_t n = 10;
  for (std::size_t r = 0; r < std::size(rows); ++r) {
    const auto similar = m->similarItems(rows[r], n);
    const std::span<const float> row(values.data() + r * all.size(), all.size());
    std::set<std::int32_t> listed;
    for (const ScoredItem& s : similar) {
      listed.insert(s.item.value);
      EXPECT_CLOSE(row[std::size_t(s.item.value)], s.score, 1e-5)
          << "item " << rows[r].value << ", neighbour " << s.item.value;
    }
    if (similar.size() < n) continue;  // a short list: the rest may be anything below it
    for (std::int32_t j = 0; j < kCheckerboardItems; ++j) {
      if (j == rows[r].value || listed.count(j)) continue;
      EXPECT_LE(row[std::size_t(j)], similar.back().score + 1e-5f)
          << "item " << rows[r].value << ": unlisted " << j << " scores above the list";
    }
  }
  // One row against a few columns equals the same entries of the full rows.
  const ItemIndex some[] = {{3}, {0}, {3}};
  std::vector<float> few(std::size(rows) * std::size(some));
  m->itemSimilarities(rows, some, few);
  for (std::size_t r = 0; r < std::size(rows); ++r)
    for (std::size_t c = 0; c < std::size(some); ++c)
      EXPECT_EQ(few[r * std::size(some) + c], values[r * all.size() + std::size_t(some[c].value)]);
  std::vector<float> wrongSize(2);
  EXPECT_THROW(m->itemSimilarities(rows, some, wrongSize), Error);
}

// A catalogue that lists items nobody bought: a collaborative model (ItemScope::TrainedItems)
// learns exactly what it learns without them and never recommends them; any other model
// still ranks them. On the device too, where a deep model ranks there.
TEST_P(ModelContract, NeverBoughtItemsCostACollaborativeModelNothing) {
  const TrainingData wide = widenedCatalogue(board().data);
  const auto narrow = fitted();
  const auto m = fitted({}, cpuCompute(), &wide);
  ASSERT_EQ(m->itemCount(), std::size_t(kWidenedItems));
  if (info().itemScope != ModelInfo::ItemScope::TrainedItems) return;
  const std::vector<float> narrowScores = scoreAll(*narrow), scores = scoreAll(*m);
  std::vector<char> bought(std::size_t(kWidenedItems), 0);
  for (std::int32_t i = 0; i < kCheckerboardItems; ++i) bought[std::size_t(widenedIndex(i))] = 1;
  for (std::int32_t u = 0; u < kCheckerboardUsers; ++u) {
    for (std::int32_t i = 0; i < kWidenedItems; ++i) {
      const float s = scores[std::size_t(u * kWidenedItems + i)];
      if (!bought[std::size_t(i)]) {
        EXPECT_EQ(s, -std::numeric_limits<float>::infinity()) << u;
      }
    }
    for (std::int32_t i = 0; i < kCheckerboardItems; ++i) {
      const float a = narrowScores[std::size_t(u * kCheckerboardItems + i)];
      const float b = scores[std::size_t(u * kWidenedItems + widenedIndex(i))];
      EXPECT_EQ(std::memcmp(&a, &b, sizeof a), 0) << "user " << u << " item " << i;
    }
  }
  std::vector<ItemIndex> seen;
  for (const auto item : board().train[3]) seen.push_back({widenedIndex(item.value)});
  const auto all = m->recommend({3}, seen, std::size_t(kWidenedItems));
  ASSERT_EQ(all.size(), std::size_t(kWidenedItems) - seen.size());
  for (std::size_t r = 0; r < all.size(); ++r)
    EXPECT_EQ(bool(bought[std::size_t(all[r].item.value)]), r + 10 < all.size()) << r;

  std::stringstream stream;
  m->save(stream);
  auto loaded = create();
  loaded->load(stream);
  EXPECT_EQ(loaded->itemCount(), std::size_t(kWidenedItems));
  EXPECT_TRUE(identical(scoreAll(*loaded), scores));
  if (m->capabilities() & kCanSimilarItems) {
    EXPECT_TRUE(m->similarItems({0}, 5).empty()) << "a never-bought item has similar items";
    const auto wideSimilar = m->similarItems({widenedIndex(4)}, 5);
    const auto narrowSimilar = narrow->similarItems({4}, 5);
    ASSERT_EQ(wideSimilar.size(), narrowSimilar.size());
    for (std::size_t k = 0; k < wideSimilar.size(); ++k)
      EXPECT_EQ(wideSimilar[k].item.value, widenedIndex(narrowSimilar[k].item.value));
  }
  if (!(m->capabilities() & kRanksOnDevice)) return;
  std::vector<Triplet> held;
  for (std::int32_t u = 0; u < kCheckerboardUsers; ++u) {
    for (const auto item : board().heldOut[std::size_t(u)])
      held.push_back({u, widenedIndex(item.value), 1.0f});
    if (u % 3 == 0) held.push_back({u, 4 * (u % 10), 1.0f});  // a never-bought test item
  }
  const auto test = CsrMatrix::fromTriplets(kCheckerboardUsers, kWidenedItems, held);
  EvalOptions options;
  options.ks = {3, 10, 40};
  options.threads = 2;
  options.batchUsers = 7;
  options.ranking = EvalOptions::Ranking::Host;
  const EvalResult rows = evaluate(*m, wide, test, options, nullptr, {});
  options.ranking = EvalOptions::Ranking::Device;
  const EvalResult device = evaluate(*m, wide, test, options, nullptr, {});
  EXPECT_EQ(device.topStart, rows.topStart);
  EXPECT_EQ(device.topItems, rows.topItems);
  ASSERT_EQ(device.perUser.size(), rows.perUser.size());
  for (std::size_t i = 0; i < rows.perUser.size(); ++i)
    if (!std::isnan(rows.perUser[i])) {
      EXPECT_CLOSE(device.perUser[i], rows.perUser[i], 1e-9) << i;
    }
}

// A user with no training pair gets the bestseller list from a collaborative model (each item
// scores its training users), on the host and on the device; the others are unchanged.
TEST_P(ModelContract, ANewcomerGetsTheBestsellers) {
  if (info().itemScope != ModelInfo::ItemScope::TrainedItems) return;
  const TrainingData data = withNewcomer(board().data);
  const auto m = fitted({}, cpuCompute(), &data);
  const std::int32_t newcomer = kCheckerboardUsers;
  std::vector<float> row(static_cast<std::size_t>(kCheckerboardItems));
  const UserIndex users[] = {{newcomer}};
  m->score(users, row);
  for (std::int32_t i = 0; i < kCheckerboardItems; ++i)
    EXPECT_EQ(row[std::size_t(i)], float(data.itemUsers.rowSize(i))) << "item " << i;
  const Explanation why = m->explain({newcomer}, {0}, {});
  EXPECT_EQ(why.score, float(data.itemUsers.rowSize(0)));
  EXPECT_NE(why.reason.find("bestseller"), std::string::npos) << why.reason;
  std::stringstream stream;
  m->save(stream);
  auto loaded = create();
  loaded->load(stream);
  EXPECT_TRUE(identical(scoreAll(*loaded), scoreAll(*m)));
  if (!(m->capabilities() & kRanksOnDevice)) return;
  std::vector<Triplet> held;
  for (std::int32_t u = 0; u < kCheckerboardUsers; ++u)
    for (const auto item : board().heldOut[std::size_t(u)]) held.push_back({u, item.value, 1.0f});
  held.push_back({newcomer, 3, 1.0f});
  held.push_back({newcomer, 8, 1.0f});
  const auto test = CsrMatrix::fromTriplets(newcomer + 1, kCheckerboardItems, held);
  EvalOptions options;
  options.ks = {3, 10};
  options.threads = 2;
  options.batchUsers = 7;
  options.ranking = EvalOptions::Ranking::Host;
  const EvalResult rows = evaluate(*m, data, test, options, nullptr, {});
  options.ranking = EvalOptions::Ranking::Device;
  const EvalResult device = evaluate(*m, data, test, options, nullptr, {});
  EXPECT_EQ(device.topItems, rows.topItems);
  ASSERT_EQ(device.perUser.size(), rows.perUser.size());
  for (std::size_t i = 0; i < rows.perUser.size(); ++i) {
    if (!std::isnan(rows.perUser[i])) {
      EXPECT_CLOSE(device.perUser[i], rows.perUser[i], 1e-9) << i;
    }
  }
}

// The evaluator's ranking where the scores are (Ranking::Device: top-K and AUC's counts from
// rankOnDevice) gives the same lists and metrics as its ranking from score rows; a model
// that cannot rank on its device refuses it with Config, except a deep model, which always
// can (even on the CPU). A test part with a training item in it checks that excluded items
// never count; some users have no test items. On the CPU the factor models whose scores are
// their scorer's (als, bpr, puresvd) and ease ask for it: they score and rank chunk by chunk
// in cache (chunked_ranking.h); so do the neighbourhood models (itemknn, userknn), which rank the
// items a user's row touches (sparse_ranking.h), and pop, whose one row is ordered once
// (shared_row_ranking.h). All must give exactly what the rows give.
TEST_P(ModelContract, RanksOnTheDeviceAsFromRows) {
  const auto m = fitted();
  const bool fused = GetParam() == "als" || GetParam() == "bpr" || GetParam() == "puresvd" ||
                     GetParam() == "itemknn" || GetParam() == "userknn" || GetParam() == "pop" ||
                     GetParam() == "ease";
  EXPECT_EQ(bool(m->capabilities() & kRanksOnDevice), fused);
  std::vector<Triplet> held;
  for (std::int32_t u = 0; u < kCheckerboardUsers; ++u) {
    if (u % 5 == 3) continue;
    for (const auto item : board().heldOut[std::size_t(u)]) held.push_back({u, item.value, 1.0f});
    if (u % 4 == 0) held.push_back({u, board().train[std::size_t(u)].front().value, 1.0f});
  }
  const auto test = CsrMatrix::fromTriplets(kCheckerboardUsers, kCheckerboardItems, held);
  EvalOptions options;
  options.ks = {3, 10, 40};  // 40: longer than some users' non-training items
  options.threads = 2;
  options.batchUsers = 7;
  options.ranking = EvalOptions::Ranking::Host;
  const EvalResult rows = evaluate(*m, board().data, test, options, nullptr, {});
  options.ranking = EvalOptions::Ranking::Device;
  EvalResult device;
  try {
    device = evaluate(*m, board().data, test, options, nullptr, {});
  } catch (const Error& e) {
    EXPECT_FALSE(info().deep) << "a deep model cannot rank on its device: " << e.what();
    EXPECT_EQ(e.kind(), ErrorKind::Config);
    EXPECT_NE(std::string(e.what()).find("cannot rank on its device"), std::string::npos)
        << e.what();
    return;
  }
  EXPECT_EQ(device.users, rows.users);
  EXPECT_EQ(device.topStart, rows.topStart);
  EXPECT_EQ(device.topItems, rows.topItems);
  EXPECT_EQ(device.metricNames, rows.metricNames);
  ASSERT_EQ(device.perUser.size(), rows.perUser.size());
  for (std::size_t i = 0; i < rows.perUser.size(); ++i) {
    if (std::isnan(rows.perUser[i]))
      EXPECT_TRUE(std::isnan(device.perUser[i])) << i;
    else if (fused)
      EXPECT_EQ(device.perUser[i], rows.perUser[i]) << i;  // bit for bit
    else
      EXPECT_CLOSE(device.perUser[i], rows.perUser[i], 1e-12);
  }
  if (fused) {
    for (std::size_t i = 0; i < rows.topItems.size(); ++i)
      EXPECT_EQ(device.topItems[i].score, rows.topItems[i].score) << i;
  }
}

}  // namespace reco::testing
