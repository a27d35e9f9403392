#pragma once
/// The import wizard's column map: the delimiter, whether the first line is a header, and
/// which column is the user, the item, the time, the rating, the event and the quantity,
/// with two live previews of the first rows (the file's columns, and the rows as the real
/// reader parses them with these choices, each marked kept or rejected). The previews are
/// read in the background, a short moment after the last change. For MovieLens and
/// Online Retail, whose columns are fixed, only the previews are shown. GUI thread only.

#include <QWizardPage>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "core/io/import_options.h"
#include "ui/dialogs/import_preview_worker.h"

class QComboBox;
class QLabel;
class QTableView;
class QTimer;

namespace reco::ui {

class RecordPreviewModel;
class TablePreviewModel;

class ImportColumnsPage : public QWizardPage {
  Q_OBJECT

 public:
  /// The roles a column can be read as, in the order of the page's choosers.
  static constexpr const char* kRoles[] = {"user", "item", "time", "rating", "event", "quantity"};
  static constexpr int kRoleCount = 6;

  ImportColumnsPage(ImportPreviewWorker* previewer, QWidget* parent = nullptr);

  void initializePage() override;
  bool isComplete() const override;

  /// Writes the delimiter, header and column map chosen here into `options`.
  void apply(reco::io::ImportOptions& options) const;

  /// For tests and scripted use: the delimiter (0: detect), and the column of a role
  /// (-1: not read); both refresh the preview.
  void setDelimiter(char delimiter);
  void setColumn(const std::string& role, int column);
  /// The column a role is read from, -1 when none.
  int column(const std::string& role) const;

  TablePreviewModel* tableModel() const { return tableModel_; }
  RecordPreviewModel* recordModel() const { return recordModel_; }
  /// Why the preview could not be read with the current choices; empty when it could.
  QString previewError() const;
  /// The preview shown (null before the first): its feedback and first rows' times tell
  /// the options page which options apply.
  const ImportPreviewPtr& shownPreview() const { return shown_; }
  /// The first and last time of the whole file's rows (Unix seconds), once read in the
  /// background after the preview; nullopt before, or when the rows have no times.
  std::optional<std::pair<qint64, qint64>> fileTimeRange() const { return timeRange_; }

 signals:
  /// fileTimeRange() is known.
  void fileTimeRangeKnown();
  /// A preview for the current choices is shown.
  void previewShown();

 private:
  bool fixedColumns() const;
  void schedulePreview();
  void requestPreview();
  void showPreview(const ImportPreviewPtr& preview);
  void fillColumnChoices(const reco::io::TablePreview& table,
                         const std::map<std::string, int>& roles);

  ImportPreviewWorker* previewer_;
  QWidget* choices_;  // delimiter, header and roles; hidden for fixed formats
  QComboBox* delimiter_;
  QComboBox* header_;
  QComboBox* roles_[kRoleCount];
  QLabel* fixedNote_;
  QLabel* status_;
  QTableView* tableView_;
  QTableView* recordView_;
  TablePreviewModel* tableModel_;
  RecordPreviewModel* recordModel_;
  QTimer* debounce_;
  ImportPreviewPtr shown_;
  std::optional<std::pair<qint64, qint64>> timeRange_;
  QString timeRangeRequestedFor_;     ///< the path and options the range is read for
  std::string sourceKey_;             // the file and format the choices are for
  reco::io::ColumnMap requestedMap_;  // the map of the preview being read
  std::string columnsKey_;  // the columns the choosers list, to keep choices across previews
  bool userChoseColumns_ = false;
  bool fillingChoices_ = false;
  bool upToDate_ = false;  // the preview shown is of the current choices
};

}  // namespace reco::ui
