#include "ui/dialogs/import_preview_worker.h"

#include <QFutureWatcher>
#include <QRegularExpression>

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

QString ImportPreviewWorker::inWizardWords(QString message) {
  // The readers speak to the command line ("--map user=COL"); here the columns are chosen
  // in the boxes of the Columns page.
  if (message.contains(QStringLiteral("needs both user and item in the column map")))
    return QStringLiteral(
        "Choose which column holds the user and which holds the item (the User and Item boxes "
        "above).");
  message.replace(QRegularExpression(QStringLiteral("\\(--map ([a-z]+)=COL,([a-z]+)=COL\\)")),
                  QStringLiteral("(choose the \\1 and the \\2 columns above)"));
  message.replace(
      QRegularExpression(QStringLiteral("--map ([a-z]+)=COL with a 0-based column number")),
      QStringLiteral("a column chosen as \\1 above"));
  message.replace(QRegularExpression(QStringLiteral("--map ([a-z]+)=COL")),
                  QStringLiteral("a column chosen as \\1 above"));
  message.replace(QStringLiteral(" (--items PATH)"), QString());
  return message;
}

ImportPreviewWorker::ImportPreviewWorker(QObject* parent) : QObject(parent) {
  qRegisterMetaType<reco::io::FormatGuess>();
  qRegisterMetaType<reco::ui::ImportPreviewPtr>();
}

ImportPreview ImportPreviewWorker::readPreview(const std::string& path,
                                               const reco::io::ImportOptions& options) {
  ImportPreview preview;
  try {
    preview.table = reco::io::previewTable(path, options.delimiter, options.header, kPreviewRows);
    preview.rolesByName = reco::io::columnRolesByName(preview.table, options.format);
  } catch (...) {
    preview.tableError = inWizardWords(WorkspaceLoader::describeError(std::current_exception()));
  }
  try {
    preview.records = reco::io::previewRecords(path, options, kPreviewRows);
  } catch (...) {
    preview.recordsError = inWizardWords(WorkspaceLoader::describeError(std::current_exception()));
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

void ImportPreviewWorker::requestPreview(const QString& path,
                                         const reco::io::ImportOptions& options) {
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

ImportPreviewWorker::~ImportPreviewWorker() {
  if (rangeStop_) rangeStop_->request_stop();
}

void ImportPreviewWorker::requestTimeRange(const QString& path,
                                           const reco::io::ImportOptions& options) {
  if (rangeStop_) rangeStop_->request_stop();
  rangeStop_ = std::make_shared<std::stop_source>();
  const int generation = ++generation_;
  wantedRange_ = generation;
  using Range = std::optional<reco::io::TimeRange>;
  auto* watcher = new QFutureWatcher<Range>(this);
  connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation, path] {
    watcher->deleteLater();
    if (wantedRange_ != generation) return;
    wantedRange_ = 0;
    if (const Range range = watcher->result())
      emit timeRangeReady(path, qint64(range->first), qint64(range->last));
  });
  watcher->setFuture(
      QtConcurrent::run([file = toStdString(path), options, stop = rangeStop_]() -> Range {
        try {
          return reco::io::scanTimeRange(file, options, stop->get_token());
        } catch (...) {
          return std::nullopt;  // the preview reports what is wrong with the file
        }
      }));
}

}  // namespace reco::ui
