// The option table (core/models/option_table.h), with which each model declares its options
// once: the specs, the reading of values and the check of a struct all come from it. First
// the facility on a struct of its own, then every classic model of defaultRegistry() held to
// its own specs (tests/support/option_checks.h; the deep models: tests/torch/
// test_option_table_deep.cpp).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/common/error.h"
#include "core/models/classic_support.h"
#include "core/models/knn_options.h"
#include "core/models/option_table.h"
#include "core/models/registry.h"
#include "tests/support/gtest_support.h"
#include "tests/support/option_checks.h"

namespace reco::testing {

const Registry& optionModels() {
  return defaultRegistry();
}

INSTANTIATE_TEST_SUITE_P(Classic, ModelOptions, ::testing::ValuesIn(optionModelNames()),
                         optionTestName);

}  // namespace reco::testing

namespace {

using reco::ErrorKind;
using reco::OptionTable;
using reco::OptionType;

struct Inner {
  int rounds = 3;
  double step = 5e-4;
};

struct Sample {
  int factors = 64;
  std::int64_t budget = 1000;
  double lambda = 500;
  double tiny = 1e-6;
  bool bias = true;
  std::string layers = "64-32";
  std::string loss = "bce";
  reco::Feedback feedback = reco::Feedback::Weighted;
  Inner inner{7, 0.0005};

  static const OptionTable<Sample>& table() {
    static const OptionTable<Sample> table =
        OptionTable<Sample>{
            reco::optionField("factors", &Sample::factors, 1, 1024, "latent dimensions"),
            reco::optionField("budget", &Sample::budget, 0, 1e12, "a large count"),
            reco::optionField("lambda", &Sample::lambda, 1e-6, {}, "a penalty"),
            reco::optionField("tiny", &Sample::tiny, 0.0, 1.0, "a small number"),
            reco::optionField("bias", &Sample::bias, "a switch"),
            reco::optionField("layers", &Sample::layers, "any text"),
            reco::choiceField("loss", &Sample::loss, {"bpr", "bce"}, "a choice held as text"),
            reco::feedbackField(&Sample::feedback, "a choice held as an enum"),
        }
            .include(&Sample::inner,
                     OptionTable<Inner>{
                         reco::optionField("rounds", &Inner::rounds, 1, 10, "nested"),
                         reco::optionField("step", &Inner::step, 0.0, 1.0, "nested number"),
                     });
    return table;
  }
};

const reco::OptionSpec& specNamed(const std::vector<reco::OptionSpec>& specs,
                                  const std::string& name) {
  for (const auto& spec : specs)
    if (spec.name == name) return spec;
  throw std::runtime_error("no spec " + name);
}

// The error `attempt` throws, or a failure when it throws none.
template <class Attempt>
reco::Error errorOf(const Attempt& attempt) {
  try {
    attempt();
  } catch (const reco::Error& e) {
    return e;
  }
  ADD_FAILURE() << "no error was thrown";
  return reco::Error(ErrorKind::Internal, "none");
}

TEST(OptionTable, SpecsTakeTheirDefaultsFromTheStruct) {
  const auto specs = Sample::table().specs();
  std::vector<std::string> keys;
  for (const auto& spec : specs) keys.push_back(spec.name);
  EXPECT_EQ(keys, (std::vector<std::string>{"factors", "budget", "lambda", "tiny", "bias", "layers",
                                            "loss", "feedback", "rounds", "step"}));
  const auto& factors = specNamed(specs, "factors");
  EXPECT_EQ(factors.type, OptionType::Int);
  EXPECT_EQ(factors.defaultValue, "64");
  EXPECT_EQ(factors.min, 1.0);
  EXPECT_EQ(factors.max, 1024.0);
  EXPECT_EQ(factors.help, "latent dimensions");
  EXPECT_EQ(specNamed(specs, "budget").defaultValue, "1000");
  EXPECT_EQ(specNamed(specs, "lambda").type, OptionType::Double);
  EXPECT_EQ(specNamed(specs, "lambda").defaultValue, "500");
  EXPECT_FALSE(specNamed(specs, "lambda").max.has_value());
  EXPECT_EQ(specNamed(specs, "tiny").defaultValue, "1e-06");
  EXPECT_EQ(specNamed(specs, "bias").type, OptionType::Bool);
  EXPECT_EQ(specNamed(specs, "bias").defaultValue, "true");
  EXPECT_EQ(specNamed(specs, "layers").type, OptionType::String);
  EXPECT_EQ(specNamed(specs, "layers").defaultValue, "64-32");
  EXPECT_EQ(specNamed(specs, "loss").type, OptionType::Choice);
  EXPECT_EQ(specNamed(specs, "loss").choices, (std::vector<std::string>{"bpr", "bce"}));
  EXPECT_EQ(specNamed(specs, "feedback").choices, (std::vector<std::string>{"binary", "weighted"}));
  EXPECT_EQ(specNamed(specs, "feedback").defaultValue, "weighted");
  // A nested table's defaults are those of the outer struct's member, not of Inner{}.
  EXPECT_EQ(specNamed(specs, "rounds").defaultValue, "7");
  EXPECT_EQ(specNamed(specs, "step").defaultValue, "0.0005");
}

TEST(OptionTable, NumbersAreWrittenAsTheSpecsAlwaysWroteThem) {
  EXPECT_EQ(reco::optionNumberText(0.0005), "0.0005");  // not the shorter "5e-04"
  EXPECT_EQ(reco::optionNumberText(500), "500");
  EXPECT_EQ(reco::optionNumberText(0.01), "0.01");
  EXPECT_EQ(reco::optionNumberText(1e-3), "0.001");
  EXPECT_EQ(reco::optionNumberText(1e-6), "1e-06");
  EXPECT_EQ(reco::optionNumberText(0), "0");
  EXPECT_EQ(reco::optionNumberText(1e12), "1e+12");
  // More digits than %g's six: the shortest text that reads back exactly.
  EXPECT_EQ(reco::optionNumberText(0.123456789), "0.123456789");
  EXPECT_EQ(reco::optionNumberText(std::nan("")), "nan");
}

TEST(OptionTable, ReadTakesValuesAndLeavesTheRestAtTheirDefaults) {
  const Sample defaults = Sample::table().read({});
  EXPECT_EQ(Sample::table().texts(defaults), Sample::table().texts(Sample{}));

  const Sample read = Sample::table().read({{"factors", "8"},
                                            {"budget", "1000000000000"},
                                            {"lambda", "0.5"},
                                            {"bias", "no"},
                                            {"layers", "16-8"},
                                            {"loss", "bpr"},
                                            {"feedback", "binary"},
                                            {"rounds", "10"},
                                            {"step", "0.25"}});
  EXPECT_EQ(read.factors, 8);
  EXPECT_EQ(read.budget, std::int64_t(1000000000000));
  EXPECT_EQ(read.lambda, 0.5);
  EXPECT_EQ(read.tiny, 1e-6);
  EXPECT_FALSE(read.bias);
  EXPECT_EQ(read.layers, "16-8");
  EXPECT_EQ(read.loss, "bpr");
  EXPECT_EQ(read.feedback, reco::Feedback::Binary);
  EXPECT_EQ(read.inner.rounds, 10);
  EXPECT_EQ(read.inner.step, 0.25);
  // texts() writes what read() takes back.
  const Sample again = Sample::table().read(Sample::table().texts(read));
  EXPECT_EQ(Sample::table().texts(again), Sample::table().texts(read));
}

TEST(OptionTable, ReadRefusesAsTheOptionReaderDoes) {
  const auto outOfRange = errorOf([] { Sample::table().read({{"factors", "0"}}); });
  EXPECT_EQ(outOfRange.kind(), ErrorKind::Config);
  EXPECT_STREQ(outOfRange.what(), "option 'factors': expected an integer in [1, 1024], found '0'");
  const auto nested = errorOf([] { Sample::table().read({{"rounds", "11"}}); });
  EXPECT_STREQ(nested.what(), "option 'rounds': expected an integer in [1, 10], found '11'");
  const auto choice = errorOf([] { Sample::table().read({{"feedback", "both"}}); });
  EXPECT_STREQ(choice.what(), "option 'feedback': expected one of binary, weighted, found 'both'");
  const auto unknown = errorOf([] { Sample::table().read({{"factor", "8"}}); });
  EXPECT_EQ(unknown.kind(), ErrorKind::Config);
  EXPECT_NE(std::string(unknown.what()).find("unknown option 'factor'"), std::string::npos)
      << unknown.what();
}

TEST(OptionTable, CheckHoldsAStructBuiltInCodeToTheSameBounds) {
  Sample ok;
  EXPECT_NO_THROW(Sample::table().check(ok));
  EXPECT_EQ(Sample::table().problem(ok), "");

  Sample zero;
  zero.factors = 0;
  const auto error = errorOf([&] { Sample::table().check(zero); });
  EXPECT_EQ(error.kind(), ErrorKind::Config);
  // The reader's very words: a bad value reads the same from `--set` and from code.
  EXPECT_STREQ(error.what(), "option 'factors': expected an integer in [1, 1024], found '0'");

  Sample notANumber;
  notANumber.tiny = std::nan("");
  EXPECT_EQ(Sample::table().problem(notANumber),
            "option 'tiny': expected a number in [0, 1], found 'nan'");
  Sample infinite;
  infinite.lambda = std::numeric_limits<double>::infinity();
  EXPECT_NE(Sample::table().problem(infinite), "");
  Sample belowPenalty;
  belowPenalty.lambda = 1e-7;
  EXPECT_EQ(Sample::table().problem(belowPenalty),
            "option 'lambda': expected a number in [1e-06, inf], found '1e-07'");
  Sample badChoice;
  badChoice.loss = "hinge";
  EXPECT_EQ(Sample::table().problem(badChoice),
            "option 'loss': expected one of bpr, bce, found 'hinge'");
  Sample badNested;
  badNested.inner.step = 2;
  EXPECT_EQ(Sample::table().problem(badNested),
            "option 'step': expected a number in [0, 1], found '2'");
}

struct Narrow {
  std::int32_t count = 1;
};

TEST(OptionTable, MistakesInATableAreRefusedWhenItIsBuilt) {
  // A key twice.
  const auto twice = errorOf([] {
    OptionTable<Narrow>{reco::optionField("count", &Narrow::count, 1, 10, "a"),
                        reco::optionField("count", &Narrow::count, 1, 10, "b")};
  });
  EXPECT_EQ(twice.kind(), ErrorKind::Internal);
  // A bound the member's type cannot hold: the reader would accept what the struct cannot.
  const auto wide = errorOf([] { reco::optionField("count", &Narrow::count, 1, 1e10, "c"); });
  EXPECT_EQ(wide.kind(), ErrorKind::Internal);
  // An integer without an upper bound.
  const auto open = errorOf([] { reco::optionField("count", &Narrow::count, 1, {}, "d"); });
  EXPECT_EQ(open.kind(), ErrorKind::Internal);
}

// itemknn and userknn share KnnOptions with two wordings; validate() checks with the
// item table, so the two must agree in all but the help, except that itemknn alone has
// short_history_shrink, last.
TEST(OptionTable, TheTwoNeighbourhoodTablesDifferInTheirWordsOnly) {
  auto item = reco::KnnOptions::itemTable().specs();
  auto user = reco::KnnOptions::userTable().specs();
  ASSERT_EQ(item.size(), user.size() + 1);
  EXPECT_EQ(item.back().name, "short_history_shrink");
  for (std::size_t i = 0; i < user.size(); ++i) {
    SCOPED_TRACE(item[i].name);
    EXPECT_EQ(item[i].name, user[i].name);
    EXPECT_EQ(item[i].type, user[i].type);
    EXPECT_EQ(item[i].defaultValue, user[i].defaultValue);
    EXPECT_EQ(item[i].min, user[i].min);
    EXPECT_EQ(item[i].max, user[i].max);
    EXPECT_EQ(item[i].choices, user[i].choices);
  }
}

// The suite above covers what the registry lists; make sure that is every classic model.
TEST(OptionTable, EveryClassicModelIsChecked) {
  std::vector<std::string> names;
  for (const reco::ModelInfo* info : reco::defaultRegistry().list()) {
    EXPECT_FALSE(info->deep) << info->name;
    names.push_back(info->name);
  }
  for (const char* name : {"random", "pop", "itemknn", "userknn", "puresvd", "biasedmf", "als",
                           "bpr", "ease", "content"})
    EXPECT_NE(std::find(names.begin(), names.end(), name), names.end()) << name;
}

}  // namespace
