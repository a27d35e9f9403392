#pragma once
/// The stakeholder report's one home in the core: `reco report` and the workbench's Export
/// report dialog both call buildReport(), then a writer (html_writer.h, ui/report/pdf_report.h,
/// csv_tables.h). Everything is read from the workspace (compareRuns, the runs' stored
/// histories and lists, the dataset's statistics, the Items panel's use cases); nothing is
/// trained or re-evaluated, so the numbers are the ones `reco compare --json` prints.

#include <cstdint>
#include <functional>
#include <memory>
#include <stop_token>
#include <string>
#include <vector>

#include "core/common/progress.h"
#include "core/report/document.h"
#include "core/storage/run_store.h"
#include "core/training/model_file.h"

namespace reco::storage {
class Workspace;
}

namespace reco::report {

/// Which parts go into the report; each is a check box in the dialog.
struct ReportParts {
  bool protocol = true;        ///< the protocol card (section "protocol")
  bool summary = true;         ///< generated sentences (section "summary")
  bool comparison = true;      ///< the table with CIs, best, significance ("comparison")
  bool metricBars = true;      ///< plots (section "plots"): metric bars with 95% CIs
  bool accuracyTime = true;    ///< accuracy against training time
  bool segments = true;        ///< the metric by user activity segment (and its table)
  bool trainingCurves = true;  ///< each iterative run's loss / validation curve
  bool longTail = true;        ///< the dataset's popularity long tail
  bool activity = true;        ///< the dataset's user activity distribution
  bool userStories = true;     ///< per chosen user (section "users")
  bool itemStories = true;     ///< per chosen item: nearest items, who is shown it ("items")
  bool heatmap = false;        ///< the chosen items' similarity heatmap (in "items")
  bool itemMap = false;        ///< the item map of the first run with item vectors ("items")
  bool operator==(const ReportParts&) const = default;
};

/// What the machine was (the protocol card). The caller fills gpu: the CLI from the torch
/// module's status, the window from its status bar.
struct MachineInfo {
  std::string cpu;  ///< "AMD EPYC 7B13" (/proc/cpuinfo model name)
  int threads = 1;  ///< hardware threads
  std::string gpu;  ///< "none", "NVIDIA H100 80GB HBM3"
  bool operator==(const MachineInfo&) const = default;
};

/// The CPU model and thread count of this machine; gpu = "not checked".
MachineInfo describeThisMachine();

struct ReportOptions {
  /// Run names, in the order of the table (at least one, all of one dataset).
  std::vector<std::string> runs;
  std::string baseline;  ///< empty: the first run
  int k = 10;            ///< the cut-off of the table and plots (> 0)
  /// The metric of the summary, the bars' first metric and the segments: a family taken at K
  /// ("ndcg" is ndcg@K), "ndcg@K" itself, or a metric with no cut-off (auc, rmse, mae).
  /// Some compared run must have it (else Config, naming the columns there are).
  std::string headlineMetric = "ndcg";
  /// External user / item ids of the stories (as shown in the app); at most 12 each.
  std::vector<std::string> users, items;
  ReportParts parts;
  MachineInfo machine;
  std::string version;  ///< the workbench version (RECO_VERSION)
  /// Seconds since the epoch of "the date" on the card; 0: now. Tests fix it.
  std::int64_t createdAt = 0;
  std::string title;  ///< empty: "Reco Workbench report: <dataset>"
  /// Equal options build the same document (up to "the date" when createdAt is 0): the dialog
  /// exports its preview's document instead of building it again.
  bool operator==(const ReportOptions&) const = default;
};

struct BuiltReport {
  Outcome outcome = Outcome::Completed;  ///< Stopped: the document is incomplete
  Document document;
};

/// Builds the report. Progress: one step per part. `stop` is polled between parts (and
/// inside comparison). Throws Config for an unknown run, baseline, user or item (the message
/// names it and what exists), runs of several datasets, K <= 0; Workspace for a split that
/// is gone.
/// Where the report's run models come from. Default (empty): each is read from the
/// workspace (reco::loadRunModel) and dropped before the next is read. The window passes its
/// panels' model cache, so that a model they already hold is not read a second time.
using ReportModelSource = std::function<std::shared_ptr<const LoadedModel>(
    storage::Workspace& workspace, const storage::RunInfo& run)>;

BuiltReport buildReport(storage::Workspace& workspace, const ReportOptions& options,
                        JobObserver* observer = nullptr, std::stop_token stop = {},
                        ReportModelSource models = {});

}  // namespace reco::report
