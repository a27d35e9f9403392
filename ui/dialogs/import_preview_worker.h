#pragma once
/// The import wizard's background reading before the import: the detected format with its
/// reason, and the preview of the first rows (as the file's columns, and as the real
/// reader parses them with the wizard's options). Each request runs in
/// QThreadPool::globalInstance() and reads only the start of the file; a newer request of
/// the same kind supersedes an older one, whose result is dropped. Failures arrive as
/// messages, never as exceptions. Lives on the GUI thread.

#include <QObject>
#include <QString>
#include <map>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>

#include "core/io/format_detection.h"
#include "core/io/import_options.h"

namespace reco::ui {

/// What the columns page shows: the raw table, where the readers find each role by
/// name, and the parsed rows, each with its own error (the table may be fine while the
/// column map is not).
struct ImportPreview {
  reco::io::TablePreview table;
  QString tableError;                      ///< why the file's rows could not be read; empty if fine
  std::map<std::string, int> rolesByName;  ///< columnRolesByName(table, format)
  reco::io::RecordPreview records;
  QString recordsError;  ///< why the reader refuses these options; empty if fine
};
using ImportPreviewPtr = std::shared_ptr<const ImportPreview>;

class ImportPreviewWorker : public QObject {
  Q_OBJECT

 public:
  ~ImportPreviewWorker() override;
  /// Rows read for a preview.
  static constexpr std::size_t kPreviewRows = 50;

  explicit ImportPreviewWorker(QObject* parent = nullptr);

  /// Starts detecting the format of `path`.
  void requestGuess(const QString& path);
  /// Starts reading the preview of `path` with `options` (options.format must be resolved,
  /// not Auto; delimiter and header as the options say, 0/nullopt: detected).
  void requestPreview(const QString& path, const reco::io::ImportOptions& options);
  /// Starts reading the whole of `path` for the range of its rows' times (a full read, in
  /// the background; a newer request or this object's end stops an older one at once).
  void requestTimeRange(const QString& path, const reco::io::ImportOptions& options);
  bool isGuessing() const { return wantedGuess_ != 0; }
  bool isPreviewing() const { return wantedPreview_ != 0; }

  /// A reader's message as the wizard says it: "--map user=COL" (the command line's words)
  /// becomes "a column chosen as user above".
  static QString inWizardWords(QString message);

  /// The work of the two requests, on the calling thread; never throw.
  static ImportPreview readPreview(const std::string& path, const reco::io::ImportOptions& options);

 signals:
  void guessReady(const QString& path, const reco::io::FormatGuess& guess);
  void guessFailed(const QString& path, const QString& message);
  void previewReady(reco::ui::ImportPreviewPtr preview);
  /// The first and last time (Unix seconds) of the file's rows; not emitted when no row
  /// has a time or the file cannot be read (the preview says why).
  void timeRangeReady(const QString& path, qint64 first, qint64 last);

 private:
  int generation_ = 0;
  int wantedGuess_ = 0;
  int wantedPreview_ = 0;
  int wantedRange_ = 0;
  std::shared_ptr<std::stop_source> rangeStop_;  ///< stops the running range scan
};

}  // namespace reco::ui

Q_DECLARE_METATYPE(reco::io::FormatGuess)
Q_DECLARE_METATYPE(reco::ui::ImportPreviewPtr)
