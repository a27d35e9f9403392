// Numbers as text under a locale that writes a decimal comma. The workbench's Qt side puts
// the process in the user's locale, so the core must read and write '.' whatever the C
// locale says: these tests switch to de_DE.UTF-8 (tools/install-deps.sh generates it) and
// check that nothing the core writes or reads changes.

#include <clocale>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>

#include "core/common/json.h"
#include "core/common/number_text.h"
#include "core/models/model_options.h"
#include "core/models/option_table.h"
#include "core/models/registry.h"
#include "tests/support/gtest_support.h"

namespace {

/// Switches the whole process to de_DE.UTF-8 for the suite and back afterwards.
class NumberText : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { previous_ = std::setlocale(LC_ALL, nullptr); }
  static void TearDownTestSuite() { std::setlocale(LC_ALL, previous_.c_str()); }
  void SetUp() override {
    ASSERT_NE(std::setlocale(LC_ALL, "de_DE.UTF-8"), nullptr)
        << "the locale de_DE.UTF-8 is missing: tools/install-deps.sh generates it (localedef -i "
           "de_DE -f UTF-8 de_DE.UTF-8)";
    // The point of the suite: the C library now writes a comma.
    char probe[16];
    std::snprintf(probe, sizeof probe, "%.2f", 0.25);
    ASSERT_STREQ(probe, "0,25");
  }

  static inline std::string previous_;
};

TEST_F(NumberText, FormatsWithAPoint) {
  EXPECT_EQ(reco::formatNumber(0.25), "0.25");
  EXPECT_EQ(reco::formatNumber(0.01), "0.01");
  EXPECT_EQ(reco::formatNumber(64), "64");
  EXPECT_EQ(reco::formatNumber(1e-6), "1e-06");
  EXPECT_EQ(reco::formatFixed(0.4504, 3), "0.450");
  EXPECT_EQ(reco::formatFixed(-2.5, 0), "-2");
  EXPECT_EQ(reco::formatSignificant(1234567.0, 3), "1.23e+06");
  EXPECT_EQ(reco::formatNumber(std::numeric_limits<double>::quiet_NaN()), "nan");
}

// What `auto` options resolve to is rounded so that its text gives the same value back.
TEST_F(NumberText, RoundsToSignificantDigits) {
  EXPECT_EQ(reco::roundToSignificant(0.020610514414923686, 3), 0.0206);
  EXPECT_EQ(reco::roundToSignificant(103.84615384615384, 3), 104.0);
  EXPECT_EQ(reco::roundToSignificant(1234567.0, 3), 1230000.0);
  EXPECT_EQ(reco::roundToSignificant(-0.00123456, 2), -0.0012);
  EXPECT_EQ(reco::optionNumberText(reco::roundToSignificant(0.020610514414923686, 3)), "0.0206");
  EXPECT_TRUE(std::isinf(reco::roundToSignificant(HUGE_VAL, 3)));
}

TEST_F(NumberText, ShortestTextReadsBackExactly) {
  for (const double value : {0.1, 1.0 / 3.0, 2.0e-310, 1.7976931348623157e308, -123.456e-7}) {
    const auto text = reco::formatNumber(value);
    const auto back = reco::parseNumber(text);
    ASSERT_TRUE(back.has_value()) << text;
    EXPECT_EQ(*back, value) << text;
  }
}

TEST_F(NumberText, ParsesAPointAndNothingElse) {
  EXPECT_EQ(reco::parseNumber("0.01").value_or(-1), 0.01);
  EXPECT_EQ(reco::parseNumber("+2").value_or(-1), 2.0);
  EXPECT_EQ(reco::parseNumber("-1e-3").value_or(0), -1e-3);
  EXPECT_EQ(reco::parseNumber(".5").value_or(0), 0.5);
  for (const char* bad :
       {"", "0,01", "abc", "nan", "inf", "-inf", "1e309", "0x10", "1.5x", " 1", "+-1", "+"})
    EXPECT_FALSE(reco::parseNumber(bad).has_value()) << bad;
}

TEST_F(NumberText, JsonWritesAPoint) {
  reco::JsonWriter json;
  json.beginObject().field("lambda", 0.25).field("k", 10).endObject();
  EXPECT_EQ(json.str(), R"({"lambda":0.25,"k":10})");
}

// The abort this suite was written for: every model's defaults pass their own specs.
TEST_F(NumberText, EveryModelBuildsFromItsDefaults) {
  for (const auto* info : reco::defaultRegistry().list()) {
    for (const auto& spec : info->options)
      EXPECT_TRUE(reco::checkOptionValue(spec, spec.defaultValue).empty())
          << info->name << "." << spec.name;
    EXPECT_NE(reco::defaultRegistry().create(info->name), nullptr) << info->name;
  }
  const auto* biasedmf = reco::defaultRegistry().find("biasedmf");
  ASSERT_NE(biasedmf, nullptr);
  reco::OptionReader reader(biasedmf->options, {{"learning_rate", "0.05"}});
  EXPECT_EQ(reader.getDouble("learning_rate"), 0.05);
  // A comma is what a German user might type, and it is still not a number here.
  EXPECT_FALSE(reco::checkOptionValue(biasedmf->options.front(), "0,5").empty());
}

TEST_F(NumberText, RangeMessagesUseAPoint) {
  reco::OptionSpec spec{"rate", reco::OptionType::Double, "0.5", 0.0, 0.75, {}, "a fraction"};
  const auto reason = reco::checkOptionValue(spec, "2");
  EXPECT_NE(reason.find("[0, 0.75]"), std::string::npos) << reason;
}

}  // namespace
