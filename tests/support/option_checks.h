#pragma once
// Every registered model's options held to their own specs (issue 12, point 4): each model
// declares its options once, in an option table (core/models/option_table.h), and these
// checks make sure the specs the forms and `--set` show are what the model's options struct
// really takes. One GoogleTest value-parameterized suite, ModelOptions, whose parameter is a
// model's registry name; for each model:
//   - it was registered through withOptionTable (ModelInfo::readBack is set);
//   - every default passes its own spec, and the defaults build a model;
//   - round trip: the struct read from no values holds exactly the specs' defaults;
//   - at each bound of a number the value is accepted and the struct holds exactly it; just
//     outside (the next integer, the next double) it is refused with Config naming the
//     option, through the registry as `--set` goes and through the table alone;
//   - every choice is accepted and held, a value that is no choice refused; booleans and
//     text round trip;
//   - an unknown key is refused with Config naming it.
// The checks between fields (sasrec's heads must divide factors) are the factory's and are
// not run at the bounds: readBack reads through the table alone.
//
// A binary instantiates the suite by including this header (in one source file), defining
// reco::testing::optionModels() and instantiating over the names it lists:
//
//   INSTANTIATE_TEST_SUITE_P(Classic, ModelOptions,
//                            ::testing::ValuesIn(optionModelNames()), optionTestName);

#include <cctype>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/common/error.h"
#include "core/common/number_text.h"
#include "core/models/model_options.h"
#include "core/models/registry.h"

namespace reco::testing {

/// The registry whose models the suite checks; defined by the binary, built on first call
/// (GoogleTest calls it through the parameter generator, inside InitGoogleTest).
const Registry& optionModels();

/// The names of optionModels()'s models, in registration order.
inline std::vector<std::string> optionModelNames() {
  std::vector<std::string> names;
  for (const ModelInfo* info : optionModels().list()) names.push_back(info->name);
  return names;
}

/// A test name from a model's name (GoogleTest takes letters, digits and '_').
inline std::string optionTestName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
}

class ModelOptions : public ::testing::TestWithParam<std::string> {
 protected:
  const ModelInfo& info() const { return optionModels().get(GetParam()); }

  /// What `values` read back to through the model's table (readBack).
  OptionValues readBack(const OptionValues& values) const { return info().readBack(values); }

  /// The value of `key` that `text` reads back to.
  std::string heldAs(const std::string& key, const std::string& text) const {
    return readBack({{key, text}}).at(key);
  }

  /// Expects key=text refused with Config naming the key, by the registry's factory (as
  /// `--set` is) and by the table alone (readBack).
  void expectRefused(const std::string& key, const std::string& text) const {
    const std::string named = "'" + key + "'";
    const auto expectConfigNaming = [&](const char* path, const auto& attempt) {
      try {
        attempt();
        ADD_FAILURE() << key << "=" << text << " was accepted by " << path;
      } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Config) << path << ": " << e.what();
        EXPECT_NE(std::string(e.what()).find(named), std::string::npos)
            << path << " did not name " << named << ": " << e.what();
      }
    };
    expectConfigNaming("the factory", [&] { optionModels().create(GetParam(), {{key, text}}); });
    expectConfigNaming("the table", [&] { readBack({{key, text}}); });
  }

  /// An integer bound as the text a user types.
  static std::string integerText(double bound) { return std::to_string(std::int64_t(bound)); }
};

TEST_P(ModelOptions, RegisteredThroughAnOptionTable) {
  ASSERT_TRUE(static_cast<bool>(info().readBack))
      << "register the model with withOptionTable (core/models/registry.h)";
}

TEST_P(ModelOptions, DefaultsPassTheirSpecsAndBuildTheModel) {
  for (const OptionSpec& spec : info().options)
    EXPECT_EQ(checkOptionValue(spec, spec.defaultValue), "") << spec.name;
  EXPECT_NE(optionModels().create(GetParam()), nullptr);
}

TEST_P(ModelOptions, StructDefaultsAreTheSpecDefaults) {
  ASSERT_TRUE(static_cast<bool>(info().readBack));
  OptionValues defaults;
  for (const OptionSpec& spec : info().options) defaults[spec.name] = spec.defaultValue;
  EXPECT_EQ(readBack({}), defaults);
  // And what the struct holds reads back to itself.
  EXPECT_EQ(readBack(defaults), defaults);
}

TEST_P(ModelOptions, NumbersAreHeldAtTheirBoundsAndRefusedJustOutside) {
  ASSERT_TRUE(static_cast<bool>(info().readBack));
  for (const OptionSpec& spec : info().options) {
    if (spec.type != OptionType::Int && spec.type != OptionType::Double) continue;
    SCOPED_TRACE("option " + spec.name);
    const bool integer = spec.type == OptionType::Int;
    for (const auto& [bound, direction] : {std::pair{spec.min, -1.0}, std::pair{spec.max, 1.0}}) {
      if (!bound) {
        // Unbounded on this side: a far value is taken as it is.
        if (integer) continue;  // integer options are bounded on both sides (option_table.h)
        const double far = direction * 1e300;
        EXPECT_EQ(parseNumber(heldAs(spec.name, formatNumber(far))), far);
        continue;
      }
      const std::string at = integer ? integerText(*bound) : formatNumber(*bound);
      EXPECT_EQ(checkOptionValue(spec, at), "") << at;
      if (integer) {
        EXPECT_EQ(heldAs(spec.name, at), at);
        expectRefused(spec.name, integerText(*bound + direction));
      } else {
        EXPECT_EQ(parseNumber(heldAs(spec.name, at)), *bound) << at;
        const double outside = std::nextafter(*bound, direction * HUGE_VAL);
        const std::string text = formatNumber(outside);
        ASSERT_EQ(parseNumber(text), outside)
            << text << " must read back, so that the bound refuses it";
        expectRefused(spec.name, text);
      }
    }
  }
}

TEST_P(ModelOptions, ChoicesBooleansAndTextRoundTrip) {
  ASSERT_TRUE(static_cast<bool>(info().readBack));
  for (const OptionSpec& spec : info().options) {
    SCOPED_TRACE("option " + spec.name);
    switch (spec.type) {
      case OptionType::Choice:
        EXPECT_FALSE(spec.choices.empty());
        for (const std::string& choice : spec.choices) EXPECT_EQ(heldAs(spec.name, choice), choice);
        expectRefused(spec.name, "no-such-choice");
        break;
      case OptionType::Bool:
        EXPECT_EQ(heldAs(spec.name, "true"), "true");
        EXPECT_EQ(heldAs(spec.name, "off"), "false");
        expectRefused(spec.name, "maybe");
        break;
      case OptionType::String:
        EXPECT_EQ(heldAs(spec.name, "some text-1"), "some text-1");
        EXPECT_EQ(heldAs(spec.name, ""), "");
        break;
      case OptionType::Int:
      case OptionType::Double: break;
    }
  }
}

TEST_P(ModelOptions, UnknownKeysAreRefused) {
  ASSERT_TRUE(static_cast<bool>(info().readBack));
  expectRefused("no_such_option", "1");
}

}  // namespace reco::testing
