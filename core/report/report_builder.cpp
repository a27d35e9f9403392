// buildReport (report_builder.h): resolves the runs, compares them once, then builds each
// part that is on, in the order of the sections. The parts live in report_protocol.cpp,
// report_comparison.cpp, report_plots.cpp and report_stories.cpp.
#include "core/report/report_builder.h"

#include <algorithm>
#include <charconv>
#include <ctime>
#include <set>

#include "core/common/error.h"
#include "core/report/report_context.h"
#include "core/report/summary.h"
#include "core/storage/item_store.h"
#include "core/storage/user_store.h"
#include "core/storage/workspace.h"
#include "core/training/stored_run.h"

namespace reco::report {

namespace sections {

const LoadedModel* ReportContext::model(std::size_t run) {
  if (held_ && heldRun_ == run) return held_.get();
  RunModel& slot = models[run];
  if (slot.tried && !slot.error.empty()) return nullptr;
  releaseModel();  // before the read: two large models are never held together
  slot.tried = true;
  try {
    held_ = modelSource
                ? modelSource(workspace, runs[run])
                : std::make_shared<const LoadedModel>(loadRunModel(workspace, runs[run].id));
    RECO_CHECK(held_ != nullptr, ErrorKind::Internal, "the report's model source gave no model");
    heldRun_ = run;
    slot.capabilities = held_->model->capabilities();
  } catch (const Error& error) {
    // A deep run without the torch module, a model file of a newer version: the report
    // still has its numbers; the stories say why this run's column is empty.
    slot.error = error.what();
    return nullptr;
  }
  return held_.get();
}

bool ReportContext::loadable(std::size_t run) {
  if (!models[run].tried) model(run);
  return models[run].error.empty();
}

unsigned ReportContext::capabilities(std::size_t run) {
  return loadable(run) ? models[run].capabilities : 0u;
}

void ReportContext::releaseModel() {
  held_.reset();
}

std::string shortName(const std::string& name, std::size_t most) {
  if (name.size() <= most) return name;
  return name.substr(0, most - 1) + "\u2026";
}

Section summarySection(ReportContext& context) {
  Section section{"summary", "Summary", {}};
  for (const std::string& sentence : summarise(context.comparison, context.headline))
    section.blocks.emplace_back(Paragraph{sentence, false});
  return section;
}

std::string utcDate(std::int64_t seconds) {
  const std::time_t t = seconds;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M UTC", &tm);
  return buffer;
}

}  // namespace sections

namespace {

/// A K at which no compared run was evaluated would give a table of dashes: refuse it and
/// name the cut-offs the runs have.
void requireMetricsAtK(const Comparison& comparison, int k) {
  const std::string suffix = "@" + std::to_string(k);
  std::set<int> stored;
  for (const RunComparison& run : comparison.runs) {
    for (const auto& [name, aggregate] : run.metrics) {
      if (name.size() > suffix.size() &&
          name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
        return;
      if (const auto at = name.rfind('@'); at != std::string::npos) {
        int cut = 0;
        const char* first = name.data() + at + 1;
        const char* last = name.data() + name.size();
        if (std::from_chars(first, last, cut).ptr == last) stored.insert(cut);
      }
    }
  }
  std::string known;
  for (const int cut : stored) {
    if (!known.empty()) known += ", ";
    known += std::to_string(cut);
  }
  throw Error(ErrorKind::Config, "no compared run was evaluated at K = " + std::to_string(k) +
                                     "; the runs have metrics at K = " +
                                     (known.empty() ? std::string("(none)") : known));
}

/// The headline column for `options.headlineMetric`: "ndcg" becomes "ndcg@K"; a metric with
/// no cut-off (auc, rmse, mae) stays as is; "ndcg@10" is accepted when its K is the
/// report's. Anything else with an '@' is refused, saying which K the report has.
std::string headlineColumn(const ReportOptions& options) {
  const std::string& metric = options.headlineMetric;
  if (metric.empty())
    throw Error(ErrorKind::Config, "the report's headline metric is empty; expected e.g. ndcg");
  if (metric == "auc" || metric == "rmse" || metric == "mae") return metric;
  const std::string atK = "@" + std::to_string(options.k);
  if (const auto at = metric.find('@'); at != std::string::npos) {
    if (metric.size() > atK.size() && at == metric.size() - atK.size() &&
        metric.compare(at, atK.size(), atK) == 0)
      return metric;
    throw Error(ErrorKind::Config,
                "the headline metric '" + metric + "' does not match the report's K = " +
                    std::to_string(options.k) + "; expected e.g. ndcg or " + "ndcg" + atK);
  }
  return metric + atK;
}

/// A headline no compared run has would silently drop the summary and two plots: refuse it
/// and name the columns there are.
void requireHeadline(const Comparison& comparison, const std::string& headline) {
  for (const RunComparison& run : comparison.runs)
    if (run.metric(headline)) return;
  std::string known;
  for (const std::string& column : comparison.columns) {
    const bool stored = std::any_of(comparison.runs.begin(), comparison.runs.end(),
                                    [&](const RunComparison& r) { return r.metric(column); });
    if (!stored) continue;
    if (!known.empty()) known += ", ";
    known += column;
  }
  throw Error(ErrorKind::Config, "no compared run has the headline metric " + headline +
                                     "; the runs have " +
                                     (known.empty() ? std::string("(none)") : known));
}

/// `ids` as table ids (report_context.h): file-name safe, and unique among themselves.
std::vector<std::string> tableIds(const std::vector<std::string>& ids) {
  std::vector<std::string> out;
  std::set<std::string> taken;
  for (const std::string& id : ids) {
    std::string safe = id;
    for (char& c : safe) {
      const bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                        (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
      if (!keep) c = '_';
    }
    if (safe.empty()) safe = "_";
    std::string unique = safe;
    for (int n = 2; !taken.insert(unique).second; ++n) unique = safe + "-" + std::to_string(n);
    out.push_back(unique);
  }
  return out;
}

/// A story asked for twice would be told twice: refused like a run named twice.
void requireDistinct(const std::vector<std::string>& ids, const char* what) {
  std::set<std::string> seen;
  for (const std::string& id : ids)
    if (!seen.insert(id).second)
      throw Error(ErrorKind::Config,
                  std::string(what) + " '" + id + "' is named twice in the report's " + what + "s");
}

/// Resolves and checks the runs: known, finished, all of one dataset.
void resolveRuns(sections::ReportContext& context) {
  const ReportOptions& options = context.options;
  if (options.runs.empty())
    throw Error(ErrorKind::Config, "a report needs at least one run; found none");
  if (options.k <= 0)
    throw Error(ErrorKind::Config,
                "the report's K must be > 0; found " + std::to_string(options.k));
  if (options.users.size() > 12 || options.items.size() > 12)
    throw Error(ErrorKind::Config, "a report tells at most 12 user and 12 item stories; found " +
                                       std::to_string(options.users.size()) + " users and " +
                                       std::to_string(options.items.size()) + " items");
  requireDistinct(options.users, "user");
  requireDistinct(options.items, "item");
  std::set<std::string> seen;
  for (const std::string& name : options.runs) {
    if (!seen.insert(name).second)
      throw Error(ErrorKind::Config, "run '" + name + "' is named twice in the report's runs");
    storage::RunInfo run = storage::requireRun(context.workspace, name);
    context.splits.push_back(requireRunSplit(context.workspace, run));
    if (!context.runs.empty() && run.datasetId != context.runs.front().datasetId)
      throw Error(ErrorKind::Config, "a report compares runs of one dataset; run '" + name +
                                         "' is of another dataset than run '" +
                                         context.runs.front().name + "'");
    context.runs.push_back(std::move(run));
  }
  const auto dataset = context.workspace.findDataset(context.runs.front().datasetId);
  if (!dataset)
    throw Error(ErrorKind::Workspace,
                "the dataset of run '" + context.runs.front().name + "' is gone");
  context.dataset = *dataset;
  context.models.resize(context.runs.size());
  // The stories' ids, before any work: a typo fails fast, naming it.
  for (const std::string& id : options.users) {
    const auto user = storage::findUser(context.workspace, dataset->id, id);
    if (!user)
      throw Error(ErrorKind::Config, "user '" + id + "' is not a user of dataset '" +
                                         dataset->name + "' (the runs' dataset)");
    context.userIndices.push_back(*user);
  }
  for (const std::string& id : options.items) {
    const auto item = storage::findItem(context.workspace, dataset->id, id);
    if (!item)
      throw Error(ErrorKind::Config, "item '" + id + "' is not an item of dataset '" +
                                         dataset->name + "' (the runs' dataset)");
    context.itemIndices.push_back(*item);
  }
  context.userTableIds = tableIds(options.users);
  context.itemTableIds = tableIds(options.items);
}

}  // namespace

BuiltReport buildReport(storage::Workspace& workspace, const ReportOptions& options,
                        JobObserver* observer, std::stop_token stop, ReportModelSource models) {
  sections::ReportContext context(workspace, options, observer, stop);
  context.modelSource = std::move(models);
  resolveRuns(context);
  const ReportParts& parts = options.parts;
  context.headline = headlineColumn(options);

  // One step per part that is on; the comparison is read by most of them.
  struct Step {
    bool on;
    const char* stage;
    Section (*build)(sections::ReportContext&);
  };
  const bool plots = parts.metricBars || parts.accuracyTime || parts.segments ||
                     parts.trainingCurves || parts.longTail || parts.activity;
  const bool items = (parts.itemStories || parts.heatmap || parts.itemMap) &&
                     (!options.items.empty() || parts.itemMap);
  const Step steps[] = {
      {parts.protocol, "protocol card", sections::protocolSection},
      {parts.summary, "summary", sections::summarySection},
      {parts.comparison, "comparison table", sections::comparisonSection},
      {plots, "plots", sections::plotsSection},
      {parts.userStories && !options.users.empty(), "user stories", sections::usersSection},
      {items, "item stories", sections::itemsSection},
  };
  std::uint64_t total = 1;
  for (const Step& step : steps) total += step.on ? 1 : 0;

  BuiltReport built;
  progress::report(observer, Progress{"comparing runs", 0, total});
  ComparisonOptions compare;
  compare.k = options.k;
  compare.baseline = options.baseline;
  compare.diversityColumns = true;
  if (parts.segments) {
    compare.segmentMetrics = {context.headline};
    compare.segmentMetricsRequired = false;
  }
  context.comparison = compareRuns(workspace, context.runs, compare, nullptr, stop);
  if (context.comparison.outcome == Outcome::Stopped || stop.stop_requested()) {
    built.outcome = Outcome::Stopped;
    return built;
  }
  requireMetricsAtK(context.comparison, options.k);
  requireHeadline(context.comparison, context.headline);

  const std::int64_t created = options.createdAt > 0 ? options.createdAt : std::time(nullptr);
  context.createdAt = created;
  Document& document = built.document;
  document.title =
      options.title.empty() ? "Reco Workbench report: " + context.dataset.name : options.title;
  const storage::SplitInfo& split = context.splits.front();
  document.subtitle =
      context.dataset.name + " \u00b7 split " + split.name + " \u00b7 " +
      std::to_string(context.runs.size()) + (context.runs.size() == 1 ? " run" : " runs") +
      " \u00b7 K = " + std::to_string(options.k) + " \u00b7 " + sections::utcDate(created);

  std::uint64_t done = 1;
  for (const Step& step : steps) {
    if (!step.on) continue;
    if (stop.stop_requested()) {
      built.outcome = Outcome::Stopped;
      return built;
    }
    progress::report(observer, Progress{step.stage, done, total});
    Section section = step.build(context);
    if (!section.blocks.empty()) document.sections.push_back(std::move(section));
    ++done;
  }
  if (stop.stop_requested()) built.outcome = Outcome::Stopped;
  progress::report(observer, Progress{"done", total, total});
  return built;
}

}  // namespace reco::report
