#pragma once
/// The import wizard's last two pages: the import running in the background (progress
/// bar, stage, Cancel; a failure shown in place with the core's FILE:LINE:COLUMN
/// message), and the report of the finished import (rows read and kept, the rejected rows
/// by reason with their first examples). GUI thread only.

#include <QWizardPage>

#include "ui/workers/import_job.h"

class QLabel;
class QProgressBar;
class QPushButton;
class QTreeView;
class QVBoxLayout;

namespace reco::ui {

class ImportReportModel;

class ImportRunPage : public QWizardPage {
  Q_OBJECT

 public:
  explicit ImportRunPage(ImportJob* job, QWidget* parent = nullptr);

  /// Starts the import with the wizard's options.
  void initializePage() override;
  /// Back stays possible after a failure or a cancel, to change the options.
  void cleanupPage() override;
  bool isComplete() const override;
  /// The message shown (stage, error or cancellation).
  QString message() const;

 private:
  void onProgress(const QString& stage, double fraction);
  void onFinished(const ImportJobResultPtr& result);

  ImportJob* job_;
  QLabel* summary_;
  QLabel* stage_;
  QProgressBar* progress_;
  QPushButton* cancel_;
  QLabel* message_;
  bool completed_ = false;
  bool startPending_ = false;  // start once the previous import has stopped
};

class ImportResultPage : public QWizardPage {
  Q_OBJECT

 public:
  explicit ImportResultPage(QWidget* parent = nullptr);

  /// Shows the report of a completed import.
  void showResult(const ImportJobResultPtr& result);
  ImportReportModel* reportModel() const { return report_; }
  QString summary() const;

 private:
  QLabel* summary_;
  QLabel* counts_;
  ImportReportModel* report_;
  QTreeView* reportView_;
  QLabel* notes_;
  QVBoxLayout* layout_ = nullptr;
};

}  // namespace reco::ui
