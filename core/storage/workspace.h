#pragma once
/// A workspace: one SQLite file holding datasets, splits, runs and metrics.
/// Opening checks that the file is a workspace of a schema this build understands and
/// never overwrites anything else: a file that is not SQLite, a SQLite file of another
/// application, a newer schema, a locked or corrupt file all throw Error(Workspace).
/// A Workspace (its connection) belongs to one thread at a time.

#include <cstdint>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "core/common/progress.h"
#include "core/data/dataset_info.h"
#include "core/storage/database.h"

namespace reco::storage {

/// PRAGMA application_id of a workspace ("RECO").
inline constexpr std::int32_t kApplicationId = 0x5245434F;
/// PRAGMA user_version this build writes and reads.
inline constexpr int kSchemaVersion = 8;

class Workspace {
 public:
  enum class OpenMode {
    OpenExisting,     ///< the file must exist and be a workspace
    CreateIfMissing,  ///< create a new workspace when the path does not exist (or is empty)
  };
  Workspace(const std::string& path, OpenMode mode);

  const std::string& path() const { return db_.path(); }
  Database& db() { return db_; }

  /// Call before a job that writes (import, split, train, tune, delete), so that nothing is
  /// computed that cannot be stored. Once per process and file, PRAGMA quick_check: a
  /// damaged workspace throws Error(Workspace) and is never written to. Then it takes and
  /// releases the write lock: a read-only file throws Error(Workspace) at once; while
  /// another process holds the lock it waits, calling waiting(seconds) about once a
  /// second, until the lock is free or `stop` is requested (then Error(Workspace),
  /// "locked"). The same wait stays in force for every later write of this connection, so
  /// a run that finishes while an import holds the lock waits instead of being lost.
  void prepareForWriting(std::function<void(double waitedSeconds)> waiting = {},
                         std::stop_token stop = {});
  /// The same for a background job: the wait shows as the stage "waiting for the
  /// workspace: another process is writing to it" on `observer` (may be null).
  void prepareForWriting(JobObserver* observer, std::stop_token stop);

  std::vector<DatasetInfo> datasets();
  std::optional<DatasetInfo> findDataset(const std::string& name);
  std::optional<DatasetInfo> findDataset(DatasetId id);
  /// The dataset with this name; throws Error(Config) listing the names there are.
  DatasetInfo requireDataset(const std::string& name);
  /// The only dataset when name is empty and there is one; throws otherwise.
  DatasetInfo resolveDataset(const std::string& name);
  /// A name not yet used: base, then base-2, base-3, ...
  std::string uniqueDatasetName(const std::string& base);
  DatasetStats stats(DatasetId id);
  ImportReport importReport(DatasetId id);
  /// Deletes the dataset as `shown` (its id, name and creation time; delete_shown.h) and
  /// everything that hangs off it, in one transaction; Error(Workspace), with nothing
  /// deleted, when it is not there so.
  void deleteDataset(const DatasetInfo& shown);

 private:
  Database db_;
};

}  // namespace reco::storage
