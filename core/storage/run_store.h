#pragma once
/// Runs in the workspace. A run is written whole, in one transaction, once it has trained
/// and been evaluated (or failed): a cancelled run leaves nothing behind. Deleting a run
/// deletes its epochs, metrics, per-user values, top-N lists and model with it.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "core/models/train_observer.h"
#include "core/storage/split_store.h"
#include "core/storage/workspace.h"

namespace reco::storage {

using RunId = std::int64_t;

struct RunInfo {
  RunId id = 0;
  std::string name;
  DatasetId datasetId = 0;
  SplitId splitId = 0;
  std::string model;
  std::string optionsJson;  ///< every option with its effective value
  std::uint64_t seed = 42;
  std::string datasetHash;
  std::string device;  ///< "cpu", "cuda:0 (NVIDIA H100)"
  int threads = 1;
  std::string status;  ///< done, failed
  std::string error;   ///< why a failed run failed
  std::int64_t startedAt = 0;
  std::optional<std::int64_t> finishedAt;
  std::optional<double> trainSeconds;
  std::optional<double> evalSeconds;
  std::optional<std::int64_t> peakMemory;  ///< bytes: the process's peak resident set
  /// How it was trained beyond the model options, a JSON object: "fit_on" ("train" or
  /// "train+valid"), "validation" (metric, patience, best epoch...), "tuning" (the grid
  /// and each candidate's validation score). "{}" for runs stored before schema 3.
  std::string protocolJson = "{}";
};

struct MetricAggregate {
  std::string metric;  ///< "ndcg@10", "sampled_hit@10", "coverage@10", "rmse"
  double mean = 0;
  std::optional<double> ciLow, ciHigh;  ///< 95% CI; absent for catalogue metrics
  std::int64_t n = 0;                   ///< users it averages over
  bool sampled = false;
};

struct TopNList {
  std::int32_t user = 0;
  std::vector<std::int32_t> items;
  std::vector<float> scores;
};

/// Everything a finished run stores.
struct RunRecord {
  RunInfo info;
  std::vector<EpochReport> epochs;
  std::vector<MetricAggregate> metrics;
  std::vector<std::int32_t> evalUsers;  ///< the users per-user values are aligned with
  std::vector<std::pair<std::string, std::vector<double>>> userValues;  ///< metric -> values
  std::vector<TopNList> recommendations;
  std::string model;  ///< the model file's bytes (training/model_file.h); empty for failed runs
};

/// What saveRun does when info.name is taken: another process may have stored a run of that
/// name while this one trained (the name was checked when training began).
enum class TakenName {
  Refuse,    ///< Config error naming it
  NextFree,  ///< stored as name-2, name-3... (uniqueRunName, in the same transaction) and
             ///< info.name updated: a trained run is never thrown away over its name
};

/// The largest model file stored as one value; a larger file is stored in parts of this size
/// (schema 6, run_model_parts). SQLite refuses a value over SQLITE_MAX_LENGTH (1 GB), but
/// parts are kept far smaller: SQLite assembles a whole value in a fresh buffer to hand it
/// out, so 256 MB parts cost 256 MB more memory and its page faults on every read. With
/// 4 MB parts a 300 MB model of a million users loads in about half the time, in 160 MB
/// less. Runs stored with larger parts read as before.
inline constexpr std::size_t kModelPartBytes = std::size_t(4) << 20;

/// Stores the run under info.name, in one transaction. `modelPartBytes` is the part size of
/// a large model file (tests lower it to store a small model in parts).
RunId saveRun(Workspace& workspace, RunRecord& record, TakenName taken = TakenName::Refuse,
              std::size_t modelPartBytes = kModelPartBytes);
/// Replaces a run's metrics, per-user values and top-N lists (reco eval with other K).
void replaceEvaluation(Workspace& workspace, RunId run, const RunRecord& record);

std::vector<RunInfo> listRuns(Workspace& workspace);
std::optional<RunInfo> findRun(Workspace& workspace, const std::string& name);
/// The run called `name`; throws Config listing the runs there are.
RunInfo requireRun(Workspace& workspace, const std::string& name);
/// A name not used yet: base, base-2, base-3...
std::string uniqueRunName(Workspace& workspace, const std::string& base);

std::vector<EpochReport> runEpochs(Workspace& workspace, RunId run);
std::vector<MetricAggregate> runMetrics(Workspace& workspace, RunId run);
std::vector<std::int32_t> runEvalUsers(Workspace& workspace, RunId run);
/// Per-user values of one metric, aligned with runEvalUsers; empty when not stored.
std::vector<double> runUserValues(Workspace& workspace, RunId run, const std::string& metric);
std::optional<TopNList> runRecommendations(Workspace& workspace, RunId run, std::int32_t user);
/// One user whose stored top-N list holds an item.
struct AudienceMember {
  std::int32_t user = 0;  ///< the user's dataset index
  std::int32_t rank = 0;  ///< the item's place in the user's list, 1-based
  float score = 0;        ///< the model's score there
};

/// Who is shown an item by a run (the reverse of a user's list): the users whose stored top-N
/// list holds the item, by user index ascending, and how many users have a stored list.
struct ItemAudience {
  std::vector<AudienceMember> members;
  std::int64_t listedUsers = 0;
};

/// The audience of dataset item index `item` in the stored top-N lists of `run`: one pass
/// over the run's lists (a million users with N = 20 read ~160 MB of blobs in order).
/// Empty, with listedUsers 0, when the run stores no lists. std::nullopt when `stop` is
/// requested before the pass ends (checked every 4,096 users).
std::optional<ItemAudience> runItemAudience(Workspace& workspace, RunId run, std::int32_t item,
                                            std::stop_token stop);
/// The run's model file, reassembled from its parts when it was stored in parts
/// (stored_model.cpp; stored_model.h reads it as a stream instead). Throws
/// Workspace when the run has no model, or when the bytes found are not the size stored with
/// it ("the stored model of run N is incomplete (expected X bytes, found Y)").
std::string runModel(Workspace& workspace, RunId run);
/// Deletes the run as `shown` (its id, name and start time; delete_shown.h) with its epochs,
/// metrics, lists and model, in one transaction; Error(Workspace) when it is not there so.
void deleteRun(Workspace& workspace, const RunInfo& shown);

}  // namespace reco::storage
