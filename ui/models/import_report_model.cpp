#include "ui/models/import_report_model.h"

#include <QFileInfo>

#include "ui/convert/qt_convert.h"

namespace reco::ui {

ImportReportModel::ImportReportModel(QObject* parent) : QAbstractItemModel(parent) {}

void ImportReportModel::setReport(ImportReportPtr report) {
  beginResetModel();
  report_ = std::move(report);
  endResetModel();
}

QModelIndex ImportReportModel::index(int row, int column, const QModelIndex& parent) const {
  if (!hasIndex(row, column, parent)) return {};
  if (!parent.isValid()) return createIndex(row, column, quintptr(0));
  return createIndex(row, column, quintptr(parent.row() + 1));
}

QModelIndex ImportReportModel::parent(const QModelIndex& child) const {
  if (!child.isValid() || child.internalId() == 0) return {};
  return createIndex(int(child.internalId() - 1), 0, quintptr(0));
}

int ImportReportModel::rowCount(const QModelIndex& parent) const {
  if (!report_) return 0;
  if (!parent.isValid()) return int(report_->rejected.size());
  if (parent.internalId() != 0 || parent.column() != 0) return 0;  // examples have no children
  return int(report_->rejected[std::size_t(parent.row())].examples.size());
}

int ImportReportModel::columnCount(const QModelIndex&) const { return ColumnCount; }

QVariant ImportReportModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
  const bool isExample = index.internalId() != 0;
  const auto& reason = report_->rejected[std::size_t(isExample ? index.internalId() - 1 : index.row())];

  if (!isExample) {
    switch (role) {
      case Qt::DisplayRole:
        if (index.column() == ReasonColumn) return toQString(reason.reason);
        if (index.column() == RowsColumn) return formatCount(reason.count);
        if (index.column() == ExampleColumn && !reason.examples.empty()) {
          return reason.examples.size() == 1 ? QStringLiteral("first example below")
                                             : QStringLiteral("first %1 examples below").arg(reason.examples.size());
        }
        return {};
      case SortRole:
        if (index.column() == RowsColumn) return qlonglong(reason.count);
        return toQString(reason.reason);
      case Qt::TextAlignmentRole:
        return QVariant::fromValue((index.column() == RowsColumn ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter);
      default:
        return {};
    }
  }

  const auto& example = reason.examples[std::size_t(index.row())];
  const QString file = QFileInfo(toQString(example.file)).fileName();
  switch (role) {
    case Qt::DisplayRole:
      if (index.column() == ReasonColumn) {
        return file.isEmpty() ? QStringLiteral("line %1").arg(example.line)
                              : QStringLiteral("%1:%2").arg(file).arg(example.line);
      }
      if (index.column() == ExampleColumn) return toQString(example.text);
      return {};
    case SortRole:
      if (index.column() == ExampleColumn) return toQString(example.text);
      return qlonglong(example.line);
    case Qt::ToolTipRole:
      return QStringLiteral("%1, line %2\n%3").arg(toQString(example.file)).arg(example.line).arg(toQString(example.text));
    case Qt::TextAlignmentRole:
      return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
    default:
      return {};
  }
}

QVariant ImportReportModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation == Qt::Horizontal && section >= 0 && section < ColumnCount) {
    if (role == Qt::DisplayRole) {
      static const char* const kTitles[ColumnCount] = {"Reason / where", "Rows", "Example"};
      return QString::fromLatin1(kTitles[section]);
    }
    if (role == Qt::TextAlignmentRole) {
      return QVariant::fromValue((section == RowsColumn ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter);
    }
  }
  return QAbstractItemModel::headerData(section, orientation, role);
}

}  // namespace reco::ui
