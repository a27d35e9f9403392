// The model contract (tests/support/model_contract.h) over every deep model of the
// reco_torch module (loaded with loadTorchModule, as the CLI does), on the CPU, and the deep
// trainer's own promises over the same models: every loss finds the right answer, the seed
// counts, checkpoints resume bit for bit, cancel within one batch, per-epoch validation and
// early stopping, the memory refusal, the device rules, and the CUDA path (skipped with a
// message where no CUDA device is seen; tools/gpu-bench.sh runs it on a GPU). The fixture is
// the checkerboard (even users chose even items); the deep models' own tests: neumf without
// hidden layers, and sasrec, whose recommendations follow the order of the history.

#include <stdlib.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "core/common/error.h"
#include "core/common/random.h"
#include "core/data/training_data.h"
#include "core/eval/evaluator.h"
#include "core/models/recommender.h"
#include "core/models/registry.h"
#include "core/models/torch_module.h"
#include "tests/support/checkerboard.h"
#include "tests/support/gtest_support.h"
#include "tests/support/model_contract.h"

namespace reco::testing {
namespace {

Registry& deepRegistry() {
  static Registry registry;
  return registry;
}

// Fixture-sized options: 240 training pairs, so small batches and a larger step. A deep
// model without an entry gets the generic values that it has.
const OptionValues kFastGeneric = {
    {"factors", "8"}, {"content_factors", "8"}, {"layers", "16-8"},        {"mlp_layers", "16-8"},
    {"epochs", "30"}, {"batch_size", "32"},     {"learning_rate", "0.01"}, {"negatives", "8"}};
const std::map<std::string, OptionValues> kFast = {
    {"mlp",
     {{"factors", "8"},
      {"layers", "16-8"},
      {"epochs", "30"},
      {"batch_size", "32"},
      {"learning_rate", "0.01"},
      {"negatives", "8"}}},
    {"neumf",
     {{"factors", "8"},
      {"mlp_layers", "16-8"},
      {"epochs", "30"},
      {"batch_size", "32"},
      {"learning_rate", "0.01"}}},
    {"hybrid",
     {{"factors", "8"},
      {"content_factors", "8"},
      {"epochs", "30"},
      {"batch_size", "32"},
      {"learning_rate", "0.01"},
      {"negatives", "8"}}},
    // 40 sequences in batches of 5: 8 batches an epoch, as the pair models' 240 pairs in 32s.
    {"sasrec",
     {{"factors", "16"},
      {"max_length", "8"},
      {"heads", "2"},
      {"epochs", "30"},
      {"batch_size", "5"},
      {"learning_rate", "0.01"},
      {"negatives", "4"}}},
};

}  // namespace

// Loads the module on the first call: GoogleTest calls this through the suites' parameter
// generators inside InitGoogleTest, so the deep models are listed before any test runs.
const TorchModuleStatus& torchStatus() {
  static const TorchModuleStatus& status = [&]() -> const TorchModuleStatus& {
    // The module is found beside the build, never through a stray variable of the caller's
    // environment (a child process of a test sets it on purpose).
    if (!std::getenv("RECO_TEST_CHILD")) unsetenv("RECO_TORCH_MODULE");
    return loadTorchModule(deepRegistry());
  }();
  return status;
}

const ContractModels& contractModels() {
  static const ContractModels models = [] {
    torchStatus();
    ContractModels m;
    m.registry = &deepRegistry();
    m.options = [](const ModelInfo& info) {
      if (const auto it = kFast.find(info.name); it != kFast.end()) return it->second;
      OptionValues values;
      applyWhereValid(info, kFastGeneric, values);
      return values;
    };
    return m;
  }();
  return models;
}

INSTANTIATE_TEST_SUITE_P(Deep, ModelContract, ::testing::ValuesIn(contractModelNames(true)),
                         modelTestName);

}  // namespace reco::testing

namespace {

using reco::testing::checkerboard;
using reco::testing::cpuCompute;
using reco::testing::identical;
using reco::testing::kCheckerboardItems;
using reco::testing::kCheckerboardUsers;
using reco::testing::RecordingObserver;
using reco::testing::scoreAll;

reco::ComputeOptions cudaCompute() {
  reco::ComputeOptions compute = cpuCompute();
  compute.device = reco::ComputeOptions::Device::Cuda;
  return compute;
}

std::unique_ptr<reco::Recommender> create(const std::string& name,
                                          const reco::OptionValues& extra = {},
                                          const reco::ComputeOptions& compute = cpuCompute()) {
  const auto& models = reco::testing::contractModels();
  reco::OptionValues values = models.options(models.registry->get(name));
  for (const auto& [key, value] : extra) values[key] = value;
  return models.registry->create(name, values, compute);
}

std::unique_ptr<reco::Recommender> fitted(const std::string& name,
                                          const reco::OptionValues& extra = {},
                                          const reco::ComputeOptions& compute = cpuCompute(),
                                          const reco::TrainingData* data = nullptr) {
  auto model = create(name, extra, compute);
  if (model->fit(data ? *data : checkerboard().data, nullptr, {}) != reco::Outcome::Completed ||
      !model->isFitted())
    throw std::runtime_error(name + ": fit did not complete");
  return model;
}

bool cudaSeen() {
  return reco::testing::torchStatus().cudaAvailable;
}
constexpr const char* kNoCuda =
    "no CUDA device seen (or a CPU LibTorch): the GPU path is not tested here";

::testing::AssertionResult containsText(const char* textExpression, const char*,
                                        const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << textExpression << " = \"" << text << "\" does not contain \"" << part << "\"";
}
#define EXPECT_CONTAINS(text, part) EXPECT_PRED_FORMAT2(containsText, text, part)

// The deep models of the registry, one test each (built once the module is loaded).
class DeepModel : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(reco::testing::torchStatus().loaded) << reco::testing::torchStatus().error;
  }
  const std::string& name() const { return GetParam(); }
};

INSTANTIATE_TEST_SUITE_P(Deep, DeepModel,
                         ::testing::ValuesIn(reco::testing::contractModelNames(true)),
                         reco::testing::modelTestName);

// The contract suites cover what the registry lists: the module must load and list these.
TEST(DeepModels, ModuleLoadsWithTheDeepModels) {
  const auto& status = reco::testing::torchStatus();
  ASSERT_TRUE(status.loaded) << status.error;
  for (const char* name : {"mlp", "neumf", "sasrec", "hybrid"}) {
    const reco::ModelInfo* info = reco::testing::deepRegistry().find(name);
    ASSERT_NE(info, nullptr) << name;
    EXPECT_TRUE(info->deep) << name;
  }
  EXPECT_EQ(reco::testing::deepRegistry().find("neumf")->options.front().name, "factors");
}

TEST_P(DeepModel, HasTheTrainerOptions) {
  const reco::ModelInfo& info = reco::testing::deepRegistry().get(name());
  EXPECT_EQ(info.family, "deep");
  std::set<std::string> keys;
  for (const auto& spec : info.options) keys.insert(spec.name);
  for (const char* key : {"loss", "negatives", "batch_size", "epochs", "learning_rate",
                          "weight_decay", "max_memory_gb", "amp", "checkpoint_every",
                          "checkpoint_dir", "resume_from", "factors", "dropout"})
    EXPECT_TRUE(keys.count(key)) << key;
}

TEST_P(DeepModel, BadTrainerOptionsFailLoudly) {
  for (const reco::OptionValues& bad : std::vector<reco::OptionValues>{{{"loss", "hinge"}},
                                                                       {{"negatives", "0"}},
                                                                       {{"batch_size", "0"}},
                                                                       {{"learning_rate", "0"}}})
    EXPECT_THROW(reco::testing::deepRegistry().create(name(), bad, cpuCompute()), reco::Error)
        << bad.begin()->first << "=" << bad.begin()->second;
}

TEST(DeepModels, BadLayerOptionsFailLoudly) {
  const auto& registry = reco::testing::deepRegistry();
  EXPECT_THROW(registry.create("neumf", {{"mlp_layers", "63-8"}}, cpuCompute()), reco::Error);
  EXPECT_THROW(registry.create("neumf", {{"mlp_layers", "64--8"}}, cpuCompute()), reco::Error);
  EXPECT_THROW(registry.create("mlp", {{"layers", ""}}, cpuCompute()), reco::Error);
  EXPECT_THROW(registry.create("mlp", {{"layers", "64,x"}}, cpuCompute()), reco::Error);
  // Commas separate widths too (the GUI's forms); '-' is what --set can carry.
  EXPECT_NE(registry.create("mlp", {{"layers", "16,8"}}, cpuCompute()), nullptr);
  EXPECT_THROW(registry.create("sasrec", {{"factors", "10"}, {"heads", "3"}}, cpuCompute()),
               reco::Error);
  EXPECT_THROW(registry.create("sasrec", {{"max_length", "0"}}, cpuCompute()), reco::Error);
}

// Every deep model with every loss of the trainer other than its default (the contract
// checks the default): the right answer on the checkerboard.
class DeepModelLoss : public ::testing::TestWithParam<std::tuple<std::string, std::string>> {};

std::vector<std::tuple<std::string, std::string>> modelsAndOtherLosses() {
  std::vector<std::tuple<std::string, std::string>> rows;
  for (const std::string& name : reco::testing::contractModelNames(true))
    for (const auto& spec : reco::testing::deepRegistry().get(name).options)
      if (spec.name == "loss")
        for (const std::string& loss : spec.choices)
          if (loss != spec.defaultValue) rows.emplace_back(name, loss);
  return rows;
}

TEST_P(DeepModelLoss, FindsTheRightAnswer) {
  const auto& [name, loss] = GetParam();
  const auto answer = reco::testing::parityAnswer(*fitted(name, {{"loss", loss}}));
  EXPECT_GE(answer.share, 0.8) << "only " << 100 * answer.share
                               << "% of top-5 items have the user's parity";
  EXPECT_LT(answer.heldOutPosition, answer.wrongParityPosition);
}

INSTANTIATE_TEST_SUITE_P(
    Deep, DeepModelLoss, ::testing::ValuesIn(modelsAndOtherLosses()),
    [](const ::testing::TestParamInfo<std::tuple<std::string, std::string>>& info) {
      return std::get<0>(info.param) + "_" + std::get<1>(info.param);
    });

// The seed counts (the contract checks that the same seed gives the same scores).
TEST_P(DeepModel, OtherSeedOtherScores) {
  reco::TrainingData other = checkerboard().data;
  other.seed = 43;
  EXPECT_FALSE(
      identical(scoreAll(*fitted(name())), scoreAll(*fitted(name(), {}, cpuCompute(), &other))));
}

// Every deep model finds similar items by its item embeddings, 5 of them, which share the
// item's parity (80% at least); it has embeddings and folds in a new history (sasrec by a
// forward pass, the others with gradient steps: test_deep_fold_in.cpp).
TEST_P(DeepModel, FindsSimilarItemsOfTheParityAndFoldsIn) {
  const auto m = fitted(name());
  const unsigned caps = m->capabilities();
  EXPECT_TRUE(caps & reco::kCanSimilarItems);
  EXPECT_TRUE(caps & reco::kHasItemEmbeddings);
  EXPECT_TRUE(caps & reco::kCanFoldIn);
  int sameParity = 0;
  for (std::int32_t i = 0; i < kCheckerboardItems; ++i) {
    const auto similar = m->similarItems({i}, 5);
    EXPECT_EQ(similar.size(), std::size_t(5));
    for (const auto& s : similar) sameParity += s.item.value % 2 == i % 2;
  }
  EXPECT_GE(sameParity, 4 * kCheckerboardItems)
      << sameParity << " of " << 5 * kCheckerboardItems << " similar items share the item's parity";
}

TEST_P(DeepModel, CheckpointsResumeBitForBit) {
  // 4 epochs at once against 2 epochs, a checkpoint, and 2 more from it: the same model bit
  // for bit on the CPU (dropout on, so torch's generator state counts too).
  namespace fs = std::filesystem;
  reco::testing::TempDir dir;
  const std::string folder = dir.path().string();
  const auto straight = scoreAll(*fitted(name(), {{"epochs", "4"}, {"dropout", "0.2"}}));
  RecordingObserver observer;
  auto first = create(
      name(),
      {{"epochs", "2"}, {"dropout", "0.2"}, {"checkpoint_every", "1"}, {"checkpoint_dir", folder}});
  ASSERT_EQ(first->fit(checkerboard().data, &observer, {}), reco::Outcome::Completed);
  const std::string checkpoint = dir.file(name() + "-epoch-2.ckpt");
  ASSERT_TRUE(fs::exists(checkpoint)) << checkpoint;
  EXPECT_TRUE(fs::exists(dir.file(name() + "-epoch-1.ckpt")));
  EXPECT_FALSE(fs::exists(checkpoint + ".part"));
  EXPECT_TRUE(
      std::any_of(observer.messages.begin(), observer.messages.end(),
                  [](const std::string& m) { return m.find("checkpoint") != std::string::npos; }));
  RecordingObserver resumed;
  auto second = create(name(), {{"epochs", "4"}, {"dropout", "0.2"}, {"resume_from", checkpoint}});
  ASSERT_EQ(second->fit(checkerboard().data, &resumed, {}), reco::Outcome::Completed);
  ASSERT_EQ(resumed.epochs.size(), std::size_t(2));
  EXPECT_EQ(resumed.epochs.front().epoch, 3);
  EXPECT_TRUE(identical(scoreAll(*second), straight));

  // Refusals: other data, other trainer options, a file that is no checkpoint, options.
  reco::TrainingData other = checkerboard().data;
  other.seed = 43;
  const auto refusal = [&](reco::OptionValues extra,
                           const reco::TrainingData& data) -> std::string {
    extra["epochs"] = "4";
    extra["dropout"] = "0.2";
    auto m = create(name(), extra);
    try {
      m->fit(data, nullptr, {});
    } catch (const reco::Error& e) {
      return e.what();
    }
    return "(accepted)";
  };
  EXPECT_CONTAINS(refusal({{"resume_from", checkpoint}}, other), "seed 43");
  EXPECT_CONTAINS(
      refusal({{"resume_from", checkpoint}, {"learning_rate", "0.02"}}, checkerboard().data),
      "learning_rate=0.02");
  EXPECT_CONTAINS(refusal({{"resume_from", dir.file("missing.ckpt")}}, checkerboard().data),
                  "cannot open the checkpoint");
  const std::string foreign = dir.file("foreign.ckpt");
  std::ofstream(foreign) << "not a checkpoint at all";
  EXPECT_CONTAINS(refusal({{"resume_from", foreign}}, checkerboard().data), foreign);
  EXPECT_THROW(create(name(), {{"checkpoint_every", "2"}}), reco::Error);
}

TEST_P(DeepModel, CancelsWithinOneBatch) {
  // 240 pairs in batches of 32: 8 batches an epoch. Stop asked during the 12th batch's
  // progress report: training ends before the 13th batch, after epoch 1 completed.
  RecordingObserver observer;
  observer.stopAtProgress = 12;
  auto m = create(name());
  EXPECT_EQ(m->fit(checkerboard().data, &observer, observer.source.get_token()),
            reco::Outcome::Stopped);
  EXPECT_EQ(observer.progress, 12);
  EXPECT_EQ(observer.epochs.size(), std::size_t(1));
  EXPECT_TRUE(m->isFitted());  // holds epoch 1 (and the batches after it)
  // Within the first epoch: nothing completed, so the model is not fitted.
  RecordingObserver early;
  early.stopAtProgress = 1;
  auto n = create(name());
  EXPECT_EQ(n->fit(checkerboard().data, &early, early.source.get_token()), reco::Outcome::Stopped);
  EXPECT_EQ(early.progress, 1);
  EXPECT_FALSE(n->isFitted());
}

TEST_P(DeepModel, ReportsEveryEpochWithValidationAndStopsEarly) {
  RecordingObserver observer;
  observer.validating = true;
  auto m = create(name());
  ASSERT_EQ(m->fit(checkerboard().data, &observer, {}), reco::Outcome::Completed);
  ASSERT_EQ(observer.epochs.size(), std::size_t(30));
  EXPECT_EQ(observer.validations, 30);
  EXPECT_EQ(observer.progress, 30 * 8);  // one report per batch
  for (std::size_t e = 0; e < observer.epochs.size(); ++e) {
    EXPECT_EQ(observer.epochs[e].epoch, int(e) + 1);
    EXPECT_EQ(observer.epochs[e].epochs, 30);
    EXPECT_TRUE(std::isfinite(observer.epochs[e].loss));
    EXPECT_TRUE(observer.epochs[e].validation.has_value());
  }
  EXPECT_LT(observer.epochs.back().loss, observer.epochs.front().loss);
  // Early stopping: the observer asks to stop after epoch 3.
  RecordingObserver stopping;
  stopping.validating = true;
  stopping.stopAfterEpochs = 3;
  auto s = create(name());
  EXPECT_EQ(s->fit(checkerboard().data, &stopping, {}), reco::Outcome::Completed);
  EXPECT_EQ(stopping.epochs.size(), std::size_t(3));
  EXPECT_TRUE(s->isFitted());
}

TEST_P(DeepModel, MemoryEstimateRefusesLargeRuns) {
  auto m = create(name(), {{"max_memory_gb", "0.000001"}});
  try {
    m->fit(checkerboard().data, nullptr, {});
    ADD_FAILURE() << "a run above max_memory_gb was not refused";
  } catch (const reco::Error& e) {
    EXPECT_EQ(e.kind(), reco::ErrorKind::Config);
    EXPECT_CONTAINS(std::string(e.what()), "needs about");
    EXPECT_CONTAINS(std::string(e.what()), "max_memory_gb");
    EXPECT_CONTAINS(std::string(e.what()), "parameters");
  }
  EXPECT_FALSE(m->isFitted());
}

TEST_P(DeepModel, AmpIsIgnoredOnTheCpu) {
  RecordingObserver observer;
  auto m = create(name(), {{"amp", "true"}, {"epochs", "1"}});
  ASSERT_EQ(m->fit(checkerboard().data, &observer, {}), reco::Outcome::Completed);
  ASSERT_EQ(observer.messages.size(), std::size_t(1));
  EXPECT_CONTAINS(observer.messages.front(), "amp is ignored on the CPU");
}

TEST_P(DeepModel, CudaRequestedWithoutCudaIsAConfigError) {
  if (cudaSeen()) GTEST_SKIP() << "CUDA is available here: asking for it is no error";
  try {
    create(name(), {}, cudaCompute());
    ADD_FAILURE() << "CUDA without CUDA was accepted";
  } catch (const reco::Error& e) {
    EXPECT_EQ(e.kind(), reco::ErrorKind::Config);
    EXPECT_CONTAINS(std::string(e.what()), "CUDA was requested but");
  }
  // auto falls back to the CPU.
  reco::ComputeOptions automatic = cpuCompute();
  automatic.device = reco::ComputeOptions::Device::Auto;
  const auto m = fitted(name(), {{"epochs", "1"}}, automatic);
  EXPECT_EQ(m->computeDevice(), "cpu");
}

// ---- The CUDA path: runs where the module sees a CUDA device (tools/gpu-bench.sh). ----

// Trained on CUDA, with and without mixed precision: the right answer, and the model file
// loads on the CPU and scores the same there (to float rounding).
TEST_P(DeepModel, TrainsOnCuda) {
  if (!cudaSeen()) GTEST_SKIP() << kNoCuda;
  for (const char* amp : {"false", "true"}) {
    SCOPED_TRACE(std::string("amp=") + amp);
    const auto m = fitted(name(), {{"amp", amp}}, cudaCompute());
    EXPECT_TRUE(m->computeDevice().starts_with("cuda")) << m->computeDevice();
    const auto answer = reco::testing::parityAnswer(*m);
    EXPECT_GE(answer.share, 0.8) << "only " << 100 * answer.share
                                 << "% of top-5 items have the user's parity";
    EXPECT_LT(answer.heldOutPosition, answer.wrongParityPosition);
    std::stringstream stream;
    m->save(stream);
    auto onCpu = create(name());
    onCpu->load(stream);
    const auto a = scoreAll(*m), b = scoreAll(*onCpu);
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t k = 0; k < a.size(); ++k) ASSERT_CLOSE(a[k], b[k], 1e-3) << "score " << k;
  }
}

// A model trained on the CPU, loaded with --device cuda: it computes on the GPU, scores and
// recommends as on the CPU (to float rounding), ranks on its device (kRanksOnDevice), and the
// evaluator's device ranking there gives the lists and metrics of its ranking from rows.
TEST_P(DeepModel, CudaScoresAndRanksAsTheCpu) {
  if (!cudaSeen()) GTEST_SKIP() << kNoCuda;
  const auto onCpu = fitted(name());
  std::stringstream stream;
  onCpu->save(stream);
  auto onCuda = create(name(), {}, cudaCompute());
  onCuda->load(stream);
  ASSERT_TRUE(onCuda->isFitted());
  EXPECT_TRUE(onCuda->computeDevice().starts_with("cuda")) << onCuda->computeDevice();
  EXPECT_TRUE(onCuda->capabilities() & reco::kRanksOnDevice);
  const auto a = scoreAll(*onCpu), b = scoreAll(*onCuda);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t k = 0; k < a.size(); ++k) ASSERT_CLOSE(a[k], b[k], 1e-4) << "score " << k;
  for (std::int32_t u = 0; u < kCheckerboardUsers; u += 7) {
    const auto& seen = checkerboard().train[std::size_t(u)];
    const auto cpuList = onCpu->recommend({u}, seen, 10),
               cudaList = onCuda->recommend({u}, seen, 10);
    ASSERT_EQ(cudaList.size(), cpuList.size());
    // Rank by rank the same score: near-ties may swap items, never scores.
    for (std::size_t r = 0; r < cpuList.size(); ++r)
      EXPECT_CLOSE(cudaList[r].score, cpuList[r].score, 1e-4) << "user " << u << ", rank " << r;
  }
  std::vector<reco::Triplet> held;
  for (std::int32_t u = 0; u < kCheckerboardUsers; ++u)
    for (const auto item : checkerboard().heldOut[std::size_t(u)])
      held.push_back({u, item.value, 1.0f});
  const auto test = reco::CsrMatrix::fromTriplets(kCheckerboardUsers, kCheckerboardItems, held);
  reco::EvalOptions options;
  options.ks = {3, 10};
  options.batchUsers = 7;
  options.ranking = reco::EvalOptions::Ranking::Host;
  const auto rows = reco::evaluate(*onCuda, checkerboard().data, test, options, nullptr, {});
  options.ranking = reco::EvalOptions::Ranking::Auto;  // on CUDA: the device
  const auto device = reco::evaluate(*onCuda, checkerboard().data, test, options, nullptr, {});
  EXPECT_EQ(device.topItems, rows.topItems);
  ASSERT_EQ(device.perUser.size(), rows.perUser.size());
  for (std::size_t i = 0; i < rows.perUser.size(); ++i)
    EXPECT_CLOSE(device.perUser[i], rows.perUser[i], 1e-9);
}

TEST(DeepModels, NeumfWithoutHiddenLayers) {
  // One width: the MLP branch is the concatenated embeddings, straight into the output.
  const auto m = fitted("neumf", {{"mlp_layers", "16"}, {"epochs", "3"}});
  const auto batch = scoreAll(*m);
  std::vector<float> single(kCheckerboardItems);
  const reco::UserIndex users[] = {{5}};
  m->score(users, single);
  EXPECT_TRUE(std::equal(single.begin(), single.end(), batch.begin() + 5 * kCheckerboardItems));
  for (const float s : batch) EXPECT_TRUE(std::isfinite(s));
}

TEST(DeepModels, SasrecFollowsTheOrder) {
  // A ring of 24 items where item i is always followed by item i + 1 (mod 24): each user's
  // history is a run of 3 to 7 consecutive items. sasrec must rank the successor of the
  // user's LAST item first. Users 0 and 1 hold the same items in two orders ({3,4,5} then
  // {14,15}, and the other way round): a bag-of-items model scores them alike, sasrec
  // recommends 16 to one and 6 to the other. User 2 has no history: defined scores.
  constexpr std::int32_t items = 24, users = 120;
  reco::Random rng(11);
  std::vector<std::vector<std::int32_t>> histories(users);
  histories[0] = {3, 4, 5, 14, 15};
  histories[1] = {14, 15, 3, 4, 5};
  for (std::int32_t u = 3; u < users; ++u) {
    const auto first = std::int32_t(rng.below(items)), size = std::int32_t(3 + rng.below(5));
    for (std::int32_t j = 0; j < size; ++j)
      histories[std::size_t(u)].push_back((first + j) % items);
  }
  reco::TrainingData d;
  d.userCount = users;
  d.itemCount = items;
  std::vector<reco::Triplet> pairs;
  std::vector<std::int64_t> start{0};
  std::vector<std::int32_t> cols;
  std::vector<float> times;
  for (std::int32_t u = 0; u < users; ++u) {
    for (std::size_t j = 0; j < histories[std::size_t(u)].size(); ++j) {
      pairs.push_back({u, histories[std::size_t(u)][j], 1.0f});
      cols.push_back(histories[std::size_t(u)][j]);
      times.push_back(float(1.7e9 + 3600.0 * double(j)));
    }
    start.push_back(std::int64_t(cols.size()));
  }
  d.userItems = reco::CsrMatrix::fromTriplets(users, items, pairs);
  d.itemUsers = d.userItems.transposed();
  d.userSequence = reco::CsrMatrix::fromParts(users, items, start, cols, times);
  d.seed = 42;
  const auto m = fitted("sasrec", {{"epochs", "40"}, {"batch_size", "16"}, {"dropout", "0.1"}},
                        cpuCompute(), &d);
  const auto scores = scoreAll(*m);
  for (const float s : scores) ASSERT_TRUE(std::isfinite(s)) << "a score is not finite";
  int hits = 0;
  for (std::int32_t u = 3; u < users; ++u) {
    std::vector<reco::ItemIndex> seen;
    for (const auto i : histories[std::size_t(u)]) seen.push_back({i});
    const auto top = m->recommend({u}, seen, 1);
    hits +=
        !top.empty() && top.front().item.value == (histories[std::size_t(u)].back() + 1) % items;
  }
  EXPECT_GE(hits, int(0.9 * (users - 3))) << "the successor of the last item ranks first for "
                                          << hits << " of " << users - 3 << " users";
  const std::vector<reco::ItemIndex> same = {{3}, {4}, {5}, {14}, {15}};
  EXPECT_EQ(m->recommend({0}, same, 1).front().item.value, 16);
  EXPECT_EQ(m->recommend({1}, same, 1).front().item.value, 6);
  // The empty history: a defined row, and the same for every such user.
  EXPECT_EQ(m->recommend({2}, {}, 3).size(), std::size_t(3));
  // The history is part of the model file: a loaded model recommends the same.
  std::stringstream stream;
  m->save(stream);
  auto loaded = create("sasrec");
  loaded->load(stream);
  EXPECT_TRUE(identical(scoreAll(*loaded), scores));
  // Other max_length: refused.
  std::stringstream again(stream.str());
  auto longer = create("sasrec", {{"max_length", "9"}});
  EXPECT_THROW(longer->load(again), reco::Error);
}

}  // namespace
