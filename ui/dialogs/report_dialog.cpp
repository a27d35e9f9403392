#include "ui/dialogs/report_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QScreen>
#include <QSplitter>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>

#include "core/eval/metrics.h"
#include "ui/convert/metric_help.h"
#include "ui/convert/qt_convert.h"
#include "ui/widgets/report_preview.h"
#include "ui/workers/progress_task.h"
#include "ui/workers/workspace_loader.h"

namespace reco::ui {

namespace {

constexpr int kDebounceMs = 300;

/// Each part's check box: ReportParts' field name (the object name's suffix), its label.
struct PartChoice {
  const char* name;
  const char* label;
  bool reco::report::ReportParts::*field;
};
constexpr PartChoice kParts[] = {
    {"protocol", "Protocol card", &reco::report::ReportParts::protocol},
    {"summary", "Summary in words", &reco::report::ReportParts::summary},
    {"comparison", "Comparison table", &reco::report::ReportParts::comparison},
    {"metricBars", "Metric bars", &reco::report::ReportParts::metricBars},
    {"accuracyTime", "Accuracy vs time", &reco::report::ReportParts::accuracyTime},
    {"segments", "Segments", &reco::report::ReportParts::segments},
    {"trainingCurves", "Training curves", &reco::report::ReportParts::trainingCurves},
    {"longTail", "Long tail", &reco::report::ReportParts::longTail},
    {"activity", "User activity", &reco::report::ReportParts::activity},
    {"userStories", "User stories", &reco::report::ReportParts::userStories},
    {"itemStories", "Item stories", &reco::report::ReportParts::itemStories},
    {"heatmap", "Similarity heatmap", &reco::report::ReportParts::heatmap},
    {"itemMap", "Item map", &reco::report::ReportParts::itemMap},
};

std::vector<std::string> splitIds(const QString& text) {
  std::vector<std::string> ids;
  for (const QString& part : text.split(QLatin1Char(','), Qt::SkipEmptyParts))
    if (const QString id = part.trimmed(); !id.isEmpty()) ids.push_back(toStdString(id));
  return ids;
}

}  // namespace

ReportDialog::ReportDialog(ReportDialogSetup setup, JobTracker* jobs, QWidget* parent)
    : QDialog(parent), setup_(std::move(setup)), jobs_(jobs) {
  setObjectName(QStringLiteral("reportDialog"));
  setWindowTitle(QStringLiteral("Export report — %1").arg(setup_.dataset));
  previewTask_ = new ProgressTask(jobs_, this);
  exportTask_ = new ProgressTask(jobs_, this);
  debounce_ = new QTimer(this);
  debounce_->setSingleShot(true);
  debounce_->setInterval(kDebounceMs);
  connect(debounce_, &QTimer::timeout, this, &ReportDialog::previewNow);

  previewView_ = new ReportPreview;
  previewView_->setObjectName(QStringLiteral("reportPreview"));
  progress_ = new QProgressBar;
  progress_->setObjectName(QStringLiteral("reportProgress"));
  progress_->setMaximumWidth(180);
  progress_->setTextVisible(false);
  progress_->hide();
  status_ = new QLabel;
  status_->setObjectName(QStringLiteral("reportStatus"));
  status_->setTextFormat(Qt::PlainText);
  status_->setWordWrap(true);
  exportButton_ = new QPushButton(QStringLiteral("&Export…"));
  exportButton_->setObjectName(QStringLiteral("exportReportButton"));
  exportButton_->setToolTip(
      QStringLiteral("Write the report: a name ending in .pdf writes a PDF, any other name one "
                     "self-contained HTML file"));
  exportButton_->setDefault(true);
  cancelButton_ = new QPushButton(QStringLiteral("Cancel"));
  cancelButton_->setObjectName(QStringLiteral("cancelReportButton"));
  connect(exportButton_, &QPushButton::clicked, this, &ReportDialog::chooseExportFile);
  connect(cancelButton_, &QPushButton::clicked, this, &ReportDialog::reject);

  auto* splitter = new QSplitter(Qt::Horizontal);
  splitter->setChildrenCollapsible(false);
  splitter->addWidget(createChoices());
  splitter->addWidget(previewView_);
  splitter->setStretchFactor(0, 0);
  splitter->setStretchFactor(1, 1);
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(progress_);
  buttons->addWidget(status_, 1);
  buttons->addWidget(exportButton_);
  buttons->addWidget(cancelButton_);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(splitter, 1);
  layout->addLayout(buttons);

  for (ProgressTask* task : {previewTask_, exportTask_}) {
    connect(task, &ProgressTask::progressed, this, &ReportDialog::showProgress);
    connect(task, &ProgressTask::runningChanged, this, &ReportDialog::updateButtons);
  }
  connect(exportTask_, &ProgressTask::droppedEnded, this, &ReportDialog::onExportDropped);
  // Large enough for a readable page beside the choices, never larger than the screen
  // (1280 x 800 included, with the window's frame).
  const QRect screen =
      (parent ? parent->screen() : QGuiApplication::primaryScreen())->availableGeometry();
  resize(std::min(1240, screen.width() * 95 / 100), std::min(780, screen.height() * 90 / 100));
  onRunsChanged();
  updateButtons();
}

ReportDialog::~ReportDialog() = default;

QWidget* ReportDialog::createChoices() {
  filling_ = true;
  runs_ = new QListWidget;
  runs_->setObjectName(QStringLiteral("reportRuns"));
  runs_->setToolTip(QStringLiteral("The runs of the report's table and plots, in this order"));
  for (const QString& run : setup_.runs) {
    auto* item = new QListWidgetItem(run, runs_);
    const bool checked = setup_.checked.isEmpty() || setup_.checked.contains(run);
    item->setCheckState(checked ? Qt::Checked : Qt::Unchecked);
  }
  connect(runs_, &QListWidget::itemChanged, this, &ReportDialog::onRunsChanged);
  baseline_ = new QComboBox;
  baseline_->setObjectName(QStringLiteral("reportBaseline"));
  baseline_->setToolTip(QStringLiteral("The run every other run is tested against"));
  // The cut-offs every run is evaluated at, as in the Compare screen.
  k_ = new QComboBox;
  k_->setObjectName(QStringLiteral("reportK"));
  for (const int k : {5, 10, 20, 50}) k_->addItem(QString::number(k), k);
  k_->setCurrentIndex(std::max(0, k_->findData(setup_.k)));
  k_->setToolTip(QStringLiteral("The cut-off of the table and plots"));
  metric_ = new QComboBox;
  metric_->setObjectName(QStringLiteral("reportMetric"));
  metric_->setToolTip(QStringLiteral("The metric of the summary, the first bars and the segments"));
  for (const auto family : reco::kRankingMetricFamilies) {
    const QString name = toQString(std::string(family));
    metric_->addItem(metricLabel(name), name);
  }
  // A catalogue metric (coverage) has no per-user values to test: ndcg is shown instead.
  const int metric = metric_->findData(setup_.metric);
  metric_->setCurrentIndex(metric >= 0 ? metric : metric_->findData(QStringLiteral("ndcg")));
  users_ = new QLineEdit(setup_.users.join(QStringLiteral(", ")));
  users_->setObjectName(QStringLiteral("reportUsers"));
  users_->setPlaceholderText(QStringLiteral("user ids, comma-separated"));
  users_->setToolTip(QStringLiteral(
      "The users whose stories the report tells (at most 12), by the dataset's own ids"));
  items_ = new QLineEdit(setup_.items.join(QStringLiteral(", ")));
  items_->setObjectName(QStringLiteral("reportItems"));
  items_->setPlaceholderText(QStringLiteral("item ids, comma-separated"));
  items_->setToolTip(QStringLiteral(
      "The items whose stories the report tells (at most 12), by the dataset's own ids"));
  paper_ = new QComboBox;
  paper_->setObjectName(QStringLiteral("reportPaper"));
  paper_->addItem(QStringLiteral("A4"), int(reco::report::PaperSize::A4));
  paper_->addItem(QStringLiteral("Letter"), int(reco::report::PaperSize::Letter));
  csv_ = new QCheckBox(QStringLiteral("Also write &CSV tables"));
  csv_->setObjectName(QStringLiteral("reportCsv"));
  csv_->setToolTip(QStringLiteral(
      "Every table as REPORT.<table>.csv beside the report (comparison, segments, stories)"));

  auto* form = new QFormLayout;
  form->addRow(QStringLiteral("&Baseline:"), baseline_);
  form->addRow(QStringLiteral("&K:"), k_);
  form->addRow(QStringLiteral("&Metric:"), metric_);
  form->addRow(QStringLiteral("&Users:"), users_);
  form->addRow(QStringLiteral("&Items:"), items_);
  form->addRow(QStringLiteral("&Paper:"), paper_);
  auto* runsLabel = new QLabel(QStringLiteral("&Runs:"));
  runsLabel->setBuddy(runs_);
  auto* left = new QWidget;
  left->setMinimumWidth(330);
  left->setMaximumWidth(440);
  auto* layout = new QVBoxLayout(left);
  layout->setContentsMargins(0, 0, 6, 0);
  layout->addWidget(runsLabel);
  layout->addWidget(runs_, 1);
  layout->addLayout(form);
  layout->addWidget(createParts());
  layout->addWidget(csv_);

  for (QComboBox* combo : {baseline_, k_, metric_, paper_})
    connect(combo, &QComboBox::currentIndexChanged, this, &ReportDialog::schedulePreview);
  for (QLineEdit* edit : {users_, items_})
    connect(edit, &QLineEdit::textChanged, this, &ReportDialog::schedulePreview);
  filling_ = false;
  return left;
}

QWidget* ReportDialog::createParts() {
  auto* box = new QGroupBox(QStringLiteral("Parts"));
  auto* grid = new QGridLayout(box);
  grid->setVerticalSpacing(2);
  const reco::report::ReportParts defaults;
  int index = 0;
  for (const auto& part : kParts) {
    auto* check = new QCheckBox(QString::fromLatin1(part.label));
    check->setObjectName(QStringLiteral("part_") + QString::fromLatin1(part.name));
    check->setChecked(defaults.*part.field);
    connect(check, &QCheckBox::toggled, this, &ReportDialog::schedulePreview);
    grid->addWidget(check, index / 2, index % 2);
    parts_ << check;
    ++index;
  }
  return box;
}

reco::report::ReportOptions ReportDialog::options() const {
  reco::report::ReportOptions out;
  out.runs = [this] {
    std::vector<std::string> runs;
    for (const QString& run : checkedRuns()) runs.push_back(toStdString(run));
    return runs;
  }();
  out.baseline = toStdString(baseline_->currentText());
  out.k = k_->currentData().toInt();
  out.headlineMetric = toStdString(metric_->currentData().toString());
  out.users = splitIds(users_->text());
  out.items = splitIds(items_->text());
  for (int p = 0; p < parts_.size(); ++p) out.parts.*kParts[p].field = parts_[p]->isChecked();
  out.machine.gpu = toStdString(setup_.gpu);
  out.version = toStdString(setup_.version);
  return out;
}

reco::report::PaperSize ReportDialog::paper() const {
  return reco::report::PaperSize(paper_->currentData().toInt());
}

bool ReportDialog::setRunChecked(const QString& run, bool checked) {
  const auto found = runs_->findItems(run, Qt::MatchExactly);
  if (found.isEmpty()) return false;
  found.front()->setCheckState(checked ? Qt::Checked : Qt::Unchecked);
  return true;
}

bool ReportDialog::setPartChecked(const QString& part, bool checked) {
  for (QCheckBox* check : parts_)
    if (check->objectName() == QStringLiteral("part_") + part) {
      check->setChecked(checked);
      return true;
    }
  return false;
}

void ReportDialog::setUsers(const QString& commaSeparated) {
  users_->setText(commaSeparated);
}

void ReportDialog::setItems(const QString& commaSeparated) {
  items_->setText(commaSeparated);
}

void ReportDialog::setCsv(bool on) {
  csv_->setChecked(on);
}

QStringList ReportDialog::runNames() const {
  QStringList names;
  for (int row = 0; row < runs_->count(); ++row) names << runs_->item(row)->text();
  return names;
}

QStringList ReportDialog::checkedRuns() const {
  QStringList names;
  for (int row = 0; row < runs_->count(); ++row)
    if (runs_->item(row)->checkState() == Qt::Checked) names << runs_->item(row)->text();
  return names;
}

void ReportDialog::onRunsChanged() {
  // The baseline is one of the checked runs; it stays when still checked.
  const QString kept = baseline_->count() > 0 ? baseline_->currentText() : setup_.baseline;
  const QStringList checked = checkedRuns();
  {
    const QSignalBlocker block(baseline_);
    baseline_->clear();
    baseline_->addItems(checked);
    baseline_->setCurrentIndex(std::max(0, baseline_->findText(kept)));
  }
  updateButtons();
  schedulePreview();
}

void ReportDialog::schedulePreview() {
  if (filling_) return;
  debounce_->start();
  if (previewView_->pageCount() == 0 && !checkedRuns().isEmpty())
    previewView_->setMessage(QStringLiteral("Building the preview…"), false);
}

void ReportDialog::previewNow() {
  debounce_->stop();
  ReportRequest request;
  request.workspacePath = toStdString(setup_.workspacePath);
  request.options = options();
  request.paper = paper();
  request.models = setup_.models;
  if (request.options.runs.empty()) {
    previewTask_->cancel();
    previewView_->setMessage(QStringLiteral("Check at least one run on the left."), false);
    return;
  }
  previewView_->setMessage(previewView_->pageCount() > 0 ? QStringLiteral("Updating the preview…")
                                                         : QStringLiteral("Building the preview…"),
                           false);
  previewTask_->start<ReportResult>(
      QStringLiteral("Building the report preview"),
      [request](reco::JobObserver* observer, std::stop_token stop) {
        return runReportRequest(request, observer, stop);
      },
      [this, options = request.options](const std::shared_ptr<const ReportResult>& result,
                                        const std::exception_ptr& error) {
        if (error) {
          const QString message = WorkspaceLoader::describeError(error);
          previewView_->setMessage(message, true);
          emit previewFailed(message);
          return;
        }
        if (!result) return;  // stopped
        showPreview(result, options);
      });
}

void ReportDialog::showPreview(const std::shared_ptr<const ReportResult>& result,
                               const reco::report::ReportOptions& options) {
  preview_ = result;
  previewOptions_ = options;
  previewView_->setMessage(QString(), false);
  previewView_->setPages(result->pages);
  emit previewShown(previewView_->pageCount());
}

bool ReportDialog::isBuildingPreview() const {
  return previewTask_->isRunning() || debounce_->isActive();
}

void ReportDialog::updateButtons() {
  const bool exporting = exportTask_->isRunning();
  exportButton_->setEnabled(!exporting && !checkedRuns().isEmpty());
  cancelButton_->setToolTip(exporting ? QStringLiteral("Stop the export; nothing is written (Esc)")
                                      : QStringLiteral("Close this dialog (Esc)"));
  progress_->setVisible(exporting || previewTask_->isRunning());
}

void ReportDialog::showProgress(const QString& stage, double fraction) {
  // The export's progress is the one that matters while it runs.
  if (sender() == previewTask_ && exportTask_->isRunning()) return;
  progress_->setRange(0, fraction < 0 ? 0 : 1000);
  if (fraction >= 0) progress_->setValue(int(fraction * 1000));
  progress_->setToolTip(stage);
  if (sender() == exportTask_)
    status_->setText(QStringLiteral("Exporting %1: %2…").arg(exporting_, stage));
}

void ReportDialog::showStatus(const QString& text, bool isError) {
  status_->setText(text);
  status_->setStyleSheet(isError ? QStringLiteral("color: #b00020;") : QString());
}

}  // namespace reco::ui
