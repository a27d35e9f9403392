#pragma once
/// The rejected rows of an import as a two-level tree: one top-level row per reason
/// (reason, rows rejected) with its first examples as children (file:line, raw text).
/// Reads a shared, immutable report. GUI thread only.

#include <QAbstractItemModel>

#include <memory>

#include "core/data/dataset_info.h"

namespace reco::ui {

using ImportReportPtr = std::shared_ptr<const reco::ImportReport>;

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
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  // internalId() of an index: 0 for a reason, reason row + 1 for an example.
  ImportReportPtr report_;
};

}  // namespace reco::ui
