#include "ui/models/user_history_model.h"

#include <QBrush>
#include <QColor>

#include "ui/convert/qt_convert.h"

namespace reco::ui {

namespace {
const QColor kTestBackground(0xfd, 0xf1, 0xd6);
const QColor kValidBackground(0xe8, 0xf1, 0xfb);
}  // namespace

UserHistoryModel::UserHistoryModel(QObject* parent) : QAbstractTableModel(parent) {}

void UserHistoryModel::setProfile(UserProfilePtr profile) {
  beginResetModel();
  profile_ = std::move(profile);
  endResetModel();
}

int UserHistoryModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() || !profile_ ? 0 : int(profile_->history.entries.size());
}

int UserHistoryModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QString UserHistoryModel::partName(int part) {
  switch (part) {
    case 0: return QStringLiteral("train");
    case 1: return QStringLiteral("validation");
    case 2: return QStringLiteral("test");
    default: return {};
  }
}

int UserHistoryModel::partOf(std::int32_t item) const {
  const auto it = profile_->parts.find(item);
  return it == profile_->parts.end() ? -1 : it->second;
}

QVariant UserHistoryModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
    return {};
  const auto& entry = profile_->history.entries[std::size_t(index.row())];
  const int column = index.column();
  switch (role) {
    case Qt::DisplayRole: return display(entry, column);
    case SortRole: return sortValue(entry, index.row(), column);
    case ItemIndexRole: return entry.item.item;
    case Qt::ToolTipRole:
      if (column == TitleColumn)
        return QStringLiteral("%1\nItem id: %2")
            .arg(display(entry, column).toString(), toQString(entry.item.externalId));
      if (column == PartColumn)
        return QStringLiteral(
                   "Where split '%1' put this pair: train (the models saw it), validation, or test "
                   "(held out: a model that recommends it found a real future purchase)")
            .arg(toQString(profile_->splitName));
      if (column == TimeColumn) return formatDateTime(entry.time);
      if (column == EventColumn || column == ValueColumn)
        return QStringLiteral("Value %1 (%2)")
            .arg(formatStatistic(entry.value), toQString(profile_->history.feedback));
      return {};
    case Qt::BackgroundRole: {
      const int part = partOf(entry.item.item);
      if (part == 2) return QBrush(kTestBackground);
      if (part == 1) return QBrush(kValidBackground);
      return {};
    }
    case Qt::TextAlignmentRole:
      return QVariant::fromValue(
          (column == PriceColumn || column == ValueColumn ? Qt::AlignRight : Qt::AlignLeft) |
          Qt::AlignVCenter);
    default: return {};
  }
}

QVariant UserHistoryModel::display(const reco::storage::HistoryEntry& entry, int column) const {
  switch (column) {
    case TimeColumn:
      return entry.time ? toDateTime(*entry.time).toString(QStringLiteral("yyyy-MM-dd HH:mm"))
                        : QStringLiteral("–");
    case TitleColumn:
      return entry.item.title.empty()
                 ? QStringLiteral("item %1").arg(toQString(entry.item.externalId))
                 : toQString(entry.item.title);
    case CategoryColumn:
      return entry.item.category.empty() ? QStringLiteral("–") : toQString(entry.item.category);
    case PriceColumn:
      return entry.item.price ? formatNumber(*entry.item.price, 2) : QStringLiteral("–");
    case EventColumn: {
      // The value where it says something the name does not: a rating, a quantity.
      const std::string& feedback = profile_->history.feedback;
      if (!entry.event.empty()) return toQString(entry.event);
      if (feedback == "rating")
        return QStringLiteral("rating %1").arg(formatStatistic(entry.value));
      if (feedback == "quantity")
        return QStringLiteral("purchase ×%1").arg(formatStatistic(entry.value));
      return QStringLiteral("interaction");
    }
    case ValueColumn: return formatStatistic(entry.value);
    case PartColumn: {
      const QString name = partName(partOf(entry.item.item));
      return name.isEmpty() ? QStringLiteral("–") : name;
    }
    default: return {};
  }
}

QVariant UserHistoryModel::sortValue(const reco::storage::HistoryEntry& entry, int row,
                                     int column) const {
  switch (column) {
    // Rows are chronological, so the row number orders equal and missing times.
    case TimeColumn: return qlonglong(row);
    case PriceColumn: return entry.item.price ? *entry.item.price : -1.0;
    case ValueColumn: return entry.value;
    case PartColumn: return partOf(entry.item.item);
    default: return display(entry, column);
  }
}

QVariant UserHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
    return QAbstractTableModel::headerData(section, orientation, role);
  if (role == Qt::DisplayRole) {
    static const char* const kTitles[ColumnCount] = {"Time (UTC)", "Item",  "Category",  "Price",
                                                     "Event",      "Value", "Split part"};
    return QString::fromLatin1(kTitles[section]);
  }
  if (role == Qt::ToolTipRole) {
    switch (section) {
      case TimeColumn: return QStringLiteral("When the interaction happened (UTC)");
      case ValueColumn:
        return QStringLiteral(
            "The interaction's value: the rating, the quantity bought, or the event's weight");
      case EventColumn:
        return QStringLiteral("The kind of interaction (view, cart, purchase, rating…)");
      case PartColumn:
        return QStringLiteral(
            "The part of the chosen split this user-item pair is in; test pairs are highlighted");
      case PriceColumn: return QStringLiteral("The item's catalogue price");
      default: return {};
    }
  }
  if (role == Qt::TextAlignmentRole)
    return QVariant::fromValue(
        (section == PriceColumn || section == ValueColumn ? Qt::AlignRight : Qt::AlignLeft) |
        Qt::AlignVCenter);
  return {};
}

}  // namespace reco::ui
