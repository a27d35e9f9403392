// The re-ranking list algorithm (core/rerank/reranker.h) on hand-made rows, and its options
// (core/rerank/rerank_options.h): mmr at both ends of lambda, calibration, the popularity
// penalty, exclusions, boosts, the per-category cap and the fallback; settings read back,
// and bad settings refused with the key named.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/common/error.h"
#include "core/common/random.h"
#include "core/models/recommender.h"
#include "core/rerank/rerank_options.h"
#include "core/rerank/reranker.h"
#include "tests/support/gtest_support.h"

using namespace reco;

namespace {

/// Items 0..n-1 with the given categories, popularity n - i, no rules.
RerankSideInfo sideFor(const std::vector<std::int32_t>& categories, int categoryCount) {
  RerankSideInfo side;
  side.itemCategory = categories;
  for (int c = 0; c < categoryCount; ++c) {
    std::string name = "C";
    name += std::to_string(c);
    side.categoryNames.push_back(name);
  }
  for (std::size_t i = 0; i < categories.size(); ++i)
    side.popularity.push_back(float(categories.size() - i));
  side.excluded.assign(categories.size(), 0);
  return side;
}

std::vector<std::int32_t> itemsOf(const std::vector<ScoredItem>& list) {
  std::vector<std::int32_t> items;
  items.reserve(list.size());
  for (const auto& s : list) items.push_back(s.item.value);
  return items;
}

/// Scores 10, 9, 8, ... by item index: the plain list is 0, 1, 2, ...
std::vector<float> descending(std::size_t n) {
  std::vector<float> row(n);
  for (std::size_t i = 0; i < n; ++i) row[i] = float(10.0 - double(i));
  return row;
}

RerankOptions optionsFor(RerankMethod method, double lambda, int depth, int candidates) {
  RerankOptions o;
  o.method = method;
  o.lambda = lambda;
  o.depth = depth;
  o.candidates = candidates;
  return o;
}

// Categories A A A A B B C C.
const std::vector<std::int32_t> kEight = {0, 0, 0, 0, 1, 1, 2, 2};

}  // namespace

TEST(Reranker, MmrWithLambdaOneIsThePlainListOnRandomRows) {
  Random random(7);
  for (int trial = 0; trial < 20; ++trial) {
    const std::size_t items = 300;
    std::vector<std::int32_t> categories(items);
    for (auto& c : categories) c = std::int32_t(random.below(6)) - 1;  // some without (-1)
    RerankSideInfo side = sideFor(categories, 5);
    std::vector<float> row(items);
    for (auto& s : row) s = float(random.below(50));  // many ties
    std::vector<ItemIndex> seen;
    seen.reserve(30);
    for (int s = 0; s < 30; ++s) seen.push_back(ItemIndex{std::int32_t(random.below(items))});
    for (const auto by : {RerankSimilarity::Category, RerankSimilarity::Embedding}) {
      RerankOptions mmr = optionsFor(RerankMethod::Mmr, 1.0, 40, 120);
      mmr.by = by;
      if (by == RerankSimilarity::Embedding) {
        side.dimension = 3;
        side.itemVectors.assign(items * 3, 0.0f);
        for (auto& v : side.itemVectors) v = float(random.uniform());
      }
      std::vector<float> copy = row;
      const auto list = rerankRow(copy, seen, seen, side, mmr);
      const auto plain = selectTopN(row, seen, 40);
      EXPECT_EQ(itemsOf(list), itemsOf(plain)) << "trial " << trial;
    }
  }
}

TEST(Reranker, MmrWithLambdaZeroAlternatesCategories) {
  const RerankSideInfo side = sideFor(kEight, 3);
  std::vector<float> row = descending(8);
  const auto list = rerankRow(row, {}, {}, side, optionsFor(RerankMethod::Mmr, 0.0, 8, 8));
  // One of each category first (most relevant of each), then always from the category the
  // list holds least of (the largest gain in ild_category), ties by relevance.
  EXPECT_EQ(itemsOf(list), (std::vector<std::int32_t>{0, 4, 6, 1, 5, 7, 2, 3}));
  // The plain list for contrast.
  std::vector<float> again = descending(8);
  EXPECT_EQ(itemsOf(rerankRow(again, {}, {}, side, optionsFor(RerankMethod::None, 0, 8, 8))),
            (std::vector<std::int32_t>{0, 1, 2, 3, 4, 5, 6, 7}));
}

TEST(Reranker, MmrByItemVectorsSkipsANearDuplicate) {
  RerankSideInfo side = sideFor({0, 0, 0, 0}, 1);
  side.dimension = 2;
  // Items 0 and 1 point the same way, 2 and 3 are orthogonal to them.
  side.itemVectors = {1, 0, 1, 0, 0, 1, 0.6f, 0.8f};
  RerankOptions o = optionsFor(RerankMethod::Mmr, 0.5, 4, 4);
  o.by = RerankSimilarity::Embedding;
  std::vector<float> row = descending(4);
  const auto list = rerankRow(row, {}, {}, side, o);
  // Relevance 1, 0.75, 0.5, 0.25: after item 0, item 1 (a copy of it) scores
  // 0.5 * 0.75 - 0.5 * 1 below item 2 (0.5 * 0.5 - 0); then item 3 (cosine 0.8 with item 2)
  // scores 0.5 * 0.25 - 0.5 * 0.8 below item 1.
  EXPECT_EQ(itemsOf(list), (std::vector<std::int32_t>{0, 2, 1, 3}));
}

TEST(Reranker, ExcludedAndSeenItemsNeverAppear) {
  RerankSideInfo side = sideFor(kEight, 3);
  side.excluded[1] = 1;
  side.excluded[6] = 1;
  const std::vector<ItemIndex> seen{ItemIndex{0}, ItemIndex{4}};
  for (const auto method :
       {RerankMethod::None, RerankMethod::Mmr, RerankMethod::Calibration, RerankMethod::Popularity})
    for (const double lambda : {0.0, 0.5, 1.0}) {
      std::vector<float> row = descending(8);
      const auto items =
          itemsOf(rerankRow(row, seen, seen, side, optionsFor(method, lambda, 8, 8)));
      const std::set<std::int32_t> got(items.begin(), items.end());
      EXPECT_EQ(got, (std::set<std::int32_t>{2, 3, 5, 7})) << rerankMethodName(method);
    }
}

TEST(Reranker, ABoostMovesTheBoostedCategoryUpAndNoOtherItem) {
  const std::size_t n = 40;
  std::vector<std::int32_t> categories(n);
  for (std::size_t i = 0; i < n; ++i) categories[i] = std::int32_t(i % 4);
  RerankSideInfo side = sideFor(categories, 4);
  std::vector<float> row(n);
  for (std::size_t i = 0; i < n; ++i) row[i] = float(std::sin(double(i) * 1.7) * 5);
  const RerankOptions o = optionsFor(RerankMethod::None, 0, 20, 30);
  std::vector<float> plainRow = row;
  const auto plain = itemsOf(rerankRow(plainRow, {}, {}, side, o));
  side.boost.assign(n, 1.0f);
  for (std::size_t i = 0; i < n; ++i)
    if (categories[i] == 2) side.boost[i] = 1.5f;
  std::vector<float> boostedRow = row;
  const auto boosted = itemsOf(rerankRow(boostedRow, {}, {}, side, o));
  auto rankIn = [](const std::vector<std::int32_t>& list, std::int32_t item) {
    const auto at = std::find(list.begin(), list.end(), item);
    return at == list.end() ? std::ptrdiff_t(list.size()) : at - list.begin();
  };
  int movedUp = 0;
  for (const auto item : plain) {
    if (categories[std::size_t(item)] == 2) {
      EXPECT_LE(rankIn(boosted, item), rankIn(plain, item)) << "boosted item " << item;
      movedUp += rankIn(boosted, item) < rankIn(plain, item);
    } else {
      EXPECT_GE(rankIn(boosted, item), rankIn(plain, item)) << "unboosted item " << item;
    }
  }
  EXPECT_GT(movedUp, 0);
  // The unboosted items keep their relative order.
  std::vector<std::int32_t> othersPlain, othersBoosted;
  for (const auto item : plain)
    if (categories[std::size_t(item)] != 2) othersPlain.push_back(item);
  for (const auto item : boosted)
    if (categories[std::size_t(item)] != 2) othersBoosted.push_back(item);
  othersPlain.resize(std::min(othersPlain.size(), othersBoosted.size()));
  EXPECT_EQ(othersBoosted, othersPlain);
}

TEST(Reranker, TheCapHoldsForEveryMethod) {
  Random random(3);
  const std::size_t n = 200;
  std::vector<std::int32_t> categories(n);
  for (auto& c : categories) c = std::int32_t(random.below(5));
  const RerankSideInfo side = sideFor(categories, 5);
  std::vector<float> base(n);
  for (auto& s : base) s = float(random.uniform());
  for (const auto method : {RerankMethod::None, RerankMethod::Mmr, RerankMethod::Calibration,
                            RerankMethod::Popularity}) {
    RerankOptions o = optionsFor(method, 0.7, 20, 100);
    o.capPerCategory = 3;
    std::vector<float> row = base;
    const auto list = rerankRow(row, {}, {}, side, o);
    std::map<std::int32_t, int> perCategory;
    for (const auto item : itemsOf(list)) ++perCategory[categories[std::size_t(item)]];
    EXPECT_EQ(list.size(), 15u) << "five categories, three each";
    for (const auto& [c, count] : perCategory) EXPECT_LE(count, 3) << rerankMethodName(method);
  }
  // Items of a category stay in their base order under the cap with no method.
  std::vector<float> row = descending(8);
  RerankOptions o = optionsFor(RerankMethod::None, 0, 8, 8);
  o.capPerCategory = 2;
  EXPECT_EQ(itemsOf(rerankRow(row, {}, {}, sideFor(kEight, 3), o)),
            (std::vector<std::int32_t>{0, 1, 4, 5, 6, 7}));
}

TEST(Reranker, CalibrationMovesTheListMixTowardTheHistoryMix) {
  // 30 items, categories 0, 1, 2 by tens; the base model prefers category 0 throughout.
  const std::size_t n = 30;
  std::vector<std::int32_t> categories(n);
  for (std::size_t i = 0; i < n; ++i) categories[i] = std::int32_t(i / 10);
  const RerankSideInfo side = sideFor(categories, 3);
  std::vector<float> base(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t tens = i / 10;  // the category: whole tens on purpose
    base[i] = float(100 - double(i % 10) - 20 * double(tens));
  }
  // History: mostly category 1, some 2 and 0 (those items are seen, so not listed).
  const std::vector<ItemIndex> history{ItemIndex{10}, ItemIndex{11}, ItemIndex{12}, ItemIndex{13},
                                       ItemIndex{14}, ItemIndex{15}, ItemIndex{20}, ItemIndex{21},
                                       ItemIndex{0},  ItemIndex{1}};
  const std::vector<double> p{0.2, 0.6, 0.2};
  auto mixLoss = [&](const std::vector<ScoredItem>& list) {
    std::vector<double> q(3, 0.0);
    for (const auto& s : list) q[std::size_t(categories[std::size_t(s.item.value)])] += 1;
    double kl = 0;
    for (int c = 0; c < 3; ++c) {
      const double qc = 0.99 * q[std::size_t(c)] / double(list.size()) + 0.01 * p[std::size_t(c)];
      kl += p[std::size_t(c)] * std::log(p[std::size_t(c)] / qc);
    }
    return kl;
  };
  std::vector<float> row = base;
  const auto plain =
      rerankRow(row, history, history, side, optionsFor(RerankMethod::Calibration, 0.0, 10, 20));
  row = base;
  const auto calibrated =
      rerankRow(row, history, history, side, optionsFor(RerankMethod::Calibration, 0.9, 10, 20));
  std::vector<float> noneRow = base;
  EXPECT_EQ(itemsOf(plain), itemsOf(rerankRow(noneRow, history, history, side,
                                              optionsFor(RerankMethod::None, 0, 10, 20))))
      << "lambda 0 is the plain list";
  EXPECT_LT(mixLoss(calibrated), mixLoss(plain) * 0.5);
  auto share = [&](const std::vector<ScoredItem>& list, int c) {
    return std::count_if(list.begin(), list.end(), [&](const ScoredItem& s) {
      return categories[std::size_t(s.item.value)] == c;
    });
  };
  EXPECT_GT(share(calibrated, 1), share(plain, 1));
  EXPECT_GE(share(calibrated, 1), 4);
}

TEST(Reranker, ThePopularityPenaltyLowersTheListsPopularity) {
  Random random(5);
  const std::size_t n = 100;
  RerankSideInfo side = sideFor(std::vector<std::int32_t>(n, 0), 1);
  for (auto& p : side.popularity) p = float(random.below(1000));
  std::vector<float> base(n);
  for (auto& s : base) s = float(random.uniform());
  auto meanPopularity = [&](const std::vector<ScoredItem>& list) {
    double sum = 0;
    for (const auto& s : list) sum += side.popularity[std::size_t(s.item.value)];
    return sum / double(list.size());
  };
  RerankOptions o = optionsFor(RerankMethod::Popularity, 0, 10, 50);
  o.beta = 0;
  std::vector<float> row = base;
  const auto plain = rerankRow(row, {}, {}, side, o);
  EXPECT_EQ(itemsOf(plain), itemsOf(selectTopN(base, {}, 10)));
  o.beta = 1;
  row = base;
  EXPECT_LT(meanPopularity(rerankRow(row, {}, {}, side, o)), meanPopularity(plain));
}

TEST(Reranker, TheFallbackRanksItemsWithoutSignalByPopularityBelowTheRest) {
  RerankSideInfo side = sideFor(kEight, 3);
  side.popularity = {1, 2, 3, 4, 50, 6, 70, 8};
  std::vector<float> row{0, 0.5f, 0, 0.9f, 0, 0, 0, 0};
  RerankOptions o = optionsFor(RerankMethod::None, 0, 5, 8);
  o.fallback = "popular";
  const auto items = itemsOf(rerankRow(row, {}, {}, side, o));
  EXPECT_EQ(items, (std::vector<std::int32_t>{3, 1, 6, 4, 7}));
  EXPECT_LT(row[6], row[1]) << "the row itself is rewritten for the caller";
}

TEST(RerankOptions, SettingsReadBackAndNameTheList) {
  RerankOptions o;
  o.method = RerankMethod::Mmr;
  o.lambda = 0.3;
  o.by = RerankSimilarity::Embedding;
  o.depth = 40;
  o.candidates = 150;
  o.excludeItems = {"P1", "P7"};
  o.excludeAttributes = {{"in_stock", "0"}};
  o.excludeCategories = {"Books"};
  o.categoryBoosts = {{"Toys", 1.5}};
  o.attributeBoosts = {{{"brand", "Acme"}, 1.3}};
  o.capPerCategory = 3;
  o.fallback = "popular";
  EXPECT_EQ(RerankOptions::fromSettings(o.settings()), o);
  EXPECT_EQ(RerankOptions::fromSettings(parseOptionValues({o.settingsText()})), o);
  EXPECT_EQ(o.label(), "mmr(λ=0.3; by=embedding) + rules + fallback");
  EXPECT_EQ(RerankOptions::fromSettings({{"method", "mmr"}, {"lambda", "0.3"}}).label(),
            "mmr(λ=0.3)");
  EXPECT_EQ(RerankOptions::fromSettings({{"method", "popularity"}, {"beta", "0.2"}}).label(),
            "popularity(β=0.2)");
  EXPECT_EQ(RerankOptions{}.label(), "none");
  const auto& specs = rerankOptionSpecs();
  for (const auto& setting : o.settings()) {
    const std::string& key = setting.first;
    EXPECT_TRUE(
        std::any_of(specs.begin(), specs.end(), [&](const OptionSpec& s) { return s.name == key; }))
        << key << " has a spec";
  }
}

TEST(RerankOptions, BadSettingsNameTheKeyTheExpectationAndTheValue) {
  auto message = [](const OptionValues& settings) -> std::string {
    try {
      RerankOptions::fromSettings(settings);
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::Config);
      return e.what();
    }
    return "(accepted)";
  };
  const std::string method = message({{"method", "diverse"}});
  EXPECT_NE(method.find("'method'"), std::string::npos) << method;
  EXPECT_NE(method.find("mmr"), std::string::npos) << method;
  EXPECT_NE(method.find("'diverse'"), std::string::npos) << method;
  const std::string lambda = message({{"lambda", "1.5"}});
  EXPECT_NE(lambda.find("[0, 1]"), std::string::npos) << lambda;
  EXPECT_NE(lambda.find("'1.5'"), std::string::npos) << lambda;
  EXPECT_NE(message({{"lamda", "0.5"}}).find("'lamda'"), std::string::npos);
  EXPECT_NE(message({{"boost_category", "Books"}}).find("NAME:FACTOR"), std::string::npos);
  EXPECT_NE(message({{"boost_category", "Books:0"}}).find("factor > 0"), std::string::npos);
  EXPECT_NE(message({{"exclude_attribute", "in_stock"}}).find("key=value"), std::string::npos);
  EXPECT_NE(message({{"depth", "50"}, {"candidates", "20"}}).find("'candidates'"),
            std::string::npos);
  EXPECT_NE(message({{"by", "genre"}}).find("category or embedding"), std::string::npos);
}
