// The model registry and option metadata: names are unique, find/list/get/create behave,
// option values are checked against their specs and fail loudly.

#include <istream>
#include <limits>
#include <ostream>
#include <string>

#include <gtest/gtest.h>

#include "core/common/error.h"
#include "core/models/model_options.h"
#include "core/models/recommender.h"
#include "core/models/registry.h"

namespace {

// A model whose score of item i is -i for every user, so the ranking is known.
class FixedModel : public reco::Recommender {
 public:
  explicit FixedModel(std::size_t items) : items_(items) {}
  std::string_view modelName() const override { return "fixed"; }
  reco::Outcome fit(const reco::TrainingData&, reco::TrainObserver*, std::stop_token) override {
    return reco::Outcome::Completed;
  }
  bool isFitted() const override { return true; }
  std::size_t userCount() const override { return 3; }
  std::size_t itemCount() const override { return items_; }
  void score(std::span<const reco::UserIndex> users, std::span<float> out) const override {
    for (std::size_t u = 0; u < users.size(); ++u) {
      for (std::size_t i = 0; i < items_; ++i) out[u * items_ + i] = -float(i);
    }
  }
  void save(std::ostream&) const override {}
  void load(std::istream&) override {}

 private:
  std::size_t items_;
};

reco::ModelInfo makeInfo(const std::string& name, std::size_t* builtItems = nullptr) {
  reco::ModelInfo info;
  info.name = name;
  info.family = "baselines";
  info.summary = "a test model";
  info.options = {
      {"items", reco::OptionType::Int, "10", 1.0, 1000.0, {}, "number of items"},
      {"rate", reco::OptionType::Double, "0.5", 0.0, 1.0, {}, "a fraction"},
      {"flag", reco::OptionType::Bool, "false", {}, {}, {}, "a switch"},
      {"kind", reco::OptionType::Choice, "cosine", {}, {}, {"cosine", "jaccard"}, "similarity"},
  };
  info.factory = [specs = info.options](const reco::OptionValues& values,
                                        const reco::ComputeOptions&) {
    reco::OptionReader reader(specs, values);
    return std::make_unique<FixedModel>(std::size_t(reader.getInt("items")));
  };
  return info;
}

TEST(Registry, AddFindList) {
  reco::Registry registry;
  EXPECT_EQ(registry.size(), std::size_t(0));
  EXPECT_EQ(registry.find("a"), nullptr);
  registry.add(makeInfo("b"));
  registry.add(makeInfo("a"));
  EXPECT_EQ(registry.size(), std::size_t(2));
  const reco::ModelInfo* a = registry.find("a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->name, "a");
  EXPECT_EQ(a->options.size(), std::size_t(4));
  EXPECT_FALSE(a->deep);
  auto all = registry.list();
  ASSERT_EQ(all.size(), std::size_t(2));
  EXPECT_EQ(all[0]->name, "b");  // registration order
  EXPECT_EQ(all[1], a);          // stable pointers
  EXPECT_EQ(&registry.get("a"), a);
}

TEST(Registry, RejectsDuplicateNames) {
  reco::Registry registry;
  registry.add(makeInfo("pop"));
  try {
    registry.add(makeInfo("pop"));
    ADD_FAILURE() << "a duplicate name was accepted";
  } catch (const reco::Error& e) {
    EXPECT_EQ(e.kind(), reco::ErrorKind::Internal);
    EXPECT_NE(std::string(e.what()).find("'pop'"), std::string::npos) << e.what();
  }
  EXPECT_EQ(registry.size(), std::size_t(1));
}

TEST(Registry, RejectsIncompleteInfo) {
  reco::Registry registry;
  EXPECT_THROW(registry.add(makeInfo("")), reco::Error);
  auto noFactory = makeInfo("x");
  noFactory.factory = nullptr;
  EXPECT_THROW(registry.add(noFactory), reco::Error);
  auto badDefault = makeInfo("y");
  badDefault.options[0].defaultValue = "0";  // below its minimum of 1
  EXPECT_THROW(registry.add(badDefault), reco::Error);
  EXPECT_EQ(registry.size(), std::size_t(0));
}

TEST(Registry, UnknownNameNamesTheKnownOnes) {
  reco::Registry registry;
  registry.add(makeInfo("itemknn"));
  try {
    registry.get("itemknm");
    ADD_FAILURE() << "an unknown name was found";
  } catch (const reco::Error& e) {
    EXPECT_EQ(e.kind(), reco::ErrorKind::Config);
    const std::string message = e.what();
    EXPECT_NE(message.find("itemknm"), std::string::npos) << message;
    EXPECT_NE(message.find("itemknn"), std::string::npos) << message;
  }
}

TEST(Registry, CreateValidatesOptions) {
  reco::Registry registry;
  registry.add(makeInfo("fixed"));
  auto model = registry.create("fixed", {{"items", "5"}});
  ASSERT_NE(model, nullptr);
  EXPECT_EQ(model->itemCount(), std::size_t(5));
  EXPECT_EQ(registry.create("fixed")->itemCount(), std::size_t(10));  // the default
  EXPECT_THROW(registry.create("fixed", {{"items", "0"}}), reco::Error);
  EXPECT_THROW(registry.create("fixed", {{"items", "2.5"}}), reco::Error);
  EXPECT_THROW(registry.create("fixed", {{"nope", "1"}}), reco::Error);
  EXPECT_THROW(registry.create("fixed", {{"kind", "pearson"}}), reco::Error);
}

TEST(OptionReader, ReadsTypedValuesAndDefaults) {
  const auto info = makeInfo("m");
  reco::OptionReader reader(info.options,
                            reco::parseOptionValues({"rate=0.25,flag=yes", "kind=jaccard"}));
  EXPECT_EQ(reader.getInt("items"), std::int64_t(10));
  EXPECT_EQ(reader.getDouble("rate"), 0.25);  // parsed exactly: 0.25 is a binary fraction
  EXPECT_TRUE(reader.getBool("flag"));
  EXPECT_EQ(reader.getString("kind"), "jaccard");
  const auto effective = reader.effectiveValues();
  ASSERT_EQ(effective.size(), std::size_t(4));
  EXPECT_EQ(effective.at("items"), "10");
  EXPECT_THROW(reco::parseOptionValues({"novalue"}), reco::Error);
  EXPECT_EQ(reco::checkOptionValue(info.options[1], "1.5"),
            "expected a number in [0, 1], found '1.5'");
  EXPECT_NE(reco::checkOptionValue(info.options[1], "nan"), "");
}

TEST(Recommender, RecommendsExactlyNWithoutSeenItems) {
  FixedModel model(6);
  const reco::ItemIndex seen[] = {{0}, {2}, {2}};
  auto top = model.recommend(reco::UserIndex{1}, seen, 3);
  ASSERT_EQ(top.size(), std::size_t(3));
  EXPECT_EQ(top[0].item.value, 1);
  EXPECT_EQ(top[1].item.value, 3);
  EXPECT_EQ(top[2].item.value, 4);
  // Fewer candidates than n: all of them.
  EXPECT_EQ(model.recommend(reco::UserIndex{0}, seen, 100).size(), std::size_t(4));
  // Ties by index ascending, NaN last.
  const float scores[] = {1.f, std::numeric_limits<float>::quiet_NaN(), 1.f, 2.f};
  auto tied = reco::selectTopN(scores, {}, 4);
  ASSERT_EQ(tied.size(), std::size_t(4));
  EXPECT_EQ(tied[0].item.value, 3);
  EXPECT_EQ(tied[1].item.value, 0);
  EXPECT_EQ(tied[2].item.value, 2);
  EXPECT_EQ(tied[3].item.value, 1);
  EXPECT_THROW(model.similarItems(reco::ItemIndex{0}, 3), reco::Error);
  EXPECT_EQ(model.explain(reco::UserIndex{0}, reco::ItemIndex{4}, {}).score,
            -4.0);  // exact: an integer
}

TEST(Registry, DefaultRegistryIsOneObject) {
  EXPECT_EQ(&reco::defaultRegistry(), &reco::defaultRegistry());
}

}  // namespace
