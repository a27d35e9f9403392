// The workspace opener: the input is a workspace file (tools/fuzz.sh seeds it with small
// real workspaces made from tests/data). Opening it, then reading what the window and
// `reco` read from a workspace they open (datasets, statistics, import reports, splits,
// users, items, runs with their metrics, curves and lists, the models, the story) must
// end in a reco::Error of a workspace, SQLite, model, data or option kind, never in a
// crash, a hang or an attempt to allocate what a damaged size field claims.
#include <algorithm>
#include <filesystem>
#include <functional>
#include <span>
#include <string_view>
#include <vector>

#include "core/models/registry.h"
#include "core/storage/distributions.h"
#include "core/storage/item_store.h"
#include "core/storage/run_store.h"
#include "core/storage/scenario_store.h"
#include "core/storage/split_store.h"
#include "core/storage/story_store.h"
#include "core/storage/user_store.h"
#include "core/storage/workspace.h"
#include "core/training/model_file.h"
#include "tests/fuzz/support.h"

namespace {

using namespace reco;

/// Set once SQLite has called the file corrupt (its b-tree pages, not our values): every
/// later read would meet the same refusal, and after a corruption error SQLite parses the
/// schema again for each statement, which under the sanitizers took 1.4-4 s for some inputs
/// (0.05 s in an optimised build). The window and `reco` stop at that first refusal too.
bool corruptSeen = false;

/// At most this many datasets, splits of a dataset and runs are read from one input: the
/// readers are the same for the 17th as for the first, and a mutated file with 500 dataset
/// rows (reco lists them in 20 ms) took 1.9 s through every reader under the sanitizers.
constexpr std::size_t kMostObjects = 16;

template <typename T>
std::span<const T> firstFew(const std::vector<T>& all) {
  return std::span<const T>(all).first(std::min(all.size(), kMostObjects));
}

/// Runs one read; a refusal of a damaged workspace is an answer, anything else aborts.
void attempt(const std::function<void()>& read) {
  if (corruptSeen) return;
  try {
    read();
  } catch (const Error& e) {
    fuzz::requireAnswer(e, {ErrorKind::Workspace, ErrorKind::Sqlite, ErrorKind::Model,
                            ErrorKind::Data, ErrorKind::Config});
    if (e.kind() == ErrorKind::Workspace &&
        std::string_view(e.what()).find("database file is corrupt") != std::string_view::npos)
      corruptSeen = true;
  }
}

void readRun(storage::Workspace& workspace, const storage::RunInfo& run) {
  attempt([&] { storage::runMetrics(workspace, run.id); });
  attempt([&] { storage::runEpochs(workspace, run.id); });
  attempt([&] {
    const auto users = storage::runEvalUsers(workspace, run.id);
    if (!users.empty()) storage::runRecommendations(workspace, run.id, users.front());
  });
  attempt([&] { storage::runUserValues(workspace, run.id, "ndcg"); });
  attempt([&] {
    const LoadedModel loaded =
        readModelFile(storage::runModel(workspace, run.id), defaultRegistry());
    const Recommender& model = *loaded.model;
    if (model.userCount() == 0 || model.itemCount() == 0) return;
    std::vector<float> scores(model.itemCount());
    const UserIndex first{0};
    model.score(std::span(&first, 1), scores);
  });
}

void readDataset(storage::Workspace& workspace, const DatasetInfo& dataset) {
  attempt([&] { workspace.stats(dataset.id); });
  attempt([&] { workspace.importReport(dataset.id); });
  attempt([&] { computeDistributions(workspace, dataset.id); });
  attempt([&] { storage::summarizeUsers(workspace, dataset.id, nullptr, {}); });
  attempt([&] { storage::summarizeItems(workspace, dataset.id, nullptr, {}); });
  attempt([&] { storage::listScenarios(workspace, dataset.id); });
  attempt([&] {
    const auto splits = storage::listSplits(workspace, dataset.id);  // outlives the span
    for (const auto& split : firstFew(splits))
      attempt([&] { storage::loadSplit(workspace, split, 1); });
  });
}

void fuzzWorkspace(fuzz::Bytes input) {
  corruptSeen = false;
  const std::string folder = fuzz::freshScratchFolder();
  const std::string path = fuzz::writeScratchFile(
      folder, "shop.reco",
      std::string_view(reinterpret_cast<const char*>(input.data()), input.size()));
  std::unique_ptr<storage::Workspace> workspace;
  try {
    workspace =
        std::make_unique<storage::Workspace>(path, storage::Workspace::OpenMode::OpenExisting);
  } catch (const Error& e) {
    return fuzz::requireAnswer(e, {ErrorKind::Workspace, ErrorKind::Sqlite}, path);
  }
  attempt([&] {
    const auto datasets = workspace->datasets();
    for (const auto& dataset : firstFew(datasets)) readDataset(*workspace, dataset);
  });
  attempt([&] {
    const auto runs = storage::listRuns(*workspace);
    for (const auto& run : firstFew(runs)) readRun(*workspace, run);
  });
  attempt([&] { storage::listBookmarks(*workspace); });
}

}  // namespace

RECO_FUZZ_TARGET("workspace", fuzzWorkspace)
