// The Experiments panel's "Tune…" and "Studies…": the form, the study's window, the refresh
// of the runs table once a study's final runs are stored, and the stored studies' window
// (see experiments_panel.h).

#include <QItemSelectionModel>
#include <QTableView>

#include "ui/convert/qt_convert.h"
#include "ui/dialogs/studies_dialog.h"
#include "ui/dialogs/tune_dialog.h"
#include "ui/models/run_table_model.h"
#include "ui/panels/experiments_panel.h"
#include "ui/panels/tune_progress_view.h"
#include "ui/widgets/data_choice_box.h"
#include "ui/workers/job_tracker.h"

namespace reco::ui {

QString ExperimentsPanel::currentSplitLabel() const {
  const std::optional<reco::DatasetInfo> dataset = data_->currentDataset();
  const std::optional<reco::storage::SplitInfo> split = currentSplit();
  if (!dataset || !split) return {};
  return QStringLiteral("%1 / %2").arg(toQString(dataset->name), toQString(split->name));
}

void ExperimentsPanel::openTuneDialog() {
  TuneDialog dialog(currentSplitLabel(), currentSplit(), tuneView_ && tuneView_->isRunning(), this);
  // The study runs in the background; the form only collects it.
  if (dialog.exec() != QDialog::Accepted || !dialog.problem().isEmpty()) return;
  startStudy(dialog.studyOptions());
}

bool ExperimentsPanel::startStudy(const reco::StudyOptions& options) {
  const std::optional<reco::storage::SplitInfo> split = currentSplit();
  if (!split || path_.isEmpty()) return false;
  if (!tuneView_) {
    tuneView_ = new TuneProgressView(jobs_, this);
    connect(tuneView_, &TuneProgressView::studyEnded, this, [this](bool stored) {
      if (stored) showMessage(QString(), false);
      // A failed study may leave its failed final run stored; a cancelled one stored
      // nothing, but reading again costs little and keeps the table honest.
      reload();
      emit runsChanged();
      if (stored && studiesDialog_) studiesDialog_->reload();
    });
  }
  TuneRequest request;
  request.workspacePath = path_;
  request.split = *split;
  request.splitLabel = currentSplitLabel();
  request.options = options;
  tuneView_->start(std::move(request));
  return true;
}

void ExperimentsPanel::openStudiesDialog() {
  if (!studiesDialog_) studiesDialog_ = new StudiesDialog(jobs_, this);
  studiesDialog_->setWorkspace(path_);
  const QModelIndexList rows = table_->selectionModel()->selectedRows();
  if (!rows.isEmpty()) {
    const QVariant study = rows.front().data(RunTableModel::TuningStudyRole);
    if (study.isValid() && !study.toString().isEmpty())
      studiesDialog_->selectStudy(study.toString());
  }
  studiesDialog_->show();
  studiesDialog_->raise();
  studiesDialog_->activateWindow();
}

}  // namespace reco::ui
