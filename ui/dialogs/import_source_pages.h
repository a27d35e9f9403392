#pragma once
/// The import wizard's first two pages: the file with the new dataset's name (and an
/// optional item catalogue), and the detected format with the reason and an override.
/// GUI thread only.

#include <QStringList>
#include <QWizardPage>
#include <optional>

#include "core/io/format_detection.h"
#include "core/io/import_options.h"

class QComboBox;
class QLabel;
class QLineEdit;

namespace reco::ui {

class ImportPreviewWorker;

class ImportFilePage : public QWizardPage {
  Q_OBJECT

 public:
  ImportFilePage(const QStringList& takenNames, QWidget* parent = nullptr);

  QString sourcePath() const;
  /// Sets the file; the name follows it until the user edits the name.
  void setSourcePath(const QString& path);
  QString datasetName() const;
  QString itemsPath() const;
  bool isComplete() const override;

  /// The name the core would give `path` (the folder for MovieLens' u.data and
  /// ratings.dat, else the file name without its last extension), made unique against
  /// `taken` with -2, -3, ... as the workspace does.
  static QString defaultDatasetName(const QString& path, const QStringList& taken);

 private:
  /// Where the Browse dialogs start (never the process's working directory).
  QString browseFolder() const;
  void browseSource();
  void browseItems();
  void validate();

  QStringList takenNames_;
  QLineEdit* source_;
  QLineEdit* name_;
  QLineEdit* items_;
  QLabel* problem_;
  bool nameEdited_ = false;
  bool settingName_ = false;
};

class ImportFormatPage : public QWizardPage {
  Q_OBJECT

 public:
  ImportFormatPage(ImportPreviewWorker* previewer, QWidget* parent = nullptr);

  void initializePage() override;
  bool isComplete() const override;

  /// The format to read: the chosen override, else the detected one; Auto until detected.
  reco::io::Format format() const;
  /// Chooses a format (Auto: the detected one).
  void setFormat(reco::io::Format format);
  const std::optional<reco::io::FormatGuess>& guess() const { return guess_; }

 signals:
  /// The detection finished (or failed) and the page shows its result.
  void detectionShown();

 private:
  void showChoice();

  ImportPreviewWorker* previewer_;
  QString detectedPath_;  // the path the guess is for
  std::optional<reco::io::FormatGuess> guess_;
  bool failed_ = false;
  QLabel* detected_;
  QLabel* reason_;
  QComboBox* choice_;
  QLabel* choiceHelp_;
};

}  // namespace reco::ui
