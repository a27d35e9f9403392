#pragma once
/// The import wizard of the Datasets screen: file and dataset name, the
/// detected format (with the reason, and an override), the column map with a live preview
/// of the first rows, the importer's options, the import itself in the background with a
/// progress bar and Cancel, and the report of rows read, kept and rejected by reason.
///
/// The pages only gather a reco::io::ImportOptions (options()); the import is one call to
/// ImportJob::start(workspace(), sourcePath(), options()) (ui/workers/import_job.h), which
/// is also what a test or any other caller uses without the wizard. It is not modal: the
/// window stays usable while a file imports. imported() fires as soon as the dataset is in
/// the workspace, before the user reads the report. Closing it while an import runs cancels
/// the import and closes once the import has rolled back (nothing waits on the GUI
/// thread). GUI thread only.

#include <QStringList>
#include <QWizard>

#include "core/data/dataset_info.h"
#include "core/io/import_options.h"

namespace reco::ui {

class ImportColumnsPage;
class ImportFilePage;
class ImportFormatPage;
class ImportJob;
class ImportOptionsPage;
class ImportPreviewWorker;
class ImportResultPage;
class ImportRunPage;
class JobTracker;

class ImportWizard : public QWizard {
  Q_OBJECT

 public:
  enum PageId { FilePageId, FormatPageId, ColumnsPageId, OptionsPageId, RunPageId, ResultPageId };

  /// Imports into the existing workspace at `workspace`; `datasetNames` are the names in
  /// use there (the default name avoids them); `jobs` (may be null) shows the import in the
  /// status bar.
  ImportWizard(const QString& workspace, const QStringList& datasetNames, JobTracker* jobs,
               QWidget* parent = nullptr);
  ~ImportWizard() override;

  const QString& workspace() const { return workspace_; }
  /// The file (or MovieLens folder) to import, from the first page.
  QString sourcePath() const;
  /// Sets the first page's file (and, unless edited, the dataset name); for the panel's
  /// drag and drop and for tests.
  void setSourcePath(const QString& path);
  /// The format chosen on the second page: the detected one unless overridden; Auto
  /// before detection finished.
  reco::io::Format format() const;
  /// Everything the pages gathered, ready for ImportJob::start().
  reco::io::ImportOptions options() const;

  ImportJob* job() const { return job_; }
  ImportFilePage* filePage() const { return filePage_; }
  ImportFormatPage* formatPage() const { return formatPage_; }
  ImportColumnsPage* columnsPage() const { return columnsPage_; }
  ImportOptionsPage* optionsPage() const { return optionsPage_; }
  ImportRunPage* runPage() const { return runPage_; }
  ImportResultPage* resultPage() const { return resultPage_; }

 signals:
  /// The dataset was imported and committed.
  void imported(const reco::DatasetInfo& dataset);

 public slots:
  /// Cancels a running import first and closes once it has rolled back.
  void reject() override;

 private:
  QString workspace_;
  ImportJob* job_;
  ImportPreviewWorker* previewer_;
  ImportFilePage* filePage_;
  ImportFormatPage* formatPage_;
  ImportColumnsPage* columnsPage_;
  ImportOptionsPage* optionsPage_;
  ImportRunPage* runPage_;
  ImportResultPage* resultPage_;
  bool closeWhenStopped_ = false;
};

}  // namespace reco::ui
