#include "ui/workers/comparison_loader.h"

#include <algorithm>

#include "core/common/error.h"
#include "core/storage/workspace.h"
#include "core/training/derived_run.h"
#include "ui/convert/qt_convert.h"
#include "ui/workers/background_task.h"
#include "ui/workers/workspace_loader.h"

namespace reco::ui {

std::vector<storage::RunInfo> CompareCatalog::runsOfSplit(storage::SplitId split) const {
  std::vector<storage::RunInfo> out;
  std::copy_if(runs.begin(), runs.end(), std::back_inserter(out),
               [split](const auto& r) { return r.splitId == split; });
  return out;
}

std::vector<storage::SplitInfo> CompareCatalog::splitsOf(reco::DatasetId dataset) const {
  std::vector<storage::SplitInfo> out;
  std::copy_if(splits.begin(), splits.end(), std::back_inserter(out),
               [dataset](const auto& s) { return s.datasetId == dataset; });
  return out;
}

ComparisonLoader::ComparisonLoader(JobTracker* jobs, QObject* parent)
    : QObject(parent), jobs_(jobs) {
  qRegisterMetaType<reco::ui::CompareCatalogPtr>();
  qRegisterMetaType<reco::ui::ComparisonPtr>();
  qRegisterMetaType<reco::ui::TradeoffPtr>();
}

// Running tasks hold only values and their own stop source, so they may outlive this
// object; the destructor asks a running comparison to stop.
ComparisonLoader::~ComparisonLoader() {
  if (comparisonStop_) comparisonStop_->request_stop();
  if (tradeoffStop_) tradeoffStop_->request_stop();
}

CompareCatalogPtr ComparisonLoader::readCatalog(const std::string& path) {
  storage::Workspace workspace(path, storage::Workspace::OpenMode::OpenExisting);
  auto catalog = std::make_shared<CompareCatalog>();
  catalog->datasets = workspace.datasets();
  for (const auto& dataset : catalog->datasets)
    for (auto& split : storage::listSplits(workspace, dataset.id))
      catalog->splits.push_back(std::move(split));
  catalog->runs = storage::listRuns(workspace);
  return catalog;
}

ComparisonPtr ComparisonLoader::computeComparison(const std::string& path,
                                                  const ComparisonRequest& request,
                                                  std::stop_token stop) {
  storage::Workspace workspace(path, storage::Workspace::OpenMode::OpenExisting);
  const auto all = storage::listRuns(workspace);
  std::vector<storage::RunInfo> runs;
  for (const storage::RunId id : request.runs) {
    const auto found =
        std::find_if(all.begin(), all.end(), [id](const auto& r) { return r.id == id; });
    RECO_CHECK(found != all.end(), ErrorKind::Config,
               "run " + std::to_string(id) + " is no longer in the workspace");
    runs.push_back(*found);
  }
  auto comparison = std::make_shared<reco::Comparison>(
      reco::compareRuns(workspace, runs, request.options, nullptr, stop));
  if (comparison->outcome == Outcome::Stopped) return nullptr;
  return comparison;
}

TradeoffPtr ComparisonLoader::computeTradeoff(const std::string& path,
                                              const TradeoffRequest& request,
                                              std::stop_token stop) {
  storage::Workspace workspace(path, storage::Workspace::OpenMode::OpenExisting);
  const auto all = storage::listRuns(workspace);
  std::vector<storage::RunInfo> runs;
  auto byId = [&](storage::RunId id) {
    return std::find_if(all.begin(), all.end(), [id](const auto& r) { return r.id == id; });
  };
  auto included = [&](storage::RunId id) {
    return std::any_of(runs.begin(), runs.end(), [id](const auto& r) { return r.id == id; });
  };
  for (const storage::RunId id : request.runs) {
    const auto found = byId(id);
    RECO_CHECK(found != all.end(), ErrorKind::Config,
               "run " + std::to_string(id) + " is no longer in the workspace");
    if (!included(id)) runs.push_back(*found);
  }
  // A curve starts at its plain run even when that run is not checked.
  const std::size_t requested = runs.size();
  for (std::size_t r = 0; r < requested; ++r) {
    if (runs[r].model != "rerank") continue;
    const auto protocol = readDerivedProtocol(runs[r].protocolJson);
    if (!protocol || protocol->baseRunId == 0) continue;
    const auto base = byId(protocol->baseRunId);
    if (base != all.end() && base->splitId == runs[r].splitId && !included(base->id))
      runs.push_back(*base);
  }
  auto tradeoff = std::make_shared<reco::Tradeoff>(
      reco::compareTradeoff(workspace, runs, request.options, nullptr, stop));
  if (tradeoff->outcome == Outcome::Stopped) return nullptr;
  return tradeoff;
}

template <class Result, class Work, class Deliver>
void ComparisonLoader::start(const QString& label, int& wanted, Work work, Deliver deliver) {
  runLatestTask<Result>(this, jobs_, label, generation_, wanted, std::move(work),
                        std::move(deliver));
}

void ComparisonLoader::loadCatalog(const QString& path) {
  const std::string file = toStdString(path);
  start<CompareCatalog>(
      QStringLiteral("Reading runs"), wantedCatalog_, [file] { return readCatalog(file); },
      [this, path](const CompareCatalogPtr& value, const std::exception_ptr& error) {
        if (error) {
          emit catalogFailed(path, WorkspaceLoader::describeError(error));
        } else {
          emit catalogLoaded(path, value);
        }
      });
}

void ComparisonLoader::compare(const QString& path, const ComparisonRequest& request) {
  if (comparisonStop_) comparisonStop_->request_stop();
  comparisonStop_ = std::make_shared<std::stop_source>();
  const std::string file = toStdString(path);
  auto stop = comparisonStop_;
  start<reco::Comparison>(
      QStringLiteral("Comparing %1 runs").arg(request.runs.size()), wantedComparison_,
      [file, request, stop] { return computeComparison(file, request, stop->get_token()); },
      [this](const ComparisonPtr& value, const std::exception_ptr& error) {
        if (error) {
          emit comparisonFailed(WorkspaceLoader::describeError(error));
        } else if (value) {
          emit comparisonReady(value);
        }
      });
}

void ComparisonLoader::tradeoff(const QString& path, const TradeoffRequest& request) {
  if (tradeoffStop_) tradeoffStop_->request_stop();
  tradeoffStop_ = std::make_shared<std::stop_source>();
  const std::string file = toStdString(path);
  auto stop = tradeoffStop_;
  start<reco::Tradeoff>(
      QStringLiteral("Trade-off curves of %1 runs").arg(request.runs.size()), wantedTradeoff_,
      [file, request, stop] { return computeTradeoff(file, request, stop->get_token()); },
      [this](const TradeoffPtr& value, const std::exception_ptr& error) {
        if (error) {
          emit tradeoffFailed(WorkspaceLoader::describeError(error));
        } else if (value) {
          emit tradeoffReady(value);
        }
      });
}

void ComparisonLoader::cancelAll() {
  const bool wasBusy = isBusy();
  wantedCatalog_ = 0;
  wantedComparison_ = 0;
  wantedTradeoff_ = 0;
  if (comparisonStop_) comparisonStop_->request_stop();
  comparisonStop_.reset();
  if (tradeoffStop_) tradeoffStop_->request_stop();
  tradeoffStop_.reset();
  if (wasBusy) emit busyChanged(false);
}

}  // namespace reco::ui
