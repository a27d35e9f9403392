#pragma once
/// The workspace's datasets as a table: one row per dataset, one column per figure.
/// The model reads an immutable snapshot (shared with whoever loaded it) and never
/// touches the workspace. GUI thread only.

#include <QAbstractTableModel>
#include <memory>
#include <vector>

#include "core/data/dataset_info.h"

namespace reco::ui {

using DatasetList = std::shared_ptr<const std::vector<reco::DatasetInfo>>;

class DatasetTableModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column {
    NameColumn,
    FormatColumn,
    FeedbackColumn,
    UsersColumn,
    ItemsColumn,
    InteractionsColumn,
    DensityColumn,
    FirstDateColumn,
    LastDateColumn,
    ColumnCount
  };

  enum Role {
    /// The raw value to sort by: QString for text, qlonglong for counts and dates
    /// (Unix seconds; -1 for none), double for density.
    SortRole = Qt::UserRole + 1,
    /// The dataset's id (qlonglong), the same for every column of a row.
    DatasetIdRole,
  };

  explicit DatasetTableModel(QObject* parent = nullptr);

  /// Replaces the rows (a model reset). A null snapshot means "no datasets".
  void setDatasets(DatasetList datasets);
  const DatasetList& datasets() const { return datasets_; }
  /// The dataset of a source row, or null when row is out of range.
  const reco::DatasetInfo* datasetAt(int row) const;
  /// The source row of a dataset id, or -1.
  int rowOf(reco::DatasetId id) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;
  QHash<int, QByteArray> roleNames() const override;

 private:
  QVariant displayValue(const reco::DatasetInfo& info, int column) const;
  QVariant sortValue(const reco::DatasetInfo& info, int column) const;
  QString toolTip(const reco::DatasetInfo& info, int column) const;

  DatasetList datasets_;
};

}  // namespace reco::ui
