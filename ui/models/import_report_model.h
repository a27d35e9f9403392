#pragma once
/// The rejected rows of an import as a two-level tree: one top-level row per reason
/// (reason, rows rejected) with its first examples as children (file:line, raw text).
/// Reads a shared, immutable report. GUI thread only.

#include <QAbstractItemModel>
#include <QStringList>
#include <memory>

#include "core/data/dataset_info.h"

namespace reco::ui {

using ImportReportPtr = std::shared_ptr<const reco::ImportReport>;

/// Rows of the report rejected or filtered, over all reasons.
std::int64_t rejectedRows(const reco::ImportReport& report);
/// Rows merged into other rows of the same user and item by the duplicates policy: what
/// the rows read leave after the kept and the rejected or filtered ones (0 without merging).
std::int64_t mergedRows(const reco::ImportReport& report);
/// One line whose figures add up to the rows read: "Read 541,909 rows · kept 266,221
/// (49.13%) · merged 130,116 duplicates into them · rejected or filtered 145,572 · took
/// 1.23 s" (the merge only when there was one, the time as stored). `rich` puts the
/// figures in <b>; the line holds no user text.
QString importReportSummary(const reco::ImportReport& report, bool rich);
/// The report's notes (k-core passes, duplicates merged) with their counts written as the
/// window writes counts (130116 -> 130,116); plain text.
QStringList importReportNotes(const reco::ImportReport& report);

class ImportReportModel : public QAbstractItemModel {
  Q_OBJECT

 public:
  enum Column { ReasonColumn, RowsColumn, ExampleColumn, ColumnCount };
  enum Role {
    SortRole = Qt::UserRole + 1,  ///< reason text, count (qlonglong) or line (qlonglong)
  };

  explicit ImportReportModel(QObject* parent = nullptr);

  void setReport(ImportReportPtr report);
  const ImportReportPtr& report() const { return report_; }

  QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
  QModelIndex parent(const QModelIndex& child) const override;
  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  // internalId() of an index: 0 for a reason, reason row + 1 for an example.
  ImportReportPtr report_;
};

}  // namespace reco::ui
