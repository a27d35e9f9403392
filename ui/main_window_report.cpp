// MainWindow's File › Export report… (issue 15): the dialog starts from what the window
// shows, so that the report is of the comparison on screen.
#include <QStackedWidget>

#include "ui/dialogs/report_dialog.h"
#include "ui/main_window.h"
#include "ui/panels/compare_panel.h"
#include "ui/panels/items_panel.h"
#include "ui/panels/panel_support.h"
#include "ui/panels/users_panel.h"

namespace reco::ui {

ReportDialog* MainWindow::reportDialog() const {
  return reportDialog_;
}

void MainWindow::openReportDialog() {
  if (reportDialog_) {
    reportDialog_->raise();
    reportDialog_->activateWindow();
    return;
  }
  // The report starts from the Compare screen's choices: a Compare not shown yet reads now.
  loadPanel(panels_->indexOf(compare_));
  const QStringList runs = compare_->finishedRunNames();
  if (workspacePath_.isEmpty() || runs.isEmpty()) {
    const QString why =
        workspacePath_.isEmpty()
            ? QStringLiteral("Open a workspace with trained runs first (File › Open workspace…).")
        : compare_->isBusy()
            ? QStringLiteral("The workspace's runs are still being read: try again in a moment.")
            : QStringLiteral(
                  "A report describes finished runs: train some in Experiments, then "
                  "choose their split in Compare.");
    showPlainWarning(this, QStringLiteral("Export report"), why);
    return;
  }
  ReportDialogSetup setup;
  setup.workspacePath = workspacePath_;
  setup.dataset = compare_->datasetName();
  setup.runs = runs;
  setup.checked = compare_->checkedRunNames();
  setup.baseline = compare_->baselineName();
  setup.k = compare_->k();
  // The chart metric may be a column name ("ndcg@10"); the report wants its family.
  setup.metric = compare_->chartMetric().section(QLatin1Char('@'), 0, 0);
  // The current user and item, when their screens show the same dataset.
  const auto sameDataset = [&](const std::optional<reco::DatasetInfo>& dataset) {
    return dataset && QString::fromStdString(dataset->name) == setup.dataset;
  };
  if (users_->selectedUser() && sameDataset(users_->currentDataset()) && !lastUserId_.isEmpty())
    setup.users << lastUserId_;
  if (items_->selectedItem() && sameDataset(items_->currentDataset()) && !lastItemId_.isEmpty())
    setup.items << lastItemId_;
  setup.gpu = computeDeviceText();
  setup.version = QStringLiteral(RECO_VERSION);
  setup.models = users_->modelCache();
  auto* dialog = new ReportDialog(setup, jobs_, this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  reportDialog_ = dialog;
  dialog->show();
  dialog->previewNow();
}

}  // namespace reco::ui
