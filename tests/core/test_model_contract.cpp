// The model contract (tests/support/model_contract.h) over every classic model of
// reco::defaultRegistry() (the deep ones: tests/torch/test_deep_models.cpp), each with its
// default options except fixture-sized values for slow defaults, and what is particular to
// the classic models on the same checkerboard: the right answer of the models that are not
// personalised (random, pop), pop's window, the neighbourhood models' options and
// similarities, itemknn's fold-in and explanations, content's cold items.

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/common/error.h"
#include "core/common/number_text.h"
#include "core/models/recommender.h"
#include "core/models/registry.h"
#include "tests/support/checkerboard.h"
#include "tests/support/gtest_support.h"
#include "tests/support/model_contract.h"

namespace reco::testing {

namespace {

// random's right answer: no structure, about half of its items have the user's parity.
void randomFindsNoStructure(const Recommender& model) {
  const double share = parityAnswer(model).share;
  EXPECT_GT(share, 0.25);
  EXPECT_LT(share, 0.75);
}

// pop's right answer: the same ranking for everyone, by training users per item.
void popRanksByPopularityForEveryone(const Recommender& model) {
  const auto scores = scoreAll(model);
  for (std::int32_t u = 1; u < kCheckerboardUsers; ++u)
    EXPECT_TRUE(std::equal(scores.begin(), scores.begin() + kCheckerboardItems,
                           scores.begin() + std::ptrdiff_t(u) * kCheckerboardItems))
        << "user " << u;
  const auto& itemUsers = checkerboard().data.itemUsers;
  const auto top = model.recommend({0}, {}, std::size_t(kCheckerboardItems));
  for (std::size_t r = 1; r < top.size(); ++r)
    EXPECT_GE(itemUsers.rowSize(top[r - 1].item.value), itemUsers.rowSize(top[r].item.value));
}

// popcontent's right answer: a popularity list bent towards the user's taste. The category
// (the parity) lifts the right items, popularity pulls a few popular wrong ones in: far
// more of the right parity than popularity alone (about half), not all of them.
void popcontentLeansToTheUsersTaste(const Recommender& model) {
  const ParityAnswer answer = parityAnswer(model);
  EXPECT_GE(answer.share, 0.7);
  EXPECT_LT(answer.heldOutPosition, answer.wrongParityPosition);
}

}  // namespace

const ContractModels& contractModels() {
  // Options that keep a default fixture-sized (64 factors over 30 items) or fast, applied
  // only where the model has the key and the value passes its spec: generic keys first, then
  // per model (add an entry when a model's default is slow on this 40 x 30 fixture).
  static const ContractModels models = [] {
    ContractModels m;
    m.registry = &defaultRegistry();
    m.options = [](const ModelInfo& info) {
      static const OptionValues generic = {{"factors", "8"}, {"iterations", "15"}};
      // bpr: an epoch draws as many triples as training pairs, only 240 here, so the
      // default 100 epochs make 24k SGD steps; 1000 epochs (a few ms) give it the steps it
      // has on real data.
      // als: its default regularization (40) is sized for shops with tens of pairs per item
      // (README, Which model for which shop); the checkerboard has about 8, where it would
      // leave little but popularity.
      static const std::map<std::string, OptionValues> kPerModel = {
          {"bpr", {{"epochs", "1000"}}}, {"als", {{"regularization", "0.5"}}}};
      OptionValues values;
      applyWhereValid(info, generic, values);
      if (const auto it = kPerModel.find(info.name); it != kPerModel.end())
        applyWhereValid(info, it->second, values);
      return values;
    };
    m.ownRightAnswer = {{"random", randomFindsNoStructure},
                        {"pop", popRanksByPopularityForEveryone},
                        {"popcontent", popcontentLeansToTheUsersTaste}};
    return m;
  }();
  return models;
}

INSTANTIATE_TEST_SUITE_P(Classic, ModelContract, ::testing::ValuesIn(contractModelNames(false)),
                         modelTestName);

}  // namespace reco::testing

namespace {

using reco::testing::checkerboard;
using reco::testing::identical;
using reco::testing::kCheckerboardItems;
using reco::testing::kCheckerboardUsers;
using reco::testing::scoreAll;

std::unique_ptr<reco::Recommender> fittedClassic(const std::string& name,
                                                 const reco::OptionValues& options = {}) {
  auto model = reco::defaultRegistry().create(name, options);
  EXPECT_EQ(model->fit(checkerboard().data, nullptr, {}), reco::Outcome::Completed) << name;
  return model;
}

// The share of top-5 items with the user's parity (seen items excluded).
double parityShare(const reco::Recommender& model) {
  return reco::testing::parityAnswer(model).share;
}

// The contract suite covers what the registry lists: these models must stay listed.
TEST(ClassicModels, AreRegistered) {
  for (const char* name : {"random", "pop", "itemknn", "userknn", "content"}) {
    const reco::ModelInfo* info = reco::defaultRegistry().find(name);
    ASSERT_NE(info, nullptr) << name;
    EXPECT_FALSE(info->deep) << name;
  }
}

// pop scores by training users per item; with window_days only the pairs of the last days.
TEST(ClassicModels, PopularityWindow) {
  constexpr std::size_t items = kCheckerboardItems;
  const auto all = fittedClassic("pop");
  std::vector<float> row(items);
  all->scoreHistory({}, row);
  for (std::int32_t i = 0; i < kCheckerboardItems; ++i)
    EXPECT_EQ(row[std::size_t(i)], float(checkerboard().data.itemUsers.rowSize(i))) << "item " << i;
  // A window of 10 days counts only pairs at most 10 days before the latest time.
  const auto recent = fittedClassic("pop", {{"window_days", "10"}});
  const auto& seq = checkerboard().data.userSequence;
  const float latest = *std::max_element(seq.values().begin(), seq.values().end());
  std::vector<float> expected(items, 0.0f);
  for (std::size_t k = 0; k < seq.values().size(); ++k)
    if (seq.values()[k] >= latest - 10 * 86400.0) expected[std::size_t(seq.colIndex()[k])] += 1;
  recent->scoreHistory({}, row);
  EXPECT_EQ(row, expected);
  EXPECT_NE(row, std::vector<float>(items, 0.0f));
  EXPECT_THROW(reco::defaultRegistry().create("pop", {{"window_days", "-1"}}), reco::Error);
}

TEST(ClassicModels, RandomDependsOnTheSeed) {
  reco::TrainingData other = checkerboard().data;
  other.seed = 43;
  const auto a = fittedClassic("random");
  auto b = reco::defaultRegistry().create("random");
  ASSERT_EQ(b->fit(other, nullptr, {}), reco::Outcome::Completed);
  EXPECT_FALSE(identical(scoreAll(*a), scoreAll(*b)));
}

TEST(ClassicModels, KnnOptionsFailLoudly) {
  for (const char* name : {"itemknn", "userknn"}) {
    EXPECT_THROW(reco::defaultRegistry().create(name, {{"k", "0"}}), reco::Error) << name;
    EXPECT_THROW(reco::defaultRegistry().create(name, {{"similarity", "euclid"}}), reco::Error)
        << name;
    EXPECT_THROW(reco::defaultRegistry().create(name, {{"shrink", "-1"}}), reco::Error) << name;
  }
}

// short_history_shrink=auto adds 100 / the median pairs per user to shrink, says so in
// resolvedOptions(), and fits exactly what that shrink given by hand fits.
TEST(ClassicModels, ItemKnnShrinksMoreForShortHistories) {
  const reco::TrainingData& data = checkerboard().data;
  std::vector<std::int64_t> lengths;
  for (std::int32_t u = 0; u < data.userItems.rows(); ++u)
    if (!data.userItems.rowCols(u).empty()) lengths.push_back(data.userItems.rowCols(u).size());
  std::sort(lengths.begin(), lengths.end());
  const double median = double(lengths[lengths.size() / 2]);
  const auto automatic = fittedClassic("itemknn", {{"shrink", "3"}});
  const auto resolved = automatic->resolvedOptions();
  ASSERT_EQ(resolved.count("shrink"), 1u);
  EXPECT_EQ(reco::parseNumber(resolved.at("shrink")),
            reco::roundToSignificant(3 + 100 / median, 3));
  const auto byHand = fittedClassic(
      "itemknn", {{"shrink", resolved.at("shrink")}, {"short_history_shrink", "none"}});
  EXPECT_TRUE(byHand->resolvedOptions().empty());
  EXPECT_TRUE(identical(scoreAll(*automatic), scoreAll(*byHand)));
  const auto unshrunk = fittedClassic("itemknn", {{"short_history_shrink", "none"}});
  EXPECT_FALSE(identical(scoreAll(*automatic), scoreAll(*unshrunk)));
  // userknn has no such option.
  EXPECT_THROW(reco::defaultRegistry().create("userknn", {{"short_history_shrink", "none"}}),
               reco::Error);
}

class KnnEverySimilarity
    : public ::testing::TestWithParam<std::tuple<const char*, const char*, const char*>> {};

TEST_P(KnnEverySimilarity, FindsTheRightAnswer) {
  const auto [name, similarity, feedback] = GetParam();
  const auto m =
      fittedClassic(name, {{"similarity", similarity}, {"feedback", feedback}, {"shrink", "1"}});
  EXPECT_GE(parityShare(*m), 0.8);
}

INSTANTIATE_TEST_SUITE_P(Classic, KnnEverySimilarity,
                         ::testing::Combine(::testing::Values("itemknn", "userknn"),
                                            ::testing::Values("cosine", "jaccard", "pearson",
                                                              "bm25", "tfidf"),
                                            ::testing::Values("binary", "weighted")),
                         [](const auto& info) {
                           return std::string(std::get<0>(info.param)) + "_" +
                                  std::get<1>(info.param) + "_" + std::get<2>(info.param);
                         });

TEST(ClassicModels, ItemKnnFoldInAndExplain) {
  const auto m = fittedClassic("itemknn");
  const auto& history = checkerboard().train[4];
  std::vector<float> folded(kCheckerboardItems), scored(kCheckerboardItems);
  m->scoreHistory(history, folded);
  const reco::UserIndex users[] = {{4}};
  m->score(users, scored);
  EXPECT_EQ(folded, scored);  // binary feedback: the fold-in is the user's own row
  const auto top = m->recommend({4}, history, 1).front();
  const auto e = m->explain({4}, top.item, history);
  EXPECT_FALSE(e.because.empty());
  EXPECT_EQ(e.reason, "similar to {item} you interacted with");
  double sum = 0;
  for (const auto& c : e.because) {
    EXPECT_TRUE(std::find(history.begin(), history.end(), c.item) != history.end());
    EXPECT_EQ(c.item.value % 2, 0);
    sum += c.weight;
  }
  EXPECT_CLOSE(sum, double(top.score), 1e-5);
  for (const auto& s : m->similarItems(top.item, 10))
    EXPECT_EQ(s.item.value % 2, top.item.value % 2);
  const auto u = fittedClassic("userknn");
  EXPECT_EQ(u->explain({4}, top.item, history).reason, "users like you chose it");
}

TEST(ClassicModels, ContentScoresNewItemsAndNewUsers) {
  reco::TrainingData data = checkerboard().data;
  // Item 29 gets a title shared only with item 0, and loses its training users.
  data.itemTitles[0] = "zebra lantern";
  data.itemTitles[29] = "zebra lantern deluxe";
  std::vector<reco::Triplet> pairs;
  for (std::int32_t u = 0; u < kCheckerboardUsers; ++u) {
    const auto cols = data.userItems.rowCols(u);
    const auto vals = data.userItems.rowValues(u);
    for (std::size_t k = 0; k < cols.size(); ++k)
      if (cols[k] != 29) pairs.push_back({u, cols[k], vals[k]});
  }
  data.userItems = reco::CsrMatrix::fromTriplets(kCheckerboardUsers, kCheckerboardItems, pairs);
  data.itemUsers = data.userItems.transposed();
  data.hasRatings = false;
  data.ratings.clear();
  auto m = reco::defaultRegistry().create("content");
  ASSERT_EQ(m->fit(data, nullptr, {}), reco::Outcome::Completed);
  std::vector<float> row(kCheckerboardItems);
  const reco::ItemIndex history[] = {{0}};
  m->scoreHistory(history, row);
  EXPECT_EQ(m->recommend({0}, {}, 1).size(), std::size_t(1));
  const auto best = reco::selectTopN(row, history, 1);
  EXPECT_EQ(best.front().item.value, 29);  // the new item, through its title
  EXPECT_GT(best.front().score, 0.3f);
  EXPECT_EQ(m->similarItems({0}, 1).front().item.value, 29);
}

}  // namespace
