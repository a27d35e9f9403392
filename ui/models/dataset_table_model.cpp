#include "ui/models/dataset_table_model.h"

#include "ui/convert/qt_convert.h"

namespace reco::ui {

DatasetTableModel::DatasetTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void DatasetTableModel::setDatasets(DatasetList datasets) {
  beginResetModel();
  datasets_ = std::move(datasets);
  endResetModel();
}

const reco::DatasetInfo* DatasetTableModel::datasetAt(int row) const {
  if (!datasets_ || row < 0 || row >= int(datasets_->size())) return nullptr;
  return &(*datasets_)[std::size_t(row)];
}

int DatasetTableModel::rowOf(reco::DatasetId id) const {
  if (!datasets_) return -1;
  for (std::size_t row = 0; row < datasets_->size(); ++row) {
    if ((*datasets_)[row].id == id) return int(row);
  }
  return -1;
}

int DatasetTableModel::rowCount(const QModelIndex& parent) const {
  if (parent.isValid() || !datasets_) return 0;
  return int(datasets_->size());
}

int DatasetTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant DatasetTableModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
    return {};
  const reco::DatasetInfo* info = datasetAt(index.row());
  if (!info) return {};
  const int column = index.column();
  switch (role) {
    case Qt::DisplayRole: return displayValue(*info, column);
    case SortRole: return sortValue(*info, column);
    case DatasetIdRole: return qlonglong(info->id);
    case Qt::ToolTipRole:
      return plainToolTip(toolTip(*info, column));  // names and sources are the user's text
    case Qt::TextAlignmentRole:
      if (column >= UsersColumn && column <= DensityColumn) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
      }
      return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
    default: return {};
  }
}

QVariant DatasetTableModel::displayValue(const reco::DatasetInfo& info, int column) const {
  switch (column) {
    case NameColumn: return toQString(info.name);
    case FormatColumn: return toQString(info.format);
    case FeedbackColumn: return toQString(info.feedback);
    case UsersColumn: return formatCount(info.users);
    case ItemsColumn: return formatCount(info.items);
    case InteractionsColumn: return formatCount(info.interactions);
    case DensityColumn: return formatPercent(info.density());
    case FirstDateColumn: return formatDate(info.firstTime);
    case LastDateColumn: return formatDate(info.lastTime);
    default: return {};
  }
}

QVariant DatasetTableModel::sortValue(const reco::DatasetInfo& info, int column) const {
  switch (column) {
    case NameColumn: return toQString(info.name);
    case FormatColumn: return toQString(info.format);
    case FeedbackColumn: return toQString(info.feedback);
    case UsersColumn: return qlonglong(info.users);
    case ItemsColumn: return qlonglong(info.items);
    case InteractionsColumn: return qlonglong(info.interactions);
    case DensityColumn: return info.density();
    case FirstDateColumn: return qlonglong(info.firstTime.value_or(-1));
    case LastDateColumn: return qlonglong(info.lastTime.value_or(-1));
    default: return {};
  }
}

QString DatasetTableModel::toolTip(const reco::DatasetInfo& info, int column) const {
  switch (column) {
    case NameColumn:
      return QStringLiteral("%1\nSource: %2\nImported: %3\nContent hash: %4")
          .arg(toQString(info.name), toQString(info.source), formatDateTime(info.createdAt),
               toQString(info.contentHash));
    case FormatColumn: return QStringLiteral("Importer format: %1").arg(toQString(info.format));
    case FeedbackColumn:
      return QStringLiteral("What an interaction's value means: %1").arg(toQString(info.feedback));
    case UsersColumn: return QStringLiteral("Users with at least one interaction");
    case ItemsColumn: return QStringLiteral("Items with at least one interaction");
    case InteractionsColumn: return QStringLiteral("Interactions kept by the import");
    case DensityColumn:
      return QStringLiteral("interactions / (users × items) = %1")
          .arg(formatPercent(info.density()));
    case FirstDateColumn: return formatDateTime(info.firstTime);
    case LastDateColumn: return formatDateTime(info.lastTime);
    default: return {};
  }
}

QVariant DatasetTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount) {
    return QAbstractTableModel::headerData(section, orientation, role);
  }
  if (role == Qt::DisplayRole) {
    static const char* const kTitles[ColumnCount] = {
        "Name", "Format", "Feedback", "Users", "Items", "Interactions", "Density", "First", "Last"};
    return QString::fromLatin1(kTitles[section]);
  }
  if (role == Qt::TextAlignmentRole) {
    return QVariant::fromValue(
        (section >= UsersColumn && section <= DensityColumn ? Qt::AlignRight : Qt::AlignLeft) |
        Qt::AlignVCenter);
  }
  if (role == Qt::ToolTipRole) {
    switch (section) {
      case FirstDateColumn: return QStringLiteral("Date of the earliest interaction (UTC)");
      case LastDateColumn: return QStringLiteral("Date of the latest interaction (UTC)");
      case DensityColumn: return QStringLiteral("interactions / (users × items)");
      default: return {};
    }
  }
  return {};
}

QHash<int, QByteArray> DatasetTableModel::roleNames() const {
  QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
  names.insert(SortRole, "sortValue");
  names.insert(DatasetIdRole, "datasetId");
  return names;
}

}  // namespace reco::ui
