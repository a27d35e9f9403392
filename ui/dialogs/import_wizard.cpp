#include "ui/dialogs/import_wizard.h"

#include "ui/convert/qt_convert.h"
#include "ui/dialogs/import_columns_page.h"
#include "ui/dialogs/import_options_page.h"
#include "ui/dialogs/import_preview_worker.h"
#include "ui/dialogs/import_run_pages.h"
#include "ui/dialogs/import_source_pages.h"
#include "ui/workers/import_job.h"

namespace reco::ui {

ImportWizard::ImportWizard(const QString& workspace, const QStringList& datasetNames,
                           JobTracker* jobs, QWidget* parent)
    : QWizard(parent), workspace_(workspace) {
  setObjectName(QStringLiteral("importWizard"));
  setWindowTitle(QStringLiteral("Import data"));
  setWizardStyle(QWizard::ModernStyle);
  setOption(QWizard::NoBackButtonOnLastPage, true);
  setOption(QWizard::NoCancelButtonOnLastPage, true);
  setMinimumSize(900, 640);
  resize(1040, 720);

  job_ = new ImportJob(jobs, this);
  previewer_ = new ImportPreviewWorker(this);
  filePage_ = new ImportFilePage(datasetNames, this);
  formatPage_ = new ImportFormatPage(previewer_, this);
  columnsPage_ = new ImportColumnsPage(previewer_, this);
  optionsPage_ = new ImportOptionsPage(this);
  runPage_ = new ImportRunPage(job_, this);
  resultPage_ = new ImportResultPage(this);
  setPage(FilePageId, filePage_);
  setPage(FormatPageId, formatPage_);
  setPage(ColumnsPageId, columnsPage_);
  setPage(OptionsPageId, optionsPage_);
  setPage(RunPageId, runPage_);
  setPage(ResultPageId, resultPage_);
  setStartId(FilePageId);

  connect(job_, &ImportJob::finished, this, [this](const ImportJobResultPtr& result) {
    // A cancel can come too late (the import already committed): the dataset is there
    // then, and the panel must hear of it even when the wizard closes.
    if (result->status == ImportJobResult::Status::Completed) {
      resultPage_->showResult(result);
      emit imported(result->dataset);
    }
    if (closeWhenStopped_) QWizard::reject();
  });
}

ImportWizard::~ImportWizard() = default;

QString ImportWizard::sourcePath() const {
  return filePage_->sourcePath();
}
void ImportWizard::setSourcePath(const QString& path) {
  filePage_->setSourcePath(path);
}
reco::io::Format ImportWizard::format() const {
  return formatPage_->format();
}

reco::io::ImportOptions ImportWizard::options() const {
  reco::io::ImportOptions options;
  options.format = formatPage_->format();
  options.name = toStdString(filePage_->datasetName());
  options.itemsPath = toStdString(filePage_->itemsPath());
  columnsPage_->apply(options);
  optionsPage_->apply(options);
  return options;
}

void ImportWizard::reject() {
  if (job_->isRunning()) {
    // Closing now would leave the import running unseen: stop it, close when it has.
    closeWhenStopped_ = true;
    job_->cancel();
    setEnabled(false);
    return;
  }
  QWizard::reject();
}

}  // namespace reco::ui
