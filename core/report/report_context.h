#pragma once
/// Internal to buildReport (report_builder*.cpp): what every part of the report reads, and
/// one function per part. Not for other callers: they call buildReport().

#include <cstdint>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <utility>
#include <vector>

#include "core/common/progress.h"
#include "core/data/dataset_info.h"
#include "core/report/report_builder.h"
#include "core/storage/run_store.h"
#include "core/storage/split_store.h"
#include "core/training/comparison.h"
#include "core/training/model_file.h"

namespace reco::report::sections {

/// What the report learned about a run's model when it was read: whether it could be, its
/// capabilities, or why not. Known after the first read, so a later question (which run can
/// show similar items?) needs no second read.
struct RunModel {
  bool tried = false;
  unsigned capabilities = 0;  ///< Recommender::capabilities() of the loaded model
  std::string error;          ///< non-empty: the model could not be read
};

struct ReportContext {
  ReportContext(storage::Workspace& workspace_, const ReportOptions& options_,
                JobObserver* observer_, std::stop_token stop_)
      : workspace(workspace_), options(options_), observer(observer_), stop(std::move(stop_)) {}

  storage::Workspace& workspace;
  const ReportOptions& options;
  JobObserver* observer = nullptr;
  std::stop_token stop;
  ReportModelSource modelSource;  ///< empty: loadRunModel

  std::vector<storage::RunInfo> runs;      ///< in the order of options.runs
  std::vector<storage::SplitInfo> splits;  ///< each run's split, aligned with runs
  DatasetInfo dataset;
  Comparison comparison;
  std::string headline;          ///< "ndcg@10"
  std::vector<RunModel> models;  ///< aligned with runs
  std::int64_t createdAt = 0;    ///< "the date" of the card, Unix seconds
  /// Dataset indices of options.users and options.items, checked before any work.
  std::vector<std::int32_t> userIndices, itemIndices;
  /// options.users and options.items as table ids: every char outside [A-Za-z0-9._-] is '_'
  /// and a clash gets "-2", "-3" (user "a/b" is table "user-a_b"), so a CSV file can be named
  /// by any id.
  std::vector<std::string> userTableIds, itemTableIds;

  /// The run's loaded model, or null (then models[run].error says why). At most one model is
  /// held at a time (besides those the model source keeps): reading another releases this
  /// one first, and invalidates the pointer.
  /// Stored models are hundreds of MB each (a 1M-user SASRec is 440 MB), so holding every run's
  /// at once multiplied the report's memory by the number of runs.
  const LoadedModel* model(std::size_t run);
  /// Whether the run's model can be read, and its capabilities (0 when it cannot): read once.
  bool loadable(std::size_t run);
  unsigned capabilities(std::size_t run);
  /// Frees the held model (a section done with it, or before a read of another).
  void releaseModel();

 private:
  std::shared_ptr<const LoadedModel> held_;
  std::size_t heldRun_ = 0;
};

/// Short run names for legends and columns ("itemknn-k50" stays whole; very long names are
/// cut with an ellipsis).
std::string shortName(const std::string& name, std::size_t most = 24);

/// "2026-12-06 21:40 UTC".
std::string utcDate(std::int64_t seconds);

Section protocolSection(ReportContext& context);
Section summarySection(ReportContext& context);
Section comparisonSection(ReportContext& context);
/// The plots; a stop between figures returns what there is (buildReport reports Stopped).
Section plotsSection(ReportContext& context);
Section usersSection(ReportContext& context);
Section itemsSection(ReportContext& context);

}  // namespace reco::report::sections
