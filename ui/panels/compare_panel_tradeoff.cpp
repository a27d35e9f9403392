// ComparePanel's trade-off tab and re-ranking: the tab's widgets, drawing the curves that
// ComparisonLoader computed, the Re-rank dialog (opened once the dataset's categories are
// read in the background) and the derived runs it asks for, made in a ProgressTask.
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>

#include "core/eval/metrics.h"
#include "core/storage/item_attributes.h"
#include "core/storage/workspace.h"
#include "ui/convert/metric_help.h"
#include "ui/convert/qt_convert.h"
#include "ui/dialogs/rerank_dialog.h"
#include "ui/models/tradeoff_table_model.h"
#include "ui/panels/compare_panel.h"
#include "ui/panels/panel_support.h"
#include "ui/plots/tradeoff_plot.h"
#include "ui/workers/background_task.h"
#include "ui/workers/progress_task.h"
#include "ui/workers/workspace_loader.h"

namespace reco::ui {

namespace {

/// What the Re-rank dialog offers as rules: the dataset's categories and attribute keys.
struct RerankChoices {
  QStringList categories;
  QStringList attributeKeys;
};

}  // namespace

void ComparePanel::installScreenshotHooks() {
  // For screenshots (tools/screenshots.sh): RECO_SCREENSHOT_COMPARE_TAB=tradeoff (or time,
  // segments) shows that tab once curves arrive; RECO_SCREENSHOT_RERANK_DIALOG=FILE.png
  // opens the Re-rank dialog then and saves a picture of it (a dialog is a window of its
  // own, which the main window's picture does not hold).
  const QString wanted = qEnvironmentVariable("RECO_SCREENSHOT_COMPARE_TAB").toLower();
  const int tab = wanted == QLatin1String("tradeoff")   ? 3
                  : wanted == QLatin1String("segments") ? 2
                  : wanted == QLatin1String("time")     ? 1
                                                        : -1;
  const QString dialogFile = qEnvironmentVariable("RECO_SCREENSHOT_RERANK_DIALOG");
  // RECO_SCREENSHOT_TRADEOFF_X=coverage (a family of the x choice) sets the x axis.
  const QString x = qEnvironmentVariable("RECO_SCREENSHOT_TRADEOFF_X");
  if (!x.isEmpty()) tradeoffX_->setCurrentIndex(std::max(0, tradeoffX_->findData(x)));
  if (tab < 0 && dialogFile.isEmpty()) return;
  connect(this, &ComparePanel::tradeoffShown, this, [this, tab, dialogFile] {
    if (tab >= 0) tabs_->setCurrentIndex(tab);
    if (dialogFile.isEmpty() || rerankDialog_ || dialogRequest_ > 0) return;
    openRerankDialog();
    QTimer::singleShot(1500, this, [this, dialogFile] {
      if (rerankDialog_) rerankDialog_->grab().save(dialogFile);
    });
  });
}

void ComparePanel::buildTradeoffTab() {
  tradeoffX_ = new QComboBox;
  tradeoffX_->setObjectName(QStringLiteral("tradeoffX"));
  tradeoffX_->setToolTip(
      QStringLiteral("The x axis: diversity within lists (ild by category or by item vectors), "
                     "the share of the catalogue recommended (coverage), or novelty. Catalogue "
                     "metrics are one value per run: they have no confidence interval."));
  for (const char* family : {"ild_category", "ild_embedding", "coverage", "novelty"})
    tradeoffX_->addItem(metricLabel(QString::fromLatin1(family)), QString::fromLatin1(family));
  tradeoffY_ = new QComboBox;
  tradeoffY_->setObjectName(QStringLiteral("tradeoffY"));
  tradeoffY_->setToolTip(
      QStringLiteral("The y axis: an accuracy metric per user, drawn as its mean with the 95% "
                     "confidence interval and tested against each curve's plain run."));
  for (const auto family : reco::kRankingMetricFamilies) {
    const QString name = toQString(std::string(family));
    tradeoffY_->addItem(metricLabel(name), name);
  }
  tradeoffY_->setCurrentIndex(std::max(0, tradeoffY_->findData(QStringLiteral("ndcg"))));
  for (QComboBox* combo : {tradeoffX_, tradeoffY_}) {
    combo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    connect(combo, &QComboBox::currentIndexChanged, this, &ComparePanel::refreshTradeoff);
  }
  auto* axes = new QHBoxLayout;
  axes->setContentsMargins(0, 4, 0, 0);
  auto* xCaption = new QLabel(QStringLiteral("Diversity (&x)"));
  xCaption->setBuddy(tradeoffX_);
  auto* yCaption = new QLabel(QStringLiteral("Accuracy (&y)"));
  yCaption->setBuddy(tradeoffY_);
  axes->addWidget(xCaption);
  axes->addWidget(tradeoffX_);
  axes->addSpacing(12);
  axes->addWidget(yCaption);
  axes->addWidget(tradeoffY_);
  axes->addStretch(1);

  tradeoffPlot_ = new TradeoffPlot;
  tradeoffTable_ = new TradeoffTableModel(this);
  tradeoffProxy_ = new QSortFilterProxyModel(this);
  tradeoffProxy_->setSourceModel(tradeoffTable_);
  tradeoffProxy_->setSortRole(TradeoffTableModel::SortRole);
  tradeoffView_ = new QTableView;
  tradeoffView_->setObjectName(QStringLiteral("tradeoffTable"));
  tradeoffView_->setModel(tradeoffProxy_);
  setUpRecordTable(tradeoffView_, 26);
  tradeoffView_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  tradeoffView_->setSortingEnabled(false);  // curve by curve, plain first, as drawn
  tradeoffView_->setMinimumWidth(260);

  // The table beside the plot: its rows name the points the plot labels.
  auto* split = new QSplitter(Qt::Horizontal);
  split->setObjectName(QStringLiteral("tradeoffSplitter"));
  split->setChildrenCollapsible(false);
  split->addWidget(tradeoffPlot_);
  split->addWidget(tradeoffView_);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 2);
  split->setSizes({600, 400});  // room for the point, y, Δ and p columns at 1280 pixels

  tradeoffPage_ = new QWidget;
  auto* layout = new QVBoxLayout(tradeoffPage_);
  layout->setContentsMargins(4, 0, 4, 4);
  layout->setSpacing(4);
  layout->addLayout(axes);
  layout->addWidget(split, 1);
}

bool ComparePanel::setTradeoffMetrics(const QString& xFamily, const QString& yFamily) {
  const int x = tradeoffX_->findData(xFamily), y = tradeoffY_->findData(yFamily);
  if (x < 0 || y < 0) return false;
  tradeoffX_->setCurrentIndex(x);
  tradeoffY_->setCurrentIndex(y);
  refreshTradeoff();
  return true;
}

void ComparePanel::showTradeoffTab() {
  tabs_->setCurrentWidget(tradeoffPage_);
}

void ComparePanel::refreshTradeoff() {
  if (!tradeoff_) {
    tradeoffTable_->setTradeoff(nullptr, QString(), QString());
    tradeoffPlot_->showNote(QStringLiteral("No comparison to show."));
    return;
  }
  const QString x =
      QStringLiteral("%1@%2").arg(tradeoffX_->currentData().toString()).arg(tradeoff_->k);
  const QString y =
      QStringLiteral("%1@%2").arg(tradeoffY_->currentData().toString()).arg(tradeoff_->k);
  tradeoffPlot_->setTradeoff(tradeoff_, x, y);
  tradeoffTable_->setTradeoff(tradeoff_, x, y);
  tradeoffView_->setVisible(tradeoffTable_->rowCount() > 0);
}

void ComparePanel::openRerankDialog(const QString& baseRun) {
  const auto split = currentSplit();
  if (path_.isEmpty() || !catalog_ || !split) return;
  QStringList bases;
  for (const auto& run : catalog_->runsOfSplit(*split))
    if (run.status == "done" && run.model != "rerank") bases << toQString(run.name);
  const QString chosen = baseRun.isEmpty() ? baselineName() : baseRun;
  const reco::DatasetId dataset = datasetCombo_->currentData().toLongLong();
  const std::string file = toStdString(path_);
  const int request = ++dialogRequest_;
  // The categories come from the dataset's cached statistics, the attribute keys from one
  // indexed query: quick, but still off the GUI thread.
  runBackgroundTask<RerankChoices>(
      this, jobs_, QStringLiteral("Reading the dataset's categories"),
      [file, dataset] {
        reco::storage::Workspace workspace(file, reco::storage::Workspace::OpenMode::OpenExisting);
        auto choices = std::make_shared<RerankChoices>();
        for (const auto& share : workspace.stats(dataset).categories)
          if (!share.category.empty()) choices->categories << toQString(share.category);
        choices->categories.sort(Qt::CaseInsensitive);
        for (const auto& key : reco::storage::itemAttributeKeys(workspace, dataset))
          choices->attributeKeys << toQString(key);
        return choices;
      },
      [this, request, bases, chosen](const TaskResult<RerankChoices>& result) {
        if (request != dialogRequest_) return;  // a newer request opens its own
        RerankChoices choices;
        if (result.value) choices = *result.value;  // without them the rules still work
        if (rerankDialog_) rerankDialog_->close();
        auto* dialog =
            new RerankDialog(bases, chosen, choices.categories, choices.attributeKeys, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        rerankDialog_ = dialog;
        connect(dialog, &QDialog::accepted, this, [this, dialog] {
          if (const auto rerank = dialog->request()) startRerank(*rerank);
        });
        dialog->open();
      });
}

RerankDialog* ComparePanel::rerankDialog() const {
  return rerankDialog_.data();
}

bool ComparePanel::isReranking() const {
  return rerankTask_->isRunning();
}

void ComparePanel::startRerank(const RerankRequest& request) {
  if (path_.isEmpty()) return;
  const std::string file = toStdString(path_);
  const QString what = request.sweepParameter.empty()
                           ? QStringLiteral("Re-ranking %1").arg(toQString(request.run.baseRun))
                           : QStringLiteral("Re-ranking %1 over %2 values")
                                 .arg(toQString(request.run.baseRun))
                                 .arg(request.values.size());
  rerankLabel_->setText(what + QStringLiteral("…"));
  rerankTask_->start<RerankOutcome>(
      what,
      [file, request](reco::JobObserver* observer, std::stop_token stop) {
        return std::make_shared<RerankOutcome>(runRerankRequest(file, request, observer, stop));
      },
      [this](const std::shared_ptr<const RerankOutcome>& outcome, const std::exception_ptr& error) {
        if (error) {
          const QString message = WorkspaceLoader::describeError(error);
          showNotice(QStringLiteral("Re-ranking failed: %1").arg(message), true);
          emit rerankFinished(0, message);
          return;
        }
        onRerankDone(outcome ? *outcome : RerankOutcome{{}, true});
      });
}

void ComparePanel::cancelRerank() {
  if (!rerankTask_->isRunning()) return;
  rerankTask_->cancel();
  // The runs a sweep finished before the stop are stored; the runs are read again once the
  // task has really ended (ProgressTask::droppedEnded), so that a run stored while it was
  // stopping is listed too.
  showNotice(QStringLiteral("Re-ranking was cancelled; runs it had finished are kept."), false);
  emit rerankFinished(0, QStringLiteral("cancelled"));
}

void ComparePanel::onRerankDone(const RerankOutcome& outcome) {
  const int made = int(outcome.runs.size());
  QStringList names;
  for (const auto& run : outcome.runs) names << toQString(run.name);
  const QString message =
      made == 0
          ? QStringLiteral("Re-ranking stopped before a run was finished.")
          : QStringLiteral("%1 %2 stored: %3%4")
                .arg(made)
                .arg(made == 1 ? QStringLiteral("derived run") : QStringLiteral("derived runs"),
                     names.join(QStringLiteral(", ")),
                     outcome.stopped ? QStringLiteral(" (stopped before the rest)") : QString());
  showNotice(message, false);
  // The notice goes when the next comparison starts; the heading keeps a short word of it
  // for a while (the names in its tooltip: a long line would widen the heading).
  rerankLabel_->setText(made == 1 ? QStringLiteral("1 derived run stored")
                                  : QStringLiteral("%1 derived runs stored").arg(made));
  rerankLabel_->setToolTip(plainToolTip(message));
  rerankLabel_->show();
  QTimer::singleShot(10000, rerankLabel_, [this] {
    if (!rerankTask_->isRunning()) rerankLabel_->hide();
  });
  if (made > 0) {
    showTradeoffTab();
    emit runsChanged();
  }
  reload();  // new runs come checked, so the next comparison and curves include them
  emit rerankFinished(made, message);
}

}  // namespace reco::ui
