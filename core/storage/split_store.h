#pragma once
/// Splits in the workspace: creating one from a protocol, listing them, and loading a
/// split back as the TrainingData a model fits on plus the test part an evaluator reads.

#include <memory>
#include <optional>
#include <span>
#include <stop_token>
#include <string>
#include <vector>

#include "core/common/progress.h"
#include "core/data/dataset_info.h"
#include "core/data/sampled_negatives.h"
#include "core/data/split.h"
#include "core/data/training_data.h"
#include "core/storage/workspace.h"

namespace reco::storage {

using SplitId = std::int64_t;

struct SplitInfo {
  SplitId id = 0;
  DatasetId datasetId = 0;
  std::string name;
  SplitOptions options;
  std::string optionsJson;
  std::string datasetHash;
  std::int64_t createdAt = 0;
  std::int64_t trainPairs = 0, validPairs = 0, testPairs = 0, testUsers = 0;
};

/// The dataset's user-item pairs, sorted by user then item, with pairs below
/// `ratingThreshold` (on their latest value) left out. Time O(interactions), memory O(pairs).
std::vector<Pair> loadPairs(Workspace& workspace, DatasetId dataset,
                            std::optional<double> ratingThreshold);

/// One user's pairs (as loadPairs), read with one range scan of the user's interactions.
std::vector<Pair> loadUserPairs(Workspace& workspace, DatasetId dataset, std::int32_t user,
                                std::optional<double> ratingThreshold);

/// Draws a split and stores it under `name` (unique per dataset: Config error when taken).
/// One transaction. Returns Stopped (and stores nothing) when stop fired.
struct CreateSplitResult {
  Outcome outcome = Outcome::Completed;
  SplitInfo split;
};
CreateSplitResult createSplit(Workspace& workspace, const DatasetInfo& dataset,
                              const std::string& name, const SplitOptions& options,
                              JobObserver* observer, std::stop_token stop);

std::vector<SplitInfo> listSplits(Workspace& workspace, DatasetId dataset);
std::optional<SplitInfo> findSplit(Workspace& workspace, SplitId id);
/// Deletes the split as `shown` (its id, name and creation time; delete_shown.h) with its
/// pairs and the runs trained on it (their epochs, metrics, lists and models), in one
/// transaction; Error(Workspace), with nothing deleted, when it is not there so.
void deleteSplit(Workspace& workspace, const SplitInfo& shown);
/// The split called `name` of the dataset; throws Config listing the dataset's splits.
SplitInfo requireSplit(Workspace& workspace, DatasetId dataset, const std::string& name);

/// The split's dataset, or Workspace when it is gone or its content changed since the split
/// was drawn (the split's pairs would no longer be its pairs).
DatasetInfo requireSplitDataset(Workspace& workspace, const SplitInfo& split);

/// A split as models and evaluators use it.
struct LoadedSplit {
  std::shared_ptr<const TrainingData> train;
  CsrMatrix test;  ///< users x items, value 1 per test pair
  CsrMatrix
      testRatings;  ///< the same pairs with their latest ratings (rating datasets; else empty)
};
/// Rebuilds the parts from the dataset's pairs and the stored validation and test pairs;
/// throws Workspace when the dataset's content no longer matches the split's hash. With
/// mergeValidation the validation pairs join the training part (the refit after tuning)
/// and TrainingData::validation is empty.
LoadedSplit loadSplit(Workspace& workspace, const SplitInfo& split, std::uint64_t seed,
                      bool mergeValidation = false);

/// The split's frozen negatives for sampled evaluation with `count` negatives per test
/// item (data/sampled_negatives.h), drawn with the split's seed on first use and stored in
/// the workspace (one transaction), then read back by every later run. `loaded` must be
/// this split loaded with loadSplit (either fit-on mode: negatives avoid every part).
FrozenNegatives splitNegatives(Workspace& workspace, const SplitInfo& split,
                               const LoadedSplit& loaded, int count);

/// External ids by index ("" where an index has no user or item).
std::vector<std::string> userExternalIds(Workspace& workspace, DatasetId dataset);
std::vector<std::string> itemExternalIds(Workspace& workspace, DatasetId dataset);
/// The external ids of some of a dataset's users, in the order of `users` (dataset user
/// indices), by one primary-key lookup each: for a few thousand users of a million, where
/// userExternalIds would read them all. "" for an index the dataset does not have.
std::vector<std::string> userExternalIdsOf(Workspace& workspace, DatasetId dataset,
                                           std::span<const std::int32_t> users);

/// Throws Error(Io) unless DIR can take the export: a folder or a path that does not exist
/// yet, whose files would not overwrite the workspace. Call it before storing a split that
/// is to be exported, so that a bad --export stores nothing.
void checkSplitExportFolder(const Workspace& workspace, const std::string& dir);

/// Writes DIR/train.tsv, DIR/test.tsv (and DIR/valid.tsv when there is a validation part):
/// one "user<TAB>item" line per pair, external ids, no header, sorted by user then item.
/// The files are written beside their targets and renamed into place only when all are
/// complete (a full disk changes none). A valid.tsv left by an earlier export goes when
/// this split has no validation part, so that the folder holds one split. Returns the files
/// written.
std::vector<std::string> exportSplit(Workspace& workspace, const SplitInfo& split,
                                     const std::string& dir);

}  // namespace reco::storage
