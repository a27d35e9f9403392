#include "ui/panels/study_view.h"

#include <QGroupBox>
#include <QHeaderView>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>

#include "ui/convert/qt_convert.h"
#include "ui/models/study_result_model.h"
#include "ui/models/study_trials_model.h"
#include "ui/panels/panel_support.h"
#include "ui/plots/best_so_far_plot.h"

namespace reco::ui {

namespace {

constexpr int kRowPixels = 26;
constexpr int kResultRowsInView = 5;

QTableView* createTable(QAbstractItemModel* model, int sortRole, const QString& objectName,
                        QObject* parent) {
  auto* proxy = new QSortFilterProxyModel(parent);
  proxy->setSourceModel(model);
  proxy->setSortRole(sortRole);
  auto* table = new QTableView;
  table->setObjectName(objectName);
  table->setModel(proxy);
  table->setSortingEnabled(true);
  table->sortByColumn(-1, Qt::AscendingOrder);  // the order of the study until a click
  setUpRecordTable(table, kRowPixels);
  table->setTextElideMode(Qt::ElideRight);
  table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  return table;
}

}  // namespace

StudyView::StudyView(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("studyView"));
  plot_ = new BestSoFarPlot;
  trials_ = new StudyTrialsModel(this);
  trialsTable_ =
      createTable(trials_, StudyTrialsModel::SortRole, QStringLiteral("studyTrials"), this);
  trialsTable_->horizontalHeader()->setSectionResizeMode(StudyTrialsModel::OptionsColumn,
                                                         QHeaderView::Stretch);
  auto* trialsBox = new QGroupBox(QStringLiteral("Trials (validation part)"));
  auto* trialsLayout = new QVBoxLayout(trialsBox);
  trialsLayout->addWidget(trialsTable_);
  results_ = new StudyResultModel(this);
  resultsTable_ =
      createTable(results_, StudyResultModel::SortRole, QStringLiteral("studyResults"), this);
  // The two values side by side (validation, then test) before the options, which take the
  // rest of the width and elide: at 1280 pixels the test value was scrolled out of view.
  QHeaderView* resultsHeader = resultsTable_->horizontalHeader();
  resultsHeader->moveSection(
      resultsHeader->visualIndex(StudyResultModel::TestColumn),
      resultsHeader->visualIndex(StudyResultModel::BestValidationColumn) + 1);
  resultsHeader->setSectionResizeMode(StudyResultModel::ChosenOptionsColumn, QHeaderView::Stretch);
  resultsBox_ = new QGroupBox(QStringLiteral("Result per model (final runs, test part)"));
  auto* resultsLayout = new QVBoxLayout(resultsBox_);
  resultsLayout->addWidget(resultsTable_);
  resultsBox_->hide();

  auto* splitter = new QSplitter(Qt::Vertical);
  splitter->setChildrenCollapsible(false);
  splitter->addWidget(plot_);
  splitter->addWidget(trialsBox);
  splitter->addWidget(resultsBox_);
  splitter->setStretchFactor(0, 3);
  splitter->setStretchFactor(1, 2);
  splitter->setStretchFactor(2, 1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(splitter);
}

void StudyView::reset(const QStringList& models, const QString& metric, int plannedTrials) {
  trials_->reset(models, metric);
  results_->setResult(nullptr);
  resultsBox_->hide();
  plot_->reset(models, metric, plannedTrials);
}

void StudyView::showResult(std::shared_ptr<const reco::StudyResult> result) {
  results_->setResult(std::move(result));
  resultsBox_->show();
  resultsTable_->resizeColumnsToContents();
  // Every model's row in view (up to a few; more scroll): the splitter's share for the
  // result alone showed one row of two.
  const int rows = std::min(results_->rowCount(), kResultRowsInView);
  resultsTable_->setMinimumHeight(
      resultsTable_->horizontalHeader()->sizeHint().height() + rows * kRowPixels +
      resultsTable_->horizontalScrollBar()->sizeHint().height() + 2 * resultsTable_->frameWidth());
}

void StudyView::showStored(std::shared_ptr<const reco::StudyResult> result) {
  const auto& record = result->record;
  QStringList models;
  for (const auto& model : record.models) models << toQString(model.model);
  reset(models, toQString(record.info.metric), record.info.budgetTrials.value_or(0));
  for (const auto& trial : record.trials) {
    trials_->trialFinished(trial);
    plot_->addTrial(int(trial.model), trial.index, trial.validation);
  }
  plot_->replotNow();
  showResult(std::move(result));
}

void StudyView::clear(const QString& note) {
  trials_->reset({}, QString());
  results_->setResult(nullptr);
  resultsBox_->hide();
  plot_->showNote(note);
}

}  // namespace reco::ui
