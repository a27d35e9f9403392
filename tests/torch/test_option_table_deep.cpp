// The deep models' options held to their own specs: the ModelOptions suite of
// tests/support/option_checks.h (what it checks is listed there) over every model the
// reco_torch module registers, loaded as the CLI loads it. The classic models:
// tests/core/test_option_table.cpp.

#include <stdlib.h>

#include <cstdlib>
#include <string>

#include "core/models/registry.h"
#include "core/models/torch_module.h"
#include "tests/support/gtest_support.h"
#include "tests/support/option_checks.h"

namespace reco::testing {
namespace {

Registry& deepRegistry() {
  static Registry registry;
  return registry;
}

const TorchModuleStatus& loadModule() {
  static const TorchModuleStatus& status = []() -> const TorchModuleStatus& {
    // The module beside the build, never one a stray variable of the environment names.
    if (!std::getenv("RECO_TEST_CHILD")) unsetenv("RECO_TORCH_MODULE");
    return loadTorchModule(deepRegistry());
  }();
  return status;
}

}  // namespace

// Loads the module on the first call (through the parameter generator, inside
// InitGoogleTest), so the deep models are listed before any test runs.
const Registry& optionModels() {
  loadModule();
  return deepRegistry();
}

INSTANTIATE_TEST_SUITE_P(Deep, ModelOptions, ::testing::ValuesIn(optionModelNames()),
                         optionTestName);

// The suite covers what the module registered: it must load and register the deep models.
TEST(DeepOptionTables, ModuleLoadsWithEveryDeepModel) {
  const TorchModuleStatus& status = loadModule();
  ASSERT_TRUE(status.loaded) << status.error;
  for (const char* name : {"mlp", "neumf", "sasrec", "hybrid"}) {
    const ModelInfo* info = optionModels().find(name);
    ASSERT_NE(info, nullptr) << name;
    EXPECT_TRUE(info->deep) << name;
  }
}

// Each deep model's trainer defaults are its own (the member initializer of its `trainer`),
// written as they always were ("0.0005", not "5e-04").
TEST(DeepOptionTables, TrainerDefaultsAreEachModelsOwn) {
  ASSERT_TRUE(loadModule().loaded) << loadModule().error;
  const auto defaultOf = [](const char* model, const char* key) {
    for (const OptionSpec& spec : optionModels().get(model).options)
      if (spec.name == key) return spec.defaultValue;
    return std::string("(missing)");
  };
  EXPECT_EQ(defaultOf("mlp", "loss"), "softmax");
  EXPECT_EQ(defaultOf("mlp", "negatives"), "64");
  EXPECT_EQ(defaultOf("mlp", "learning_rate"), "0.003");
  EXPECT_EQ(defaultOf("neumf", "learning_rate"), "0.0005");
  EXPECT_EQ(defaultOf("hybrid", "learning_rate"), "0.0005");
  EXPECT_EQ(defaultOf("sasrec", "negatives"), "1");
  EXPECT_EQ(defaultOf("sasrec", "epochs"), "50");
  EXPECT_EQ(defaultOf("sasrec", "learning_rate"), "0.001");
  EXPECT_EQ(defaultOf("sasrec", "checkpoint_dir"), "");
}

// Checks between fields stay with the factory, after the table's.
TEST(DeepOptionTables, ChecksBetweenFieldsStillRefuse) {
  ASSERT_TRUE(loadModule().loaded) << loadModule().error;
  const auto configError = [](const char* model, const OptionValues& values) {
    try {
      optionModels().create(model, values);
    } catch (const Error& e) {
      return e.kind() == ErrorKind::Config ? std::string(e.what()) : std::string("not Config");
    }
    return std::string("accepted");
  };
  EXPECT_EQ(configError("sasrec", {{"factors", "64"}, {"heads", "3"}}),
            "sasrec: heads must divide factors, found factors = 64 and heads = 3");
  EXPECT_EQ(configError("hybrid", {{"cf_weight", "0"}, {"content_weight", "0"}}),
            "hybrid: cf_weight and content_weight are both 0; at least one part must count");
  EXPECT_EQ(configError("mlp", {{"checkpoint_every", "2"}}),
            "mlp: checkpoint_every = 2 needs checkpoint_dir, a folder to write them to");
  EXPECT_NE(configError("neumf", {{"mlp_layers", "63-32"}}).find("must be even"),
            std::string::npos);
}

}  // namespace reco::testing
