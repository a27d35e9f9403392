#include "ui/dialogs/import_preview_worker.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

#include "ui/convert/qt_convert.h"
#include "ui/workers/workspace_loader.h"

namespace reco::ui {

namespace {

/// A guess, or the message of the error that stopped it.
struct GuessOutcome {
  reco::io::FormatGuess guess;
  QString error;
};

}  // namespace

ImportPreviewWorker::ImportPreviewWorker(QObject* parent) : QObject(parent) {
  qRegisterMetaType<reco::io::FormatGuess>();
  qRegisterMetaType<reco::ui::ImportPreviewPtr>();
}

ImportPreview ImportPreviewWorker::readPreview(const std::string& path, const reco::io::ImportOptions& options) {
  ImportPreview preview;
  try {
    preview.table = reco::io::previewTable(path, options.delimiter, options.header, kPreviewRows);
    preview.rolesByName = reco::io::columnRolesByName(preview.table, options.format);
  } catch (...) {
    preview.tableError = WorkspaceLoader::describeError(std::current_exception());
  }
  try {
    preview.records = reco::io::previewRecords(path, options, kPreviewRows);
  } catch (...) {
    preview.recordsError = WorkspaceLoader::describeError(std::current_exception());
  }
  return preview;
}

void ImportPreviewWorker::requestGuess(const QString& path) {
  const int generation = ++generation_;
  wantedGuess_ = generation;
  auto* watcher = new QFutureWatcher<GuessOutcome>(this);
  connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation, path] {
    watcher->deleteLater();
    if (wantedGuess_ != generation) return;
    wantedGuess_ = 0;
    const GuessOutcome outcome = watcher->result();
    if (outcome.error.isEmpty()) {
      emit guessReady(path, outcome.guess);
    } else {
      emit guessFailed(path, outcome.error);
    }
  });
  watcher->setFuture(QtConcurrent::run([file = toStdString(path)] {
    GuessOutcome outcome;
    try {
      outcome.guess = reco::io::guessFormat(file);
    } catch (...) {
      outcome.error = WorkspaceLoader::describeError(std::current_exception());
    }
    return outcome;
  }));
}

void ImportPreviewWorker::requestPreview(const QString& path, const reco::io::ImportOptions& options) {
  const int generation = ++generation_;
  wantedPreview_ = generation;
  auto* watcher = new QFutureWatcher<ImportPreviewPtr>(this);
  connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
    watcher->deleteLater();
    if (wantedPreview_ != generation) return;
    wantedPreview_ = 0;
    emit previewReady(watcher->result());
  });
  watcher->setFuture(QtConcurrent::run([file = toStdString(path), options]() -> ImportPreviewPtr {
    return std::make_shared<const ImportPreview>(readPreview(file, options));
  }));
}

}  // namespace reco::ui
