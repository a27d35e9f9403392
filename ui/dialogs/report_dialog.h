#pragma once
/// File › Export report… (Ctrl+E): what goes into the stakeholder report, with a live
/// preview of its pages. Left, the choices: the runs of the split (checked: those the
/// Compare screen compares), the baseline, K (5, 10, 20 or 50: the cut-offs runs are
/// evaluated at), the headline metric, the users and items whose stories are told (ids as
/// the dataset has them, comma-separated), the parts (report::ReportParts), the paper, and
/// whether the tables are written as CSV too. Right, the preview (ReportPreview): the very
/// pages the PDF holds, rebuilt in the background 300 ms after the last change; a newer
/// build stops the older one and drops its result. Export… asks for a file; its suffix
/// chooses the format (.pdf a PDF, else HTML) and the report is built and written in the
/// background with progress; Cancel stops it (nothing is written) or, when nothing runs,
/// closes the dialog. Errors (an unknown user, a file that cannot be written) are shown in
/// place, never in a modal box. GUI thread only.

#include <QDateTime>
#include <QDialog>
#include <QStringList>
#include <memory>

#include "core/report/report_builder.h"
#include "ui/workers/report_job.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QTimer;

namespace reco::ui {

class JobTracker;
class ProgressTask;
class ReportPreview;
class RunModelCache;

/// What the window knows when the dialog opens.
struct ReportDialogSetup {
  QString workspacePath;
  QString dataset;      ///< the dataset's name (the default file name)
  QStringList runs;     ///< the finished runs of one split, in the Compare screen's order
  QStringList checked;  ///< those preselected (empty: all)
  QString baseline;     ///< empty: the first checked run
  int k = 10;
  QString metric = QStringLiteral("ndcg");
  QStringList users, items;  ///< the dataset's own ids
  QString gpu;               ///< the status bar's compute device line
  QString version;           ///< the workbench's version
  /// The panels' loaded models, which the report uses where they hold a run's (may be null).
  std::shared_ptr<RunModelCache> models;
};

class ReportDialog : public QDialog {
  Q_OBJECT

 public:
  /// `jobs` (may be null) shows the preview and export jobs in the status bar.
  ReportDialog(ReportDialogSetup setup, JobTracker* jobs, QWidget* parent = nullptr);
  ~ReportDialog() override;

  /// The options the form describes (runs in list order; users and items split at commas).
  reco::report::ReportOptions options() const;
  reco::report::PaperSize paper() const;

  /// The controls, for tests and automation. False when there is no such run or part
  /// (parts by ReportParts' names: "protocol", "comparison", "metricBars", …).
  bool setRunChecked(const QString& run, bool checked);
  bool setPartChecked(const QString& part, bool checked);
  void setUsers(const QString& commaSeparated);
  void setItems(const QString& commaSeparated);
  void setCsv(bool on);
  QStringList runNames() const;
  QStringList checkedRuns() const;

  /// Starts building the preview now (what the debounce timer does 300 ms after a change).
  void previewNow();
  /// The latest preview's result (document and pages), or null.
  const std::shared_ptr<const ReportResult>& previewResult() const { return preview_; }
  ReportPreview* preview() const { return previewView_; }
  bool isBuildingPreview() const;

  /// Exports to `path` in the background (what Export… does after the file dialog).
  void exportTo(const QString& path);
  bool isExporting() const;
  /// Stops a running export; returns false when none ran. Nothing is written unless the
  /// export had already passed its last stop check (exportStopped's status says which).
  bool cancelExport();

 signals:
  /// A preview of `pages` pages is on screen.
  void previewShown(int pages);
  /// The preview could not be built; `message` is shown in place.
  void previewFailed(const QString& message);
  /// An export ended: `ok` with the file written, or the error shown.
  void exportFinished(bool ok, const QString& message);
  /// A cancelled export has really ended in the background; the status says whether its
  /// file was written after all (the Cancel came after the export's last stop check).
  void exportStopped();

 public slots:
  /// Esc and Cancel: stop a running export, else close.
  void reject() override;

 private:
  QWidget* createChoices();
  QWidget* createParts();
  void schedulePreview();
  void onRunsChanged();
  void chooseExportFile();
  void updateButtons();
  void showProgress(const QString& stage, double fraction);
  void showStatus(const QString& text, bool isError);
  void onExportDropped();
  void showPreview(const std::shared_ptr<const ReportResult>& result,
                   const reco::report::ReportOptions& options);

  ReportDialogSetup setup_;
  JobTracker* jobs_;
  ProgressTask* previewTask_;
  ProgressTask* exportTask_;
  QTimer* debounce_;
  std::shared_ptr<const ReportResult> preview_;
  reco::report::ReportOptions previewOptions_;  ///< what preview_ was built from
  /// The running export also lays out the pages: it stopped the preview that would have built
  /// the same report beside it, and shows its pages when done (or restarts the preview).
  bool exportShowsPreview_ = false;
  bool filling_ = false;          ///< true while the form is filled programmatically
  QString exporting_;             ///< the file name of the latest export
  QString exportPath_;            ///< the latest export's target
  QDateTime exportTargetBefore_;  ///< its modification time before (invalid: no file)

  QListWidget* runs_;
  QComboBox* baseline_;
  QComboBox* k_;
  QComboBox* metric_;
  QLineEdit* users_;
  QLineEdit* items_;
  QList<QCheckBox*> parts_;
  QComboBox* paper_;
  QCheckBox* csv_;
  ReportPreview* previewView_;
  QProgressBar* progress_;
  QLabel* status_;
  QPushButton* exportButton_;
  QPushButton* cancelButton_;
};

}  // namespace reco::ui
