#include "ui/dialogs/import_run_pages.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QStyle>
#include <QTreeView>
#include <QVBoxLayout>
#include <cmath>

#include "ui/convert/qt_convert.h"
#include "ui/dialogs/import_preview_worker.h"
#include "ui/dialogs/import_wizard.h"
#include "ui/models/import_report_model.h"

namespace reco::ui {

namespace {

constexpr int kProgressSteps = 1000;

void setError(QLabel* label, bool isError) {
  label->setProperty("error", isError);
  label->style()->unpolish(label);
  label->style()->polish(label);
}

}  // namespace

ImportRunPage::ImportRunPage(ImportJob* job, QWidget* parent) : QWizardPage(parent), job_(job) {
  setTitle(QStringLiteral("Importing"));
  setSubTitle(QStringLiteral(
      "The file is read in the background; the window stays usable. The import is one "
      "transaction: cancelled or failed, it leaves the workspace exactly as it was."));
  setCommitPage(true);
  setButtonText(QWizard::CommitButton, QStringLiteral("&Report >"));

  summary_ = new QLabel(this);
  summary_->setObjectName(QStringLiteral("importSummary"));
  summary_->setWordWrap(true);
  summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  stage_ = new QLabel(this);
  stage_->setObjectName(QStringLiteral("importStage"));
  stage_->setTextFormat(Qt::PlainText);
  progress_ = new QProgressBar(this);
  progress_->setObjectName(QStringLiteral("importProgress"));
  progress_->setRange(0, kProgressSteps);
  progress_->setToolTip(
      QStringLiteral("Bytes of the file read so far; the steps after reading (duplicates, k-core, "
                     "statistics, commit) show a moving bar."));
  cancel_ = new QPushButton(QStringLiteral("&Cancel import"), this);
  cancel_->setObjectName(QStringLiteral("cancelImport"));
  cancel_->setToolTip(
      QStringLiteral("Stops the import and rolls it back: the workspace stays as it was."));
  connect(cancel_, &QPushButton::clicked, job_, &ImportJob::cancel);
  connect(cancel_, &QPushButton::clicked, this, [this] {
    cancel_->setEnabled(false);
    stage_->setText(QStringLiteral("Cancelling…"));
  });
  message_ = new QLabel(this);
  message_->setObjectName(QStringLiteral("importMessage"));
  message_->setWordWrap(true);
  message_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  message_->setTextFormat(Qt::PlainText);  // the importer's error quotes the file

  auto* progressRow = new QHBoxLayout;
  progressRow->addWidget(progress_, 1);
  progressRow->addWidget(cancel_);
  auto* layout = new QVBoxLayout(this);
  layout->setSpacing(12);
  layout->addWidget(summary_);
  layout->addSpacing(8);
  layout->addWidget(stage_);
  layout->addLayout(progressRow);
  layout->addWidget(message_);
  layout->addStretch(1);

  connect(job_, &ImportJob::progressChanged, this, &ImportRunPage::onProgress);
  connect(job_, &ImportJob::finished, this, &ImportRunPage::onFinished);
}

void ImportRunPage::initializePage() {
  const auto* owner = static_cast<ImportWizard*>(wizard());
  const reco::io::ImportOptions options = owner->options();
  completed_ = false;
  summary_->setText(QStringLiteral("Importing <b>%1</b> as <b>%2</b> (%3) into %4")
                        .arg(QFileInfo(owner->sourcePath()).fileName().toHtmlEscaped(),
                             toQString(options.name).toHtmlEscaped(),
                             toQString(reco::io::formatName(options.format)),
                             owner->workspace().toHtmlEscaped()));
  message_->clear();
  setError(message_, false);
  progress_->setVisible(true);
  progress_->setRange(0, 0);
  cancel_->setVisible(true);
  cancel_->setEnabled(true);
  if (job_->isRunning()) {
    // Back was pressed during an import that is still rolling back: start after it.
    startPending_ = true;
    stage_->setText(QStringLiteral("Waiting for the previous import to stop…"));
  } else {
    stage_->setText(QStringLiteral("Starting…"));
    job_->start(owner->workspace(), owner->sourcePath(), options);
  }
  emit completeChanged();
}

void ImportRunPage::cleanupPage() {
  job_->cancel();
  startPending_ = false;
}

bool ImportRunPage::isComplete() const {
  return completed_;
}

QString ImportRunPage::message() const {
  return message_->text().isEmpty() ? stage_->text() : message_->text();
}

void ImportRunPage::onProgress(const QString& stage, double fraction) {
  if (!cancel_->isEnabled()) return;  // "Cancelling…" stays
  QString text = stage;
  if (!text.isEmpty()) text[0] = text[0].toUpper();
  if (fraction >= 0) {
    progress_->setRange(0, kProgressSteps);
    progress_->setValue(int(std::lround(fraction * kProgressSteps)));
    text += QStringLiteral(" — %1").arg(formatPercent(fraction));
  } else {
    progress_->setRange(0, 0);
  }
  stage_->setText(text + QStringLiteral("…"));
}

void ImportRunPage::onFinished(const ImportJobResultPtr& result) {
  auto* owner = static_cast<ImportWizard*>(wizard());
  if (!owner) return;
  if (startPending_) {
    startPending_ = false;
    stage_->setText(QStringLiteral("Starting…"));
    job_->start(owner->workspace(), owner->sourcePath(), owner->options());
    return;
  }
  if (owner->currentPage() != this) return;  // the user went back meanwhile
  cancel_->setEnabled(false);
  progress_->setRange(0, kProgressSteps);
  switch (result->status) {
    case ImportJobResult::Status::Completed:
      progress_->setValue(kProgressSteps);
      stage_->setText(QStringLiteral("Done."));
      completed_ = true;
      emit completeChanged();
      owner->next();
      return;
    case ImportJobResult::Status::Cancelled:
      progress_->setVisible(false);
      cancel_->setVisible(false);
      stage_->setText(QStringLiteral("Cancelled."));
      message_->setText(
          QStringLiteral("The import was cancelled; the workspace was left as it was. "
                         "Press Back to change the options, or close the wizard."));
      break;
    case ImportJobResult::Status::Failed:
      progress_->setVisible(false);
      cancel_->setVisible(false);
      stage_->setText(QStringLiteral("The import failed; the workspace was left as it was."));
      message_->setText(
          ImportPreviewWorker::inWizardWords(result->error) +
          QStringLiteral("\n\nPress Back to change the format, the columns or the options."));
      setError(message_, true);
      break;
  }
  emit completeChanged();
}

// ---------------------------------------------------------------------------------------

ImportResultPage::ImportResultPage(QWidget* parent) : QWizardPage(parent) {
  setTitle(QStringLiteral("Imported"));
  setSubTitle(QStringLiteral(
      "The new dataset is selected in the Datasets panel; its statistics and plots are there. "
      "Below: what was kept, and every rejected row by reason with the first examples."));
  setFinalPage(true);

  summary_ = new QLabel(this);
  summary_->setObjectName(QStringLiteral("resultSummary"));
  summary_->setWordWrap(true);
  summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  counts_ = new QLabel(this);
  counts_->setObjectName(QStringLiteral("resultCounts"));
  counts_->setWordWrap(true);
  report_ = new ImportReportModel(this);
  reportView_ = new QTreeView(this);
  reportView_->setObjectName(QStringLiteral("resultReport"));
  reportView_->setModel(report_);
  reportView_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  reportView_->setAlternatingRowColors(true);
  reportView_->setUniformRowHeights(true);
  reportView_->header()->setStretchLastSection(true);
  reportView_->setToolTip(
      QStringLiteral("Each reason with the number of rows it rejected; expand it for the first "
                     "examples (file:line and the row's text)."));
  notes_ = new QLabel(this);
  notes_->setObjectName(QStringLiteral("reportNotes"));
  notes_->setWordWrap(true);
  notes_->setTextInteractionFlags(Qt::TextSelectableByMouse);

  auto* layout = new QVBoxLayout(this);
  layout->setSpacing(10);
  layout->addWidget(summary_);
  layout->addWidget(counts_);
  layout->addWidget(reportView_, 1);
  layout->addWidget(notes_);
  // Takes the room the rejection table leaves when it is hidden (nothing rejected), so
  // that the lines above stay together at the top instead of spreading over the page.
  layout->addStretch(0);
  layout_ = layout;
}

QString ImportResultPage::summary() const {
  return summary_->text();
}

void ImportResultPage::showResult(const ImportJobResultPtr& result) {
  const reco::DatasetInfo& d = result->dataset;
  const reco::ImportReport& r = result->report;
  summary_->setText(
      QStringLiteral("Imported <b>%1</b> (%2, %3 feedback): <b>%4</b> users, <b>%5</b> items, "
                     "<b>%6</b> interactions, density %7.")
          .arg(toQString(d.name).toHtmlEscaped(), toQString(d.format), toQString(d.feedback),
               formatCount(d.users), formatCount(d.items), formatCount(d.interactions),
               formatPercent(d.density())));
  // The figures add up to the rows read; the time is the one stored with the report, so
  // that the wizard and the Datasets screen say the same.
  counts_->setText(importReportSummary(r, false));
  report_->setReport(ImportReportPtr(result, &result->report));
  reportView_->setVisible(!r.rejected.empty());
  layout_->setStretch(layout_->count() - 1, r.rejected.empty() ? 1 : 0);
  reportView_->expandAll();
  reportView_->header()->resizeSection(ImportReportModel::ReasonColumn, 300);
  reportView_->header()->resizeSection(ImportReportModel::RowsColumn, 90);
  QStringList notes;
  if (r.rejected.empty()) notes << QStringLiteral("No row was rejected.");
  for (const QString& note : importReportNotes(r)) notes << note.toHtmlEscaped();
  notes_->setText(notes.isEmpty() ? QString()
                                  : QStringLiteral("• ") + notes.join(QStringLiteral("<br>• ")));
}

}  // namespace reco::ui
