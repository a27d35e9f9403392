#include "core/storage/split_store.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <string_view>
#include <unordered_map>

#include "core/common/clock.h"
#include "core/common/error.h"
#include "core/common/output_file.h"
#include "core/storage/dataset_shape.h"
#include "core/storage/delete_shown.h"
#include "core/storage/split_train_counts.h"

namespace reco::storage {

namespace {

constexpr const char* kSplitColumns =
    "SELECT id, dataset_id, name, protocol, options, test, valid, cutoff, rating_threshold, "
    "weighting, seed, "
    "dataset_hash, created_at, n_train, n_valid, n_test, n_test_users FROM splits ";

SplitInfo readSplitRow(Statement& st) {
  SplitInfo s;
  s.id = st.columnInt(0);
  s.datasetId = st.columnInt(1);
  s.name = st.columnText(2);
  s.options.protocol = parseSplitProtocol(st.columnText(3));
  s.optionsJson = st.columnText(4);
  s.options.test = st.columnDouble(5);
  s.options.valid = st.columnDouble(6);
  s.options.cutoff = st.columnOptionalInt(7);
  s.options.ratingThreshold = st.columnOptionalDouble(8);
  s.options.weighting = st.columnText(9);
  s.options.seed = std::uint64_t(st.columnInt(10));
  s.datasetHash = st.columnText(11);
  s.createdAt = st.columnInt(12);
  s.trainPairs = st.columnInt(13);
  s.validPairs = st.columnInt(14);
  s.testPairs = st.columnInt(15);
  s.testUsers = st.columnInt(16);
  return s;
}

// Sorts one user's pairs by item and drops those below the threshold.
void finishUser(std::vector<Pair>& pairs, std::size_t begin, std::optional<double> threshold) {
  std::sort(pairs.begin() + long(begin), pairs.end(),
            [](const Pair& a, const Pair& b) { return a.item < b.item; });
  if (threshold) {
    pairs.erase(
        std::remove_if(pairs.begin() + long(begin), pairs.end(),
                       [&](const Pair& p) { return !keptAtThreshold(p.rating, threshold); }),
        pairs.end());
  }
}

CsrMatrix matrixOf(std::int32_t users, std::int32_t items, const std::vector<Pair>& pairs,
                   const std::vector<Part>& parts, Part part, const std::string& weighting,
                   std::vector<float>* ratings) {
  std::vector<std::int64_t> start(std::size_t(users) + 1, 0);
  std::vector<std::int32_t> cols;
  std::vector<float> values;
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    if (parts[i] != part) continue;
    ++start[std::size_t(pairs[i].user) + 1];
    cols.push_back(pairs[i].item);
    values.push_back(weighting == "weighted" ? pairs[i].weight
                     : weighting == "rating" ? pairs[i].rating
                                             : 1.0f);
    if (ratings) ratings->push_back(pairs[i].rating);
  }
  for (std::size_t u = 0; u < std::size_t(users); ++u) start[u + 1] += start[u];
  return CsrMatrix::fromParts(users, items, std::move(start), std::move(cols), std::move(values));
}

}  // namespace

namespace {
// Folds interactions (user_idx, item_idx, time, value), ordered by user and then file
// order, into pairs sorted by user then item.
std::vector<Pair> foldPairs(Statement& st, std::optional<double> ratingThreshold) {
  std::vector<Pair> pairs;
  std::vector<std::int64_t> latest;  // per pair: the time of the value kept as `rating`
  std::unordered_map<std::int32_t, std::size_t> slot;
  std::int32_t currentUser = -1;
  std::size_t userBegin = 0;
  while (st.step()) {
    const auto user = std::int32_t(st.columnInt(0));
    const auto item = std::int32_t(st.columnInt(1));
    const std::int64_t time = st.isNull(2) ? kNoPairTime : st.columnInt(2);
    const auto value = float(st.columnDouble(3));
    if (user != currentUser) {
      if (currentUser >= 0) finishUser(pairs, userBegin, ratingThreshold);
      currentUser = user;
      userBegin = pairs.size();
      slot.clear();
    }
    const auto [it, inserted] = slot.try_emplace(item, pairs.size());
    if (inserted) {
      pairs.push_back({user, item, time, value, value});
      latest.resize(pairs.size());
      latest.back() = time;
      continue;
    }
    Pair& p = pairs[it->second];
    p.weight += value;
    if (time != kNoPairTime && (p.time == kNoPairTime || time < p.time)) p.time = time;
    if (takesPairRating(time, latest[it->second])) {
      latest[it->second] = time;
      p.rating = value;
    }
  }
  if (currentUser >= 0) finishUser(pairs, userBegin, ratingThreshold);
  return pairs;
}
}  // namespace

std::vector<Pair> loadPairs(Workspace& workspace, DatasetId dataset,
                            std::optional<double> ratingThreshold) {
  Statement st(workspace.db(),
               "SELECT user_idx, item_idx, time, value FROM interactions WHERE dataset_id = ?1 "
               "ORDER BY user_idx, seq");
  st.bind(1, dataset);
  return foldPairs(st, ratingThreshold);
}

std::vector<Pair> loadUserPairs(Workspace& workspace, DatasetId dataset, std::int32_t user,
                                std::optional<double> ratingThreshold) {
  Statement st(workspace.db(),
               "SELECT user_idx, item_idx, time, value FROM interactions WHERE dataset_id = ?1 AND "
               "user_idx = ?2 ORDER BY seq");
  st.bind(1, dataset).bind(2, std::int64_t(user));
  return foldPairs(st, ratingThreshold);
}

CreateSplitResult createSplit(Workspace& workspace, const DatasetInfo& dataset,
                              const std::string& name, const SplitOptions& options,
                              JobObserver* observer, std::stop_token stop) {
  options.validate();
  RECO_CHECK(!name.empty(), ErrorKind::Usage, "a split needs a name");
  for (const auto& existing : listSplits(workspace, dataset.id))
    if (existing.name == name)
      throw Error(ErrorKind::Config,
                  "dataset '" + dataset.name + "' already has a split named '" + name + "'");
  report(observer, Progress{"loading pairs", 0, 0});
  const std::vector<Pair> pairs = loadPairs(workspace, dataset.id, options.ratingThreshold);
  if (pairs.empty())
    throw Error(ErrorKind::Data, "dataset '" + dataset.name +
                                     "' has no pairs to split (is the rating threshold too high?)");
  if (stop.stop_requested()) return {Outcome::Stopped, {}};
  report(observer, Progress{"drawing the split", 0, 0});
  const std::vector<Part> parts = assignParts(pairs, options);
  if (stop.stop_requested()) return {Outcome::Stopped, {}};

  SplitInfo info;
  info.datasetId = dataset.id;
  info.name = name;
  info.options = options;
  info.optionsJson = options.toJson();
  info.datasetHash = dataset.contentHash;
  info.createdAt = unixNow();
  std::int32_t lastTestUser = -1;
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    if (parts[i] == Part::Train) ++info.trainPairs;
    if (parts[i] == Part::Valid) ++info.validPairs;
    if (parts[i] == Part::Test) {
      ++info.testPairs;
      if (pairs[i].user != lastTestUser) ++info.testUsers;
      lastTestUser = pairs[i].user;
    }
  }
  if (info.testPairs == 0)
    throw Error(ErrorKind::Config,
                "the split left no pair for testing: every user has a single pair, or the cut-off "
                "is after the last interaction");

  Database& db = workspace.db();
  Transaction tx(db);
  Statement insert(
      db,
      "INSERT INTO splits(dataset_id, name, protocol, options, test, valid, cutoff, "
      "rating_threshold, weighting, "
      "seed, dataset_hash, created_at, n_train, n_valid, n_test, n_test_users) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)");
  insert.bind(1, dataset.id)
      .bind(2, name)
      .bind(3, splitProtocolName(options.protocol))
      .bind(4, info.optionsJson)
      .bind(5, options.test)
      .bind(6, options.valid)
      .bind(7, options.cutoff)
      .bind(8, options.ratingThreshold)
      .bind(9, options.weighting)
      .bind(10, std::int64_t(options.seed))
      .bind(11, info.datasetHash)
      .bind(12, info.createdAt)
      .bind(13, info.trainPairs)
      .bind(14, info.validPairs)
      .bind(15, info.testPairs)
      .bind(16, info.testUsers)
      .run();
  info.id = db.lastInsertRowId();
  {
    // Each user's training pairs, as loadSplit's userItems rows will hold them.
    std::vector<std::int32_t> trainCounts(std::size_t(datasetShape(workspace, dataset.id).users),
                                          0);
    for (std::size_t i = 0; i < pairs.size(); ++i)
      if (parts[i] == Part::Train && std::size_t(pairs[i].user) < trainCounts.size())
        ++trainCounts[std::size_t(pairs[i].user)];
    storeSplitTrainCounts(db, info.id, trainCounts);
  }
  Statement pair(
      db, "INSERT INTO split_pairs(split_id, user_idx, item_idx, part) VALUES (?1, ?2, ?3, ?4)");
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    if (parts[i] == Part::Train) continue;
    if ((i & 65535) == 0 && stop.stop_requested()) return {Outcome::Stopped, {}};  // rolls back
    pair.bind(1, info.id)
        .bind(2, std::int64_t(pairs[i].user))
        .bind(3, std::int64_t(pairs[i].item))
        .bind(4, std::int64_t(parts[i]))
        .run();
  }
  tx.commit();
  return {Outcome::Completed, info};
}

std::vector<SplitInfo> listSplits(Workspace& workspace, DatasetId dataset) {
  std::vector<SplitInfo> out;
  Statement st(workspace.db(), std::string(kSplitColumns) + "WHERE dataset_id = ?1 ORDER BY id");
  st.bind(1, dataset);
  while (st.step()) out.push_back(readSplitRow(st));
  return out;
}

std::optional<SplitInfo> findSplit(Workspace& workspace, SplitId id) {
  Statement st(workspace.db(), std::string(kSplitColumns) + "WHERE id = ?1");
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  return readSplitRow(st);
}

void deleteSplit(Workspace& workspace, const SplitInfo& shown) {
  // The schema cascades to the split's pairs and negatives and to its runs with theirs.
  deleteShownRow(workspace,
                 {"splits", "created_at", "split", shown.id, shown.name, shown.createdAt});
}

SplitInfo requireSplit(Workspace& workspace, DatasetId dataset, const std::string& name) {
  std::string names;
  for (auto& split : listSplits(workspace, dataset)) {
    if (split.name == name) return split;
    names += (names.empty() ? "" : ", ") + split.name;
  }
  throw Error(ErrorKind::Config, "no split named '" + name + "' for this dataset" +
                                     (names.empty() ? " (it has none: reco split creates one)"
                                                    : " (splits: " + names + ")"));
}

DatasetInfo requireSplitDataset(Workspace& workspace, const SplitInfo& split) {
  const auto dataset = workspace.findDataset(split.datasetId);
  RECO_CHECK(dataset.has_value(), ErrorKind::Workspace, "the split's dataset is gone");
  if (dataset->contentHash != split.datasetHash)
    throw Error(ErrorKind::Workspace, "split '" + split.name +
                                          "' was drawn from other data than dataset '" +
                                          dataset->name + "' now holds (content hash " +
                                          split.datasetHash + " vs " + dataset->contentHash + ")");
  return *dataset;
}

LoadedSplit loadSplit(Workspace& workspace, const SplitInfo& split, std::uint64_t seed,
                      bool mergeValidation) {
  const DatasetInfo dataset = requireSplitDataset(workspace, split);
  const std::vector<Pair> pairs =
      loadPairs(workspace, split.datasetId, split.options.ratingThreshold);
  std::vector<Part> parts(pairs.size(), Part::Train);
  {
    // Both sides are sorted by (user, item): a merge join.
    Statement st(workspace.db(),
                 "SELECT user_idx, item_idx, part FROM split_pairs WHERE split_id = ?1 ORDER BY "
                 "user_idx, item_idx");
    st.bind(1, split.id);
    std::size_t i = 0;
    while (st.step()) {
      const auto user = std::int32_t(st.columnInt(0)), item = std::int32_t(st.columnInt(1));
      while (i < pairs.size() &&
             (pairs[i].user < user || (pairs[i].user == user && pairs[i].item < item)))
        ++i;
      if (i == pairs.size() || pairs[i].user != user || pairs[i].item != item)
        throw Error(ErrorKind::Workspace, "the workspace is damaged: split '" + split.name +
                                              "' names a pair (user " + std::to_string(user) +
                                              ", item " + std::to_string(item) +
                                              ") that its dataset does not have");
      const auto part = st.columnInt(2);
      if (part < int(Part::Train) || part > int(Part::Test))
        throw Error(ErrorKind::Workspace, "split '" + split.name + "' is damaged: pair (user " +
                                              std::to_string(user) + ", item " +
                                              std::to_string(item) + ") has part " +
                                              std::to_string(part) + ", expected 0, 1 or 2");
      parts[i] = Part(part);
      if (mergeValidation && parts[i] == Part::Valid) parts[i] = Part::Train;
    }
  }
  auto train = std::make_shared<TrainingData>();
  const DatasetShape shape = datasetShape(workspace, split.datasetId);
  train->userCount = shape.users;
  train->itemCount = shape.items;
  // A damaged workspace (a changed index, a lost user or item row) must be refused here:
  // the matrices below index by these values without further checks.
  for (const Pair& pair : pairs)
    if (pair.user < 0 || pair.user >= train->userCount || pair.item < 0 ||
        pair.item >= train->itemCount)
      throw Error(ErrorKind::Workspace,
                  "dataset '" + dataset.name + "' is damaged: an interaction of user index " +
                      std::to_string(pair.user) + " with item index " + std::to_string(pair.item) +
                      " lies outside its " + std::to_string(train->userCount) + " users and " +
                      std::to_string(train->itemCount) + " items");
  train->hasRatings = dataset.feedback == "rating";
  std::vector<float> ratings;
  train->userItems = matrixOf(train->userCount, train->itemCount, pairs, parts, Part::Train,
                              split.options.weighting, &ratings);
  if (train->hasRatings) train->ratings = std::move(ratings);
  train->itemUsers = train->userItems.transposed();
  train->validation =
      matrixOf(train->userCount, train->itemCount, pairs, parts, Part::Valid, "binary", nullptr);
  LoadedSplit loaded;
  loaded.test =
      matrixOf(train->userCount, train->itemCount, pairs, parts, Part::Test, "binary", nullptr);
  if (train->hasRatings)
    loaded.testRatings =
        matrixOf(train->userCount, train->itemCount, pairs, parts, Part::Test, "rating", nullptr);

  // Each user's training items by first time (unknown times first, then by item).
  {
    std::vector<std::int64_t> start(std::size_t(train->userCount) + 1, 0);
    std::vector<std::int32_t> cols;
    std::vector<float> times;
    std::vector<std::size_t> order;
    std::size_t begin = 0;
    while (begin < pairs.size()) {
      std::size_t end = begin;
      while (end < pairs.size() && pairs[end].user == pairs[begin].user) ++end;
      order.clear();
      for (std::size_t i = begin; i < end; ++i)
        if (parts[i] == Part::Train) order.push_back(i);
      std::stable_sort(order.begin(), order.end(),
                       [&](std::size_t a, std::size_t b) { return pairs[a].time < pairs[b].time; });
      for (const auto i : order) {
        cols.push_back(pairs[i].item);
        times.push_back(pairs[i].time == kNoPairTime ? std::numeric_limits<float>::quiet_NaN()
                                                     : float(pairs[i].time));
      }
      start[std::size_t(pairs[begin].user) + 1] = std::int64_t(order.size());
      begin = end;
    }
    for (std::size_t u = 0; u < std::size_t(train->userCount); ++u) start[u + 1] += start[u];
    train->userSequence = CsrMatrix::fromParts(train->userCount, train->itemCount, std::move(start),
                                               std::move(cols), std::move(times));
  }

  train->itemCategory.assign(std::size_t(train->itemCount), -1);
  train->itemTitles.assign(std::size_t(train->itemCount), "");
  train->itemPrices.assign(std::size_t(train->itemCount), std::numeric_limits<float>::quiet_NaN());
  std::unordered_map<std::string, std::int32_t> categories;
  Statement items(workspace.db(),
                  "SELECT idx, title, category, price FROM items WHERE dataset_id = ?1");
  items.bind(1, split.datasetId);
  while (items.step()) {
    // The catalogue's rows are sized by the interactions' item indices: a damaged row past
    // them is refused, never written past the vectors (fuzz: workspace, crash-2f4da635).
    requireStoredIndex(split.datasetId, items.columnInt(0), train->itemCount,
                       "a catalogue item index");
    const auto idx = std::size_t(items.columnInt(0));
    train->itemTitles[idx] = items.columnText(1);
    const std::string category = items.columnText(2);
    if (!category.empty()) {
      const auto [it, inserted] =
          categories.try_emplace(category, std::int32_t(train->categoryNames.size()));
      if (inserted) train->categoryNames.push_back(category);
      train->itemCategory[idx] = it->second;
    }
    if (!items.isNull(3)) train->itemPrices[idx] = float(items.columnDouble(3));
  }
  train->seed = seed;
  loaded.train = std::move(train);
  return loaded;
}

namespace {
std::vector<std::string> externalIds(Workspace& workspace, const char* table, DatasetId dataset) {
  const DatasetShape shape = datasetShape(workspace, dataset);
  const std::int32_t count = std::string_view(table) == "users" ? shape.users : shape.items;
  std::vector<std::string> ids(static_cast<std::size_t>(count));
  Statement st(workspace.db(), std::string("SELECT idx, external_id FROM ") + table +
                                   " WHERE dataset_id = ?1 ORDER BY idx");
  st.bind(1, dataset);
  while (st.step()) {
    const auto idx = st.columnInt(0);
    requireStoredIndex(dataset, idx, count, "an external id for index");
    ids[std::size_t(idx)] = st.columnText(1);
  }
  return ids;
}
}  // namespace

FrozenNegatives splitNegatives(Workspace& workspace, const SplitInfo& split,
                               const LoadedSplit& loaded, int count) {
  RECO_CHECK(count > 0, ErrorKind::Config,
             "sampled evaluation needs a count > 0 of negatives, found " + std::to_string(count));
  const std::int32_t users = loaded.test.rows();
  FrozenNegatives frozen;
  frozen.count = count;
  frozen.start.assign(std::size_t(users) + 1, 0);
  {
    Statement st(workspace.db(),
                 "SELECT user_idx, items FROM split_negatives WHERE split_id = ?1 AND count = ?2 "
                 "ORDER BY user_idx");
    st.bind(1, split.id).bind(2, std::int64_t(count));
    std::vector<std::pair<std::int32_t, std::string>> rows;
    while (st.step()) rows.emplace_back(std::int32_t(st.columnInt(0)), st.columnText(1));
    if (!rows.empty()) {
      std::size_t r = 0;
      for (std::int32_t u = 0; u < users; ++u) {
        std::size_t added = 0;
        if (r < rows.size() && rows[r].first == u) {
          const std::string& bytes = rows[r++].second;
          added = bytes.size() / sizeof(std::int32_t);
          const std::size_t at = frozen.items.size();
          frozen.items.resize(at + added);
          std::memcpy(frozen.items.data() + at, bytes.data(), added * sizeof(std::int32_t));
          // The evaluator indexes score rows by these: a damaged one must not read past.
          for (std::size_t k = at; k < at + added; ++k)
            requireStoredIndex(split.datasetId, frozen.items[k], loaded.test.cols(),
                               "a sampled negative with item index");
        }
        frozen.start[std::size_t(u) + 1] = frozen.start[std::size_t(u)] + std::int64_t(added);
      }
      RECO_CHECK(r == rows.size(), ErrorKind::Workspace,
                 "split '" + split.name + "' stores negatives for users it does not have");
      return frozen;
    }
  }
  frozen = drawNegatives(*loaded.train, loaded.test, count, split.options.seed, 0);
  Transaction tx(workspace.db());
  Statement insert(
      workspace.db(),
      "INSERT INTO split_negatives(split_id, count, user_idx, items) VALUES (?1, ?2, ?3, ?4)");
  for (std::int32_t u = 0; u < users; ++u) {
    const auto list = frozen.forUser(u);
    if (list.empty()) continue;
    insert.bind(1, split.id)
        .bind(2, std::int64_t(count))
        .bind(3, std::int64_t(u))
        .bindBlob(4, std::string(reinterpret_cast<const char*>(list.data()),
                                 list.size() * sizeof(std::int32_t)))
        .run();
  }
  tx.commit();
  return frozen;
}

std::vector<std::string> userExternalIds(Workspace& workspace, DatasetId dataset) {
  return externalIds(workspace, "users", dataset);
}
std::vector<std::string> itemExternalIds(Workspace& workspace, DatasetId dataset) {
  return externalIds(workspace, "items", dataset);
}

std::vector<std::string> userExternalIdsOf(Workspace& workspace, DatasetId dataset,
                                           std::span<const std::int32_t> users) {
  std::vector<std::string> ids;
  ids.reserve(users.size());
  Statement st(workspace.db(), "SELECT external_id FROM users WHERE dataset_id = ?1 AND idx = ?2");
  for (const std::int32_t user : users) {
    st.reset();
    st.bind(1, dataset).bind(2, std::int64_t(user));
    ids.push_back(st.step() ? st.columnText(0) : std::string());
  }
  return ids;
}

void checkSplitExportFolder(const Workspace& workspace, const std::string& dir) {
  if (dir.empty()) throw Error(ErrorKind::Usage, "--export expects a folder name, found ''");
  std::error_code ec;
  if (std::filesystem::exists(dir, ec) && !std::filesystem::is_directory(dir, ec))
    throw Error(ErrorKind::Io,
                "cannot export the split to " + dir + ": expected a folder, found a file");
  for (const char* file : {"train.tsv", "test.tsv", "valid.tsv"})
    checkOutputTarget((std::filesystem::path(dir) / file).string(),
                      workspaceFiles(workspace.path()));
  // A folder that cannot be written (read-only, immutable, no permission) must fail here,
  // before the split is stored, not after: probe it, or the nearest of its parents that
  // exists when it is still to be made, with a partial file that is removed at once.
  std::filesystem::path probe = std::filesystem::path(dir) / "train.tsv";
  for (std::filesystem::path missing = dir;
       !missing.empty() && !std::filesystem::exists(missing, ec) &&
       missing != missing.parent_path();
       missing = missing.parent_path())
    probe = missing;
  const AtomicOutputFile probeFile(probe.string(), workspaceFiles(workspace.path()));
}

std::vector<std::string> exportSplit(Workspace& workspace, const SplitInfo& split,
                                     const std::string& dir) {
  checkSplitExportFolder(workspace, dir);
  const LoadedSplit loaded = loadSplit(workspace, split, split.options.seed);
  const auto users = userExternalIds(workspace, split.datasetId);
  const auto items = itemExternalIds(workspace, split.datasetId);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw Error(ErrorKind::Io, "cannot create folder " + dir + ": " + errorCodeText(ec));
  // Every file is written beside its target first; they are renamed into place together at
  // the end, so a failure leaves the folder as it was.
  std::vector<std::unique_ptr<AtomicOutputFile>> files;
  auto write = [&](const CsrMatrix& m, const char* file) {
    const std::string path = (std::filesystem::path(dir) / file).string();
    auto& out = *files.emplace_back(
        std::make_unique<AtomicOutputFile>(path, workspaceFiles(workspace.path())));
    std::string line;
    for (std::int32_t u = 0; u < m.rows(); ++u)
      for (const auto i : m.rowCols(u)) {
        line.assign(users[std::size_t(u)])
            .append(1, '\t')
            .append(items[std::size_t(i)])
            .append(1, '\n');
        out.write(line);
      }
  };
  write(loaded.train->userItems, "train.tsv");
  write(loaded.test, "test.tsv");
  if (loaded.train->validation.nnz() > 0) write(loaded.train->validation, "valid.tsv");
  for (auto& file : files) file->finish();  // a full disk fails here, before any rename
  std::vector<std::string> written;
  for (auto& file : files) {
    file->commit();
    written.push_back(file->target());
  }
  if (loaded.train->validation.nnz() == 0) {
    const auto stale = std::filesystem::path(dir) / "valid.tsv";
    if (std::filesystem::is_regular_file(stale, ec)) std::filesystem::remove(stale, ec);
  }
  return written;
}

}  // namespace reco::storage
