// The model registry and option metadata: names are unique, find/list/get/create behave,
// option values are checked against their specs and fail loudly.

#include <QtTest>
#include <istream>
#include <ostream>

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

}  // namespace

class TestRegistry : public QObject {
  Q_OBJECT

 private slots:
  void addFindList() {
    reco::Registry registry;
    QCOMPARE(registry.size(), std::size_t(0));
    QVERIFY(registry.find("a") == nullptr);
    registry.add(makeInfo("b"));
    registry.add(makeInfo("a"));
    QCOMPARE(registry.size(), std::size_t(2));
    const reco::ModelInfo* a = registry.find("a");
    QVERIFY(a != nullptr);
    QCOMPARE(a->name, std::string("a"));
    QCOMPARE(a->options.size(), std::size_t(4));
    QVERIFY(!a->deep);
    auto all = registry.list();
    QCOMPARE(all.size(), std::size_t(2));
    QCOMPARE(all[0]->name, std::string("b"));  // registration order
    QCOMPARE(all[1], a);                       // stable pointers
    QCOMPARE(&registry.get("a"), a);
  }

  void duplicateNamesRejected() {
    reco::Registry registry;
    registry.add(makeInfo("pop"));
    try {
      registry.add(makeInfo("pop"));
      QFAIL("a duplicate name was accepted");
    } catch (const reco::Error& e) {
      QCOMPARE(e.kind(), reco::ErrorKind::Internal);
      QVERIFY2(std::string(e.what()).find("'pop'") != std::string::npos, e.what());
    }
    QCOMPARE(registry.size(), std::size_t(1));
  }

  void incompleteInfoRejected() {
    reco::Registry registry;
    QVERIFY_THROWS_EXCEPTION(reco::Error, registry.add(makeInfo("")));
    auto noFactory = makeInfo("x");
    noFactory.factory = nullptr;
    QVERIFY_THROWS_EXCEPTION(reco::Error, registry.add(noFactory));
    auto badDefault = makeInfo("y");
    badDefault.options[0].defaultValue = "0";  // below its minimum of 1
    QVERIFY_THROWS_EXCEPTION(reco::Error, registry.add(badDefault));
    QCOMPARE(registry.size(), std::size_t(0));
  }

  void unknownNameNamesTheKnownOnes() {
    reco::Registry registry;
    registry.add(makeInfo("itemknn"));
    try {
      registry.get("itemknm");
      QFAIL("an unknown name was found");
    } catch (const reco::Error& e) {
      QCOMPARE(e.kind(), reco::ErrorKind::Config);
      const std::string message = e.what();
      QVERIFY2(message.find("itemknm") != std::string::npos, e.what());
      QVERIFY2(message.find("itemknn") != std::string::npos, e.what());
    }
  }

  void createValidatesOptions() {
    reco::Registry registry;
    registry.add(makeInfo("fixed"));
    auto model = registry.create("fixed", {{"items", "5"}});
    QVERIFY(model != nullptr);
    QCOMPARE(model->itemCount(), std::size_t(5));
    QCOMPARE(registry.create("fixed")->itemCount(), std::size_t(10));  // the default
    QVERIFY_THROWS_EXCEPTION(reco::Error, registry.create("fixed", {{"items", "0"}}));
    QVERIFY_THROWS_EXCEPTION(reco::Error, registry.create("fixed", {{"items", "2.5"}}));
    QVERIFY_THROWS_EXCEPTION(reco::Error, registry.create("fixed", {{"nope", "1"}}));
    QVERIFY_THROWS_EXCEPTION(reco::Error, registry.create("fixed", {{"kind", "pearson"}}));
  }

  void optionReader() {
    const auto info = makeInfo("m");
    reco::OptionReader reader(info.options,
                              reco::parseOptionValues({"rate=0.25,flag=yes", "kind=jaccard"}));
    QCOMPARE(reader.getInt("items"), std::int64_t(10));
    QCOMPARE(reader.getDouble("rate"), 0.25);
    QCOMPARE(reader.getBool("flag"), true);
    QCOMPARE(reader.getString("kind"), std::string("jaccard"));
    const auto effective = reader.effectiveValues();
    QCOMPARE(effective.size(), std::size_t(4));
    QCOMPARE(effective.at("items"), std::string("10"));
    QVERIFY_THROWS_EXCEPTION(reco::Error, reco::parseOptionValues({"novalue"}));
    QCOMPARE(reco::checkOptionValue(info.options[1], "1.5"),
             std::string("expected a number in [0, 1], found '1.5'"));
    QVERIFY(reco::checkOptionValue(info.options[1], "nan") != "");
  }

  void recommendIsExactlyNWithoutSeen() {
    FixedModel model(6);
    const reco::ItemIndex seen[] = {{0}, {2}, {2}};
    auto top = model.recommend(reco::UserIndex{1}, seen, 3);
    QCOMPARE(top.size(), std::size_t(3));
    QCOMPARE(top[0].item.value, 1);
    QCOMPARE(top[1].item.value, 3);
    QCOMPARE(top[2].item.value, 4);
    // Fewer candidates than n: all of them.
    QCOMPARE(model.recommend(reco::UserIndex{0}, seen, 100).size(), std::size_t(4));
    // Ties by index ascending, NaN last.
    const float scores[] = {1.f, std::numeric_limits<float>::quiet_NaN(), 1.f, 2.f};
    auto tied = reco::selectTopN(scores, {}, 4);
    QCOMPARE(tied[0].item.value, 3);
    QCOMPARE(tied[1].item.value, 0);
    QCOMPARE(tied[2].item.value, 2);
    QCOMPARE(tied[3].item.value, 1);
    QVERIFY_THROWS_EXCEPTION(reco::Error, model.similarItems(reco::ItemIndex{0}, 3));
    QCOMPARE(model.explain(reco::UserIndex{0}, reco::ItemIndex{4}, {}).score, -4.0);
  }

  void defaultRegistryIsOneObject() {
    QCOMPARE(&reco::defaultRegistry(), &reco::defaultRegistry());
  }
};

QTEST_GUILESS_MAIN(TestRegistry)
#include "test_registry.moc"
