// The Export report dialog's export (report_dialog.h): the file dialog, the background
// write and its Cancel.
#include <QCheckBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QTimer>
#include <utility>

#include "ui/convert/qt_convert.h"
#include "ui/dialogs/report_dialog.h"
#include "ui/panels/panel_support.h"
#include "ui/workers/progress_task.h"
#include "ui/workers/workspace_loader.h"

namespace reco::ui {

void ReportDialog::chooseExportFile() {
  const QString folder = dialogStartFolder(QStringLiteral("report"), setup_.workspacePath);
  QString selected;
  QString path = QFileDialog::getSaveFileName(
      this, QStringLiteral("Export report"),
      QDir(folder).filePath(setup_.dataset + QStringLiteral("-report.html")),
      QStringLiteral("HTML report (*.html);;PDF report (*.pdf)"), &selected);
  if (path.isEmpty()) return;
  const QString suffix = QFileInfo(path).suffix().toLower();
  if (suffix != QLatin1String("html") && suffix != QLatin1String("htm") &&
      suffix != QLatin1String("pdf"))
    path +=
        selected.contains(QStringLiteral("pdf")) ? QStringLiteral(".pdf") : QStringLiteral(".html");
  rememberDialogFolder(QStringLiteral("report"), path);
  if (const QString problem = outputTargetProblem(path, setup_.workspacePath); !problem.isEmpty()) {
    showStatus(problem, true);
    return;
  }
  exportTo(path);
}

void ReportDialog::exportTo(const QString& path) {
  ReportRequest request;
  request.workspacePath = toStdString(setup_.workspacePath);
  request.options = options();
  request.paper = paper();
  request.outPath = toStdString(path);
  request.csv = csv_->isChecked();
  request.models = setup_.models;
  if (request.options.runs.empty()) {
    showStatus(QStringLiteral("Check at least one run to export a report."), true);
    return;
  }
  // The report is built once: from the preview when it shows these very options, else by the
  // export, which then stands in for a preview still to be built (two builds side by side
  // doubled the time and memory: a 10M-interaction workspace reads ~1 GB of models per build).
  if (preview_ && previewOptions_ == request.options) {
    request.document = std::shared_ptr<const reco::report::Document>(preview_, &preview_->document);
  } else if (isBuildingPreview()) {
    debounce_->stop();
    previewTask_->cancel();
    request.pages = true;
  }
  exportShowsPreview_ = request.pages;
  const QString name = QFileInfo(path).fileName();
  exporting_ = name;
  exportPath_ = path;
  const QFileInfo before(path);
  exportTargetBefore_ = before.exists() ? before.lastModified() : QDateTime();
  showStatus(QStringLiteral("Exporting %1…").arg(name), false);
  exportTask_->start<ReportResult>(
      QStringLiteral("Exporting the report %1").arg(name),
      [request](reco::JobObserver* observer, std::stop_token stop) {
        return runReportRequest(request, observer, stop);
      },
      [this, name, options = request.options](const std::shared_ptr<const ReportResult>& result,
                                              const std::exception_ptr& error) {
        const bool showsPreview = std::exchange(exportShowsPreview_, false);
        if (result && result->pages)
          showPreview(result, options);
        else if (showsPreview)
          previewNow();  // the export failed: the preview says why too
        if (error || !result) {
          const QString message = error ? QStringLiteral("%1 was not written: %2")
                                              .arg(name, WorkspaceLoader::describeError(error))
                                        : QStringLiteral("Stopped: %1 was not written").arg(name);
          showStatus(message, true);
          emit exportFinished(false, message);
          return;
        }
        QString message =
            result->pdfPages > 0
                ? QStringLiteral("Wrote %1 (PDF, %2 pages)").arg(name).arg(result->pdfPages)
                : QStringLiteral("Wrote %1 (HTML)").arg(name);
        if (!result->csvs.empty())
          message += QStringLiteral(" and %1 CSV table%2")
                         .arg(result->csvs.size())
                         .arg(result->csvs.size() == 1 ? "" : "s");
        showStatus(message, false);
        emit exportFinished(true, message);
      });
}

bool ReportDialog::isExporting() const {
  return exportTask_->isRunning();
}

bool ReportDialog::cancelExport() {
  if (!exportTask_->isRunning()) return false;
  exportTask_->cancel();
  showStatus(QStringLiteral("Stopping the export of %1…").arg(exporting_), false);
  return true;
}

void ReportDialog::onExportDropped() {
  if (std::exchange(exportShowsPreview_, false)) schedulePreview();
  // The dropped result is not seen here: whether the export got past its last stop check
  // (the report renamed into place) shows in the target itself.
  const QFileInfo after(exportPath_);
  const bool written = after.exists() && (!exportTargetBefore_.isValid() ||
                                          after.lastModified() != exportTargetBefore_);
  showStatus(written ? QStringLiteral("Cancel came too late: %1 was written.").arg(exporting_)
                     : QStringLiteral("Export stopped: nothing was written."),
             false);
  emit exportStopped();
}

void ReportDialog::reject() {
  if (cancelExport()) return;
  QDialog::reject();
}

}  // namespace reco::ui
