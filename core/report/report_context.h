#pragma once
/// Internal to buildReport (report_builder*.cpp): what every part of the report reads, and
/// one function per part. Not for other callers: they call buildReport().

#include <cstdint>
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

/// A run's model, read once on first use; `error` says why it could not be read.
struct RunModel {
  bool tried = false;
  std::optional<LoadedModel> model;
  std::string error;
};

struct ReportContext {
  ReportContext(storage::Workspace& workspace_, const ReportOptions& options_,
                JobObserver* observer_, std::stop_token stop_)
      : workspace(workspace_), options(options_), observer(observer_), stop(std::move(stop_)) {}

  storage::Workspace& workspace;
  const ReportOptions& options;
  JobObserver* observer = nullptr;
  std::stop_token stop;

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

  /// The run's loaded model, or null (then models[run].error says why).
  const LoadedModel* model(std::size_t run);
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
