// The fuzz targets of tests/fuzz in the ordinary build: every input that once crashed a
// target (tests/data/fuzz/<target>/, kept by tools/fuzz.sh) and the seeds tools/fuzz.sh
// starts from (built here from tests/data the same way) go through the same target
// functions. A target aborts on a crash, an error of the wrong kind or a broken reader
// contract, so a regression fails this suite (and its sanitizer lane) with the target's
// message and the input's name.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/storage/dataset_import.h"
#include "core/storage/split_store.h"
#include "core/storage/workspace.h"
#include "core/training/experiment.h"
#include "tests/fuzz/target.h"
#include "tests/support/gtest_support.h"

namespace {

namespace fs = std::filesystem;
using reco::fuzz::registeredTargets;

std::string fileBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string data(const std::string& relative) {
  return fileBytes(fs::path(RECO_TEST_DATA) / relative);
}

/// Parts joined by NUL, the shape of the multi-part targets' inputs (support.h).
std::string parts(std::initializer_list<std::string> list) {
  std::string out;
  for (const auto& part : list)
    out += (out.empty() && &part == list.begin() ? "" : std::string(1, '\0')) + part;
  return out;
}

void run(const std::string& target, const std::string& input) {
  for (const auto& t : registeredTargets())
    if (target == t.name)
      return t.run(
          reco::fuzz::Bytes(reinterpret_cast<const std::uint8_t*>(input.data()), input.size()));
  FAIL() << "no fuzz target called " << target;
}

/// The seeds of tools/fuzz.sh for the reader targets (keep the two in step).
std::map<std::string, std::vector<std::string>> readerSeeds() {
  return {
      {"csv_mapped",
       {parts(
            {"user=customer,item=product,time=when,event=kind,quantity=qty", data("csv/shop.tsv")}),
        parts({"user=1,item=0", data("csv/pipe.txt")})}},
      {"ratings",
       {data("ratings/ratings.csv"), data("ratings/noheader.csv"), data("broken/ragged.csv"),
        data("broken/out_of_range.csv"), data("broken/binary.csv"), data("broken/empty.csv")}},
      {"events", {data("events/events.csv")}},
      {"online_retail", {data("retail/online_retail.csv")}},
      {"movielens",
       {parts({"100k", data("ml100k/u.data"), data("ml100k/u.item"), data("ml100k/u.user"),
               data("ml100k/u.genre")}),
        parts({"1m", data("ml1m/ratings.dat"), data("ml1m/movies.dat"), data("ml1m/users.dat")})}},
      {"items",
       {parts({"", data("csv/items.csv")}),
        parts({"id=sku,title=name,category=2", data("csv/items.csv")})}},
  };
}

TEST(FuzzRegressions, EveryTargetIsRegistered) {
  std::vector<std::string> names;
  for (const auto& t : registeredTargets()) names.emplace_back(t.name);
  std::sort(names.begin(), names.end());
  const std::vector<std::string> expected = {"csv_mapped",    "events",  "items",    "movielens",
                                             "online_retail", "ratings", "workspace"};
  EXPECT_EQ(names, expected);
}

TEST(FuzzRegressions, ReaderSeedsPass) {
  for (const auto& [target, seeds] : readerSeeds())
    for (const auto& seed : seeds) {
      SCOPED_TRACE(target);
      run(target, seed);
    }
}

TEST(FuzzRegressions, DamagedWorkspacesAreRefusedNotCrashedOn) {
  // A small real workspace (import, split, one run), then copies cut short and with bytes
  // overwritten at seeded places: each must open or be refused, never crash.
  reco::testing::TempDir dir;
  const std::string path = dir.file("seed.reco");
  {
    reco::storage::Workspace ws(path, reco::storage::Workspace::OpenMode::CreateIfMissing);
    const auto dataset =
        reco::storage::importFile(ws, fs::path(RECO_TEST_DATA) / "ml100k", {}, nullptr, {}).dataset;
    reco::SplitOptions options;
    options.test = 0.3;
    const auto split = reco::storage::createSplit(ws, dataset, "s", options, nullptr, {}).split;
    reco::ExperimentOptions experiment;
    experiment.model = "itemknn";
    ASSERT_EQ(reco::runExperiment(ws, split, experiment, nullptr, {}).outcome,
              reco::Outcome::Completed);
  }
  const std::string bytes = fileBytes(path);
  ASSERT_GT(bytes.size(), 4096u);
  run("workspace", bytes);
  run("workspace", bytes.substr(0, bytes.size() / 2));
  run("workspace", std::string());
  std::uint64_t state = 16;
  for (int copy = 0; copy < 40; ++copy) {
    std::string damaged = bytes;
    for (int flip = 0; flip < 8; ++flip) {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      damaged[(state >> 33) % damaged.size()] = static_cast<char>(state >> 25);
    }
    SCOPED_TRACE(copy);
    run("workspace", damaged);
  }
}

TEST(FuzzRegressions, InputsThatOnceCrashedPass) {
  // tests/data/fuzz/<target>/<file>: one input that crashed a target, kept after the fix.
  const fs::path root = fs::path(RECO_TEST_DATA) / "fuzz";
  int replayed = 0;
  if (fs::is_directory(root))
    for (const auto& folder : fs::directory_iterator(root))
      for (const auto& input : fs::directory_iterator(folder.path())) {
        SCOPED_TRACE(input.path().string());
        run(folder.path().filename().string(), fileBytes(input.path()));
        ++replayed;
      }
  std::printf("replayed %d inputs that once crashed a fuzz target\n", replayed);
}

}  // namespace
