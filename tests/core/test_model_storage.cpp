// A model of any size that fits in memory is storable, and one the disk cannot hold is refused
// before fitting (issue 18): a model file over the part size is stored in parts
// (run_model_parts, schema 6) and read back byte for byte; a part lost is a clear workspace
// error; deleting the run takes its parts; a schema-5 workspace upgrades; the room check
// names both figures; and each model's storedBytes bounds what it really stores. A stored
// model read as a stream (stored_model.h) gives the same bytes, seeks anywhere, and a model
// loaded from it scores as one loaded from the whole file.
#include <cstdint>
#include <istream>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/common/binary_io.h"
#include "core/common/error.h"
#include "core/common/random.h"
#include "core/data/training_data.h"
#include "core/models/registry.h"
#include "core/storage/database.h"
#include "core/storage/model_room.h"
#include "core/storage/run_store.h"
#include "core/storage/schema.h"
#include "core/storage/split_store.h"
#include "core/storage/stored_model.h"
#include "core/storage/workspace.h"
#include "core/training/experiment.h"
#include "core/training/model_file.h"
#include "core/training/stored_run.h"
#include "core/training/tuning.h"
#include "tests/support/gtest_support.h"
#include "tests/support/shop_workspace.h"

namespace {

using namespace reco;
using storage::Workspace;

constexpr std::size_t kPart = 1000;  // the lowered part size of these tests

std::string randomBytes(std::size_t n, std::uint64_t seed) {
  Random rng(seed);
  std::string bytes(n, '\0');
  for (auto& b : bytes) b = char(rng.uniform() * 256);
  return bytes;
}

std::int64_t count(Workspace& ws, const std::string& sql) {
  return ws.db().queryInt(sql).value();
}

class ModelStorage : public ::testing::Test {
 protected:
  void SetUp() override {
    ws_.emplace(dir_.file("shop.reco"), Workspace::OpenMode::CreateIfMissing);
    dataset_ = reco::testing::importSyntheticShop(*ws_, 120, 40, 1500, 5);
    split_ = reco::testing::createHoldoutSplit(*ws_, dataset_);
  }

  // A run with these model bytes, stored with the test's part size.
  storage::RunId store(const std::string& name, const std::string& model) {
    storage::RunRecord record;
    record.info.name = name;
    record.info.datasetId = dataset_.id;
    record.info.splitId = split_.id;
    record.info.model = "pop";
    record.info.optionsJson = "{}";
    record.info.status = "done";
    record.info.startedAt = 1700000000;
    record.model = model;
    return storage::saveRun(*ws_, record, storage::TakenName::Refuse, kPart);
  }

  reco::testing::TempDir dir_;
  std::optional<Workspace> ws_;
  DatasetInfo dataset_;
  storage::SplitInfo split_;
};

TEST_F(ModelStorage, AModelOverThePartSizeRoundTripsByteForByteInParts) {
  const std::string model = randomBytes(10 * kPart + 1, 1);
  const auto id = store("big", model);
  EXPECT_EQ(storage::runModel(*ws_, id), model);
  const std::string row = " WHERE run_id = " + std::to_string(id);
  EXPECT_EQ(count(*ws_, "SELECT bytes FROM run_models" + row), std::int64_t(model.size()));
  EXPECT_EQ(count(*ws_, "SELECT length(data) FROM run_models" + row), 0);
  EXPECT_EQ(count(*ws_, "SELECT count(*) FROM run_model_parts" + row), 11);
  EXPECT_EQ(count(*ws_, "SELECT max(length(data)) FROM run_model_parts" + row),
            std::int64_t(kPart));
}

TEST_F(ModelStorage, AModelUpToThePartSizeStaysOneRowAsBefore) {
  for (const std::size_t size : {std::size_t(1), kPart}) {
    const std::string model = randomBytes(size, size);
    const auto id = store("small-" + std::to_string(size), model);
    EXPECT_EQ(storage::runModel(*ws_, id), model);
    const std::string row = " WHERE run_id = " + std::to_string(id);
    EXPECT_EQ(count(*ws_, "SELECT length(data) FROM run_models" + row), std::int64_t(size));
    EXPECT_EQ(count(*ws_, "SELECT count(*) FROM run_model_parts" + row), 0);
  }
}

TEST_F(ModelStorage, ALostPartIsAClearWorkspaceError) {
  const auto id = store("big", randomBytes(10 * kPart + 1, 2));
  ws_->db().exec("DELETE FROM run_model_parts WHERE run_id = " + std::to_string(id) +
                 " AND part = 3");
  try {
    storage::runModel(*ws_, id);
    FAIL() << "a model with a part missing was read";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Workspace);
    const std::string text = e.what();
    EXPECT_NE(text.find("stored model of run " + std::to_string(id) + " is damaged"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("expected 10001 bytes, found 9001"), std::string::npos) << text;
  }
}

TEST_F(ModelStorage, APartNumberedOutOfOrderIsAClearWorkspaceError) {
  const auto id = store("big", randomBytes(3 * kPart + 5, 3));
  ws_->db().exec("UPDATE run_model_parts SET part = 7 WHERE run_id = " + std::to_string(id) +
                 " AND part = 1");
  try {
    storage::runModel(*ws_, id);
    FAIL() << "a model with a gap in its parts was read";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Workspace);
    EXPECT_NE(std::string(e.what()).find("expected parts 0 to 3, found parts up to 7"),
              std::string::npos)
        << e.what();
  }
}

// Reads `in` to its end in chunks of `chunk` bytes.
std::string readAll(std::istream& in, std::size_t chunk) {
  std::string all;
  std::string buffer(chunk, '\0');
  while (in.read(buffer.data(), std::streamsize(chunk)) || in.gcount() > 0)
    all.append(buffer.data(), std::size_t(in.gcount()));
  return all;
}

TEST_F(ModelStorage, AStreamedModelIsTheStoredBytesInOrderWhateverTheChunks) {
  // Runs stored before and after, so that the scan must pick this run's parts only.
  store("before", randomBytes(4 * kPart + 3, 7));
  const std::string model = randomBytes(10 * kPart + 1, 8);
  const auto id = store("big", model);
  store("after", randomBytes(2 * kPart + 9, 9));
  const auto small = store("small", randomBytes(kPart / 2, 10));
  for (const std::size_t chunk : {std::size_t(1), std::size_t(777), kPart, 3 * kPart + 5}) {
    std::string read;
    storage::readRunModel(*ws_, id, [&](std::istream& in) { read = readAll(in, chunk); });
    EXPECT_EQ(read, model) << "chunks of " << chunk;
  }
  std::string read;
  storage::readRunModel(*ws_, small, [&](std::istream& in) { read = readAll(in, 64); });
  EXPECT_EQ(read, storage::runModel(*ws_, small));
}

TEST_F(ModelStorage, AStreamedModelSeeksAcrossPartsBothWays) {
  const std::string model = randomBytes(10 * kPart + 1, 11);
  const auto id = store("big", model);
  storage::readRunModel(*ws_, id, [&](std::istream& in) {
    // Forward over several parts, back into an earlier one, onto a boundary, to the end.
    for (const std::size_t at : {std::size_t(5), 7 * kPart + 11, 2 * kPart - 2, 3 * kPart,
                                 std::size_t(0), 10 * kPart - 3, 9 * kPart + 997}) {
      in.seekg(std::streamoff(at));
      ASSERT_EQ(std::size_t(in.tellg()), at);
      char bytes[4] = {};
      in.read(bytes, 4);
      ASSERT_TRUE(in) << "at " << at;
      EXPECT_EQ(std::string(bytes, 4), model.substr(at, 4)) << "at " << at;
      EXPECT_EQ(std::size_t(in.tellg()), at + 4);
      EXPECT_EQ(binary::bytesLeft(in), model.size() - at - 4) << "at " << at;
    }
    in.seekg(0, std::ios::end);
    EXPECT_EQ(std::size_t(in.tellg()), model.size());
    EXPECT_EQ(in.get(), std::char_traits<char>::eof());
  });
}

TEST_F(ModelStorage, AModelGoneWhileStreamedIsAWorkspaceErrorNotAShortFile) {
  const auto id = store("big", randomBytes(6 * kPart, 12));
  try {
    storage::readRunModel(*ws_, id, [&](std::istream& in) {
      char bytes[10] = {};
      in.read(bytes, 10);
      ws_->db().exec("DELETE FROM run_model_parts WHERE run_id = " + std::to_string(id) +
                     " AND part >= 2");
      readAll(in, 100);
      throw Error(ErrorKind::Model, "model file ends early");  // what a model would say
    });
    FAIL() << "a model whose parts went missing was read";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Workspace) << e.what();
    EXPECT_NE(std::string(e.what()).find("expected 6000 bytes, found 2000"), std::string::npos)
        << e.what();
  }
}

TEST_F(ModelStorage, AModelLoadedFromTheStreamScoresAsOneLoadedWhole) {
  ExperimentOptions options;
  options.model = "als";
  options.options = {{"factors", "8"}, {"iterations", "3"}};
  const ExperimentResult result = runExperiment(*ws_, split_, options, nullptr, {});
  const std::string bytes = storage::runModel(*ws_, result.run.id);
  const auto inParts = store("als-in-parts", bytes);  // the same file, in ~1 kB parts
  ASSERT_GT(
      count(*ws_, "SELECT count(*) FROM run_model_parts WHERE run_id = " + std::to_string(inParts)),
      3);
  const LoadedModel whole = readModelFile(bytes, defaultRegistry());
  for (const storage::RunId id : {result.run.id, inParts}) {
    const LoadedModel streamed = loadRunModel(*ws_, id);
    EXPECT_EQ(streamed.header.model, "als");
    EXPECT_EQ(streamed.header.userIds, whole.header.userIds);
    EXPECT_EQ(streamed.header.itemIds, whole.header.itemIds);
    std::vector<float> a(whole.model->itemCount()), b(streamed.model->itemCount());
    for (const UserIndex user : {UserIndex{0}, UserIndex{7}, UserIndex{119}}) {
      whole.model->score(std::span(&user, 1), a);
      streamed.model->score(std::span(&user, 1), b);
      EXPECT_EQ(a, b) << "user " << user.value;
    }
  }
}

TEST_F(ModelStorage, DeletingTheRunOrItsDatasetTakesItsParts) {
  const auto kept = store("kept", randomBytes(5 * kPart, 4));
  store("deleted", randomBytes(5 * kPart, 5));
  storage::deleteRun(*ws_, storage::requireRun(*ws_, "deleted"));
  EXPECT_EQ(
      count(*ws_, "SELECT count(*) FROM run_model_parts WHERE run_id <> " + std::to_string(kept)),
      0);
  EXPECT_EQ(count(*ws_, "SELECT count(*) FROM run_model_parts"), 5);
  ws_->deleteDataset(*ws_->findDataset(dataset_.id));
  EXPECT_EQ(count(*ws_, "SELECT count(*) FROM run_model_parts"), 0);
  EXPECT_EQ(count(*ws_, "SELECT count(*) FROM run_models"), 0);
}

TEST(ModelStorageSchema, AVersion5WorkspaceUpgradesAndKeepsItsModels) {
  reco::testing::TempDir dir;
  const std::string path = dir.file("v5.reco");
  {
    // A workspace as a build of schema 5 wrote it, with a run and its model in one row.
    storage::Database db(path, storage::Database::Mode::ReadWriteCreate);
    const auto& migrations = storage::schemaMigrations();
    ASSERT_GE(migrations.size(), 6u);
    for (int v = 0; v < 5; ++v) db.exec(migrations[std::size_t(v)]);
    db.exec("PRAGMA application_id = " + std::to_string(storage::kApplicationId));
    db.exec("PRAGMA user_version = 5");
    db.exec(
        "INSERT INTO datasets (id, name, format, source, feedback, created_at) "
        "VALUES (7, 'old', 'csv', 'old.csv', 'binary', 1700000000)");
    db.exec(
        "INSERT INTO splits (id, dataset_id, name, protocol, options, test, valid, weighting, "
        "seed, dataset_hash, created_at, n_train, n_valid, n_test, n_test_users) VALUES (3, 7, "
        "'s', 'random', '{}', 0.2, 0, 'binary', 1, '', 1700000000, 0, 0, 0, 0)");
    db.exec(
        "INSERT INTO runs (id, name, dataset_id, split_id, model, options, seed, dataset_hash, "
        "device, threads, status, started_at) VALUES (9, 'old-run', 7, 3, 'pop', '{}', 42, '', "
        "'cpu', 1, 'done', 1700000000)");
    db.exec("INSERT INTO run_models (run_id, bytes, data) VALUES (9, 4, x'01020304')");
    EXPECT_EQ(
        db.queryInt("SELECT count(*) FROM sqlite_schema WHERE name = 'run_model_parts'").value(),
        0);
  }
  Workspace ws(path, Workspace::OpenMode::OpenExisting);
  EXPECT_EQ(ws.db().queryInt("PRAGMA user_version").value(), storage::kSchemaVersion);
  EXPECT_GE(storage::kSchemaVersion, 6);
  EXPECT_EQ(storage::runModel(ws, 9), std::string("\x01\x02\x03\x04", 4));
  // The upgraded workspace stores a large model in parts.
  storage::RunRecord record;
  record.info.name = "new-run";
  record.info.datasetId = 7;
  record.info.splitId = 3;
  record.info.model = "pop";
  record.info.status = "done";
  record.model = randomBytes(3 * kPart, 6);
  const auto id = storage::saveRun(ws, record, storage::TakenName::Refuse, kPart);
  EXPECT_EQ(storage::runModel(ws, id), record.model);
  EXPECT_EQ(ws.db().queryInt("SELECT count(*) FROM run_model_parts").value(), 3);
}

TEST(ModelRoom, ARefusalNamesTheModelsSizeAndTheFreeSpace) {
  const std::string path = "/data/shop.reco";
  try {
    storage::requireRoomForModel(path, 3'400'000'000, 2'100'000'000);
    FAIL() << "a 3.4 GB model was allowed on a disk with 2.1 GB free";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Io);
    const std::string text = e.what();
    EXPECT_NE(text.find("about 3.4 GB to store"), std::string::npos) << text;
    EXPECT_NE(text.find(path + " has 2.1 GB free"), std::string::npos) << text;
    EXPECT_NE(text.find("free some space or choose smaller options"), std::string::npos) << text;
  }
  // Twice the model and a margin: the WAL holds it before the checkpoint copies it.
  const std::uint64_t model = 500'000'000;
  EXPECT_THROW(storage::requireRoomForModel(path, model, 2 * model), Error);
  EXPECT_NO_THROW(storage::requireRoomForModel(path, model, storage::roomNeededFor(model)));
  EXPECT_GT(storage::roomNeededFor(model), 2 * model);
}

// A copy of a registered model under another name whose estimate no disk holds, counting the
// models its factory makes: a refusal before fitting makes none.
struct HugeModel {
  explicit HugeModel(const std::string& base) {
    ModelInfo info = *defaultRegistry().find(base);
    info.name = "huge-" + base;
    info.itemScope = ModelInfo::ItemScope::AllItems;  // its factory is wrapped already
    info.storedBytes = [](const OptionValues&, std::int64_t, std::int64_t) {
      return std::uint64_t(1) << 60;
    };
    info.factory = [make = info.factory, made = made](const OptionValues& options,
                                                      const ComputeOptions& compute) {
      ++*made;
      return make(options, compute);
    };
    name = info.name;
    if (!defaultRegistry().find(name)) defaultRegistry().add(std::move(info));
  }
  std::string name;
  std::shared_ptr<int> made = std::make_shared<int>(0);
};

TEST_F(ModelStorage, AnExperimentWhoseModelTheDiskCannotHoldIsRefusedBeforeFitting) {
  HugeModel huge("itemknn");
  ExperimentOptions options;
  options.model = huge.name;
  try {
    runExperiment(*ws_, split_, options, nullptr, {});
    FAIL() << "a model larger than any disk was trained";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Io);
    EXPECT_NE(std::string(e.what()).find("has "), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(ws_->path()), std::string::npos) << e.what();
  }
  EXPECT_EQ(*huge.made, 0);
  EXPECT_TRUE(storage::listRuns(*ws_).empty());  // nothing stored, not even a failed run
  TuningOptions tuning;
  tuning.experiment.model = huge.name;
  tuning.grid = {parseTuningAxis("k=5,10")};
  EXPECT_THROW(tune(*ws_, split_, tuning, nullptr, {}), Error);
  EXPECT_EQ(*huge.made, 0);
  EXPECT_TRUE(storage::listRuns(*ws_).empty());
}

// Users like items of their own parity, each of the first items - unbought items at least
// once; the last `unbought` items have no training pair, as a catalogue's products nobody
// bought.
TrainingData tinyShop(std::int32_t users, std::int32_t items, std::int32_t unbought) {
  Random rng(11);
  std::vector<Triplet> pairs;
  for (std::int32_t u = 0; u < users; ++u)
    for (std::int32_t i = 0; i < items - unbought; ++i)
      if ((u + i) % 2 == 0 && (rng.uniform() < 0.6 || u / 2 == i % (users / 2)))
        pairs.push_back({u, i, float(1 + int(rng.uniform() * 5))});
  TrainingData data;
  data.userCount = users;
  data.itemCount = items;
  data.userItems = CsrMatrix::fromTriplets(users, items, pairs);
  data.itemUsers = data.userItems.transposed();
  data.hasRatings = true;
  data.ratings = data.userItems.values();
  return data;
}

TEST(ModelRoom, EachEstimateBoundsTheModelFileItDescribes) {
  const TrainingData data = tinyShop(50, 30, 6);
  ModelFileHeader header;
  for (std::int32_t u = 0; u < data.userCount; ++u)
    header.userIds.push_back("user-" + std::to_string(u));
  for (std::int32_t i = 0; i < data.itemCount; ++i)
    header.itemIds.push_back("a longer product id " + std::to_string(i));
  std::uint64_t ids = 0;
  for (const auto* list : {&header.userIds, &header.itemIds})
    for (const auto& id : *list) ids += 8 + id.size();
  const std::vector<std::pair<std::string, OptionValues>> cases{
      {"ease", {}},
      {"itemknn", {{"k", "5"}}},
      {"itemknn", {{"k", "1000"}}},
      {"userknn", {{"k", "7"}}},
      {"als", {{"factors", "8"}, {"iterations", "2"}}},
      {"bpr", {{"factors", "4"}, {"epochs", "2"}}},
      {"puresvd", {{"factors", "6"}}},
      {"biasedmf", {{"factors", "3"}, {"epochs", "2"}}},
  };
  for (const auto& [name, values] : cases) {
    const ModelInfo& info = defaultRegistry().get(name);
    ASSERT_TRUE(info.storedBytes) << name << " declares no estimate";
    const OptionValues effective = OptionReader(info.options, values).effectiveValues();
    auto model = info.factory(effective, {});
    ASSERT_EQ(model->fit(data, nullptr, {}), Outcome::Completed) << name;
    header.model = name;
    header.options = effective;
    const std::string file = writeModelFile(header, *model);
    const auto bound = storage::modelFileBound(info, effective, data, ids);
    ASSERT_TRUE(bound.has_value());
    EXPECT_GE(*bound, file.size()) << name << " stores more than its estimate";
    // An upper bound, not a blanket one: within the fixed margins of the true size.
    EXPECT_LT(*bound, 2 * file.size() + 4096) << name;
  }
}

TEST(ModelRoom, TheEaseEstimateGrowsWithTheSquareOfTheLearnedItems) {
  const ModelInfo& ease = defaultRegistry().get("ease");
  ASSERT_TRUE(ease.storedBytes);
  // 17k items: over SQLite's 1 GB for one value, the case that failed after 8 minutes.
  EXPECT_GT(ease.storedBytes({}, 2400, 17'000), std::uint64_t(17'000) * 17'000 * 4);
  EXPECT_EQ(storage::learnedItems(ease, tinyShop(10, 30, 6)), 24);
  EXPECT_EQ(storage::learnedItems(defaultRegistry().get("pop"), tinyShop(10, 30, 6)), 30);
}

}  // namespace
