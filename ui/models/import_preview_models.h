#pragma once
/// The import wizard's two previews of the first rows of a file, as flat tables over
/// shared, immutable snapshots (reco::io::previewTable / previewRecords):
/// - TablePreviewModel: the file as it is, one column per field, headed by the column's
///   name and the role it is read as ("visitorid → user");
/// - RecordPreviewModel: the rows as the import reads them (line, user, item, time, event,
///   value) with what would happen to each: kept, or the reason it would be rejected.
/// GUI thread only.

#include <QAbstractTableModel>
#include <map>
#include <memory>
#include <string>

#include "core/io/format_detection.h"

namespace reco::ui {

using TablePreviewPtr = std::shared_ptr<const reco::io::TablePreview>;
using RecordPreviewPtr = std::shared_ptr<const reco::io::RecordPreview>;

class TablePreviewModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Role {
    ColumnRoleRole = Qt::UserRole + 1,  ///< header: the role a column is read as ("" if none)
  };

  explicit TablePreviewModel(QObject* parent = nullptr);

  /// Shows `table` (null: nothing) with `roles` (role -> 0-based column) in the header.
  void setPreview(TablePreviewPtr table, const std::map<std::string, int>& roles = {});
  const TablePreviewPtr& preview() const { return table_; }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  TablePreviewPtr table_;
  std::map<int, QString> roleOfColumn_;
};

class RecordPreviewModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column {
    LineColumn,
    UserColumn,
    ItemColumn,
    TimeColumn,
    EventColumn,
    ValueColumn,
    OutcomeColumn,
    ColumnCount
  };
  enum Role {
    KeptRole = Qt::UserRole + 1,  ///< bool: the row would be kept
  };

  explicit RecordPreviewModel(QObject* parent = nullptr);

  void setPreview(RecordPreviewPtr records);
  const RecordPreviewPtr& preview() const { return records_; }
  /// Rows of the preview that would be kept.
  int keptCount() const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  RecordPreviewPtr records_;
};

}  // namespace reco::ui
