#include "ui/models/import_preview_models.h"

#include <QBrush>
#include <QColor>

#include "ui/convert/qt_convert.h"

namespace reco::ui {

namespace {

const QColor kRejectedColor(0x9a, 0x2f, 0x2f);
const QColor kMappedHeaderColor(0x1d, 0x3f, 0x66);

QString valueName(reco::io::Feedback feedback) {
  switch (feedback) {
    case reco::io::Feedback::Rating: return QStringLiteral("Rating");
    case reco::io::Feedback::Quantity: return QStringLiteral("Quantity");
    case reco::io::Feedback::Event: return QStringLiteral("Weight");
    case reco::io::Feedback::Binary: break;
  }
  return QStringLiteral("Value");
}

}  // namespace

// ---------------------------------------------------------------------------------------

TablePreviewModel::TablePreviewModel(QObject* parent) : QAbstractTableModel(parent) {}

void TablePreviewModel::setPreview(TablePreviewPtr table, const std::map<std::string, int>& roles) {
  beginResetModel();
  table_ = std::move(table);
  roleOfColumn_.clear();
  for (const auto& [role, column] : roles) {
    QString& text = roleOfColumn_[column];
    text += (text.isEmpty() ? QString() : QStringLiteral(", ")) + toQString(role);
  }
  endResetModel();
}

int TablePreviewModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() || !table_ ? 0 : int(table_->rows.size());
}

int TablePreviewModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() || !table_ ? 0 : int(table_->columns.size());
}

QVariant TablePreviewModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
  const auto& row = table_->rows[std::size_t(index.row())];
  const auto column = std::size_t(index.column());
  switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
      // A ragged row has fewer fields than the widest one.
      return column < row.size() ? toQString(row[column]) : QVariant();
    default: return {};
  }
}

QVariant TablePreviewModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (!table_ || section < 0) return {};
  if (orientation == Qt::Vertical) {
    if (section >= int(table_->lines.size())) return {};
    if (role == Qt::DisplayRole) return qulonglong(table_->lines[std::size_t(section)]);
    if (role == Qt::ToolTipRole)
      return QStringLiteral("line %1 of the file").arg(table_->lines[std::size_t(section)]);
    return {};
  }
  if (section >= int(table_->columns.size())) return {};
  const auto found = roleOfColumn_.find(section);
  const QString mapped = found == roleOfColumn_.end() ? QString() : found->second;
  const QString name = toQString(table_->columns[std::size_t(section)]);
  switch (role) {
    case Qt::DisplayRole:
      return mapped.isEmpty() ? name : QStringLiteral("%1 → %2").arg(name, mapped);
    case ColumnRoleRole: return mapped;
    case Qt::ToolTipRole:
      return plainToolTip(
          mapped.isEmpty()
              ? QStringLiteral("Column %1 (%2): not read").arg(section).arg(name)
              : QStringLiteral("Column %1 (%2) is read as the %3").arg(section).arg(name, mapped));
    case Qt::ForegroundRole: return mapped.isEmpty() ? QVariant() : QBrush(kMappedHeaderColor);
    default: return {};
  }
}

// ---------------------------------------------------------------------------------------

RecordPreviewModel::RecordPreviewModel(QObject* parent) : QAbstractTableModel(parent) {}

void RecordPreviewModel::setPreview(RecordPreviewPtr records) {
  beginResetModel();
  records_ = std::move(records);
  endResetModel();
}

int RecordPreviewModel::keptCount() const {
  if (!records_) return 0;
  int kept = 0;
  for (const auto& record : records_->records) kept += record.status.empty() ? 1 : 0;
  return kept;
}

int RecordPreviewModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() || !records_ ? 0 : int(records_->records.size());
}

int RecordPreviewModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant RecordPreviewModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
  const reco::io::PreviewRecord& record = records_->records[std::size_t(index.row())];
  const bool kept = record.status.empty();
  // A row the reader rejected has no fields, only its text.
  const bool parsed = kept || record.text.empty();
  switch (role) {
    case Qt::DisplayRole:
      switch (index.column()) {
        case LineColumn: return qulonglong(record.line);
        case UserColumn: return parsed ? toQString(record.user) : QVariant();
        case ItemColumn: return parsed ? toQString(record.item) : QVariant();
        case TimeColumn:
          return parsed && record.time != reco::io::kNoTime ? formatDateTime(record.time)
                                                            : QVariant();
        case EventColumn: return parsed ? toQString(record.event) : QVariant();
        case ValueColumn: return parsed ? QVariant(record.value) : QVariant();
        case OutcomeColumn:
          return kept ? QStringLiteral("kept")
                      : QStringLiteral("rejected: %1").arg(toQString(record.status));
        default: return {};
      }
    case Qt::ToolTipRole:
      if (!record.text.empty())
        return plainToolTip(
            QStringLiteral("Line %1: %2").arg(record.line).arg(toQString(record.text)));
      return {};
    case Qt::ForegroundRole: return kept ? QVariant() : QBrush(kRejectedColor);
    case Qt::TextAlignmentRole:
      return QVariant::fromValue((index.column() == LineColumn || index.column() == ValueColumn
                                      ? Qt::AlignRight
                                      : Qt::AlignLeft) |
                                 Qt::AlignVCenter);
    case KeptRole: return kept;
    default: return {};
  }
}

QVariant RecordPreviewModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount) return {};
  if (role == Qt::DisplayRole) {
    switch (section) {
      case LineColumn: return QStringLiteral("Line");
      case UserColumn: return QStringLiteral("User");
      case ItemColumn: return QStringLiteral("Item");
      case TimeColumn: return QStringLiteral("Time (UTC)");
      case EventColumn: return QStringLiteral("Event");
      case ValueColumn: return records_ ? valueName(records_->feedback) : QStringLiteral("Value");
      case OutcomeColumn: return QStringLiteral("Outcome");
      default: return {};
    }
  }
  if (role == Qt::ToolTipRole) {
    switch (section) {
      case LineColumn: return QStringLiteral("The row's line in the file");
      case TimeColumn:
        return QStringLiteral(
            "The time read from the row, shown in UTC (times without a zone are taken as UTC)");
      case ValueColumn:
        return QStringLiteral(
            "The value stored: the rating, the quantity, or the event's weight (1 when the file "
            "has none)");
      case OutcomeColumn:
        return QStringLiteral(
            "What the import would do with the row: keep it, or reject it for the reason shown");
      default: return {};
    }
  }
  return {};
}

}  // namespace reco::ui
