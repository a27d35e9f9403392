#include "ui/models/co_occurrence_model.h"

#include "ui/convert/qt_convert.h"

namespace reco::ui {

CoOccurrenceModel::CoOccurrenceModel(QObject* parent) : QAbstractTableModel(parent) {}

void CoOccurrenceModel::setProfile(ItemProfilePtr profile) {
  beginResetModel();
  profile_ = std::move(profile);
  endResetModel();
}

std::int32_t CoOccurrenceModel::itemAt(int row) const {
  if (!profile_ || row < 0 || row >= int(profile_->together.size())) return -1;
  return profile_->together[std::size_t(row)].item.item;
}

int CoOccurrenceModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() || !profile_ ? 0 : int(profile_->together.size());
}

int CoOccurrenceModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant CoOccurrenceModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
    return {};
  const reco::storage::CoOccurrence& entry = profile_->together[std::size_t(index.row())];
  const reco::storage::ItemMeta& item = entry.item;
  const int column = index.column();
  switch (role) {
    case Qt::DisplayRole:
      switch (column) {
        case RankColumn: return index.row() + 1;
        case IdColumn: return toQString(item.externalId);
        case TitleColumn: return toQString(item.title);
        case CategoryColumn:
          return item.category.empty() ? QStringLiteral("–") : toQString(item.category);
        case PriceColumn: return item.price ? formatNumber(*item.price, 2) : QStringLiteral("–");
        case UsersColumn: return formatCount(entry.users);
        case CosineColumn: return formatNumber(entry.cosine, 3);
        default: return {};
      }
    case SortRole:
      switch (column) {
        case RankColumn: return index.row() + 1;
        case IdColumn: return toQString(item.externalId);
        case TitleColumn: return toQString(item.title);
        case CategoryColumn: return toQString(item.category);
        case PriceColumn: return item.price ? *item.price : -1.0;
        case UsersColumn: return qlonglong(entry.users);
        case CosineColumn: return entry.cosine;
        default: return {};
      }
    case ItemIndexRole: return item.item;
    case Qt::ToolTipRole:
      switch (column) {
        case IdColumn: return plainToolTip(toQString(item.externalId));
        case TitleColumn: return plainToolTip(toQString(item.title));
        case CategoryColumn:
          return item.category.empty() ? QStringLiteral("This item has no category")
                                       : plainToolTip(toQString(item.category));
        case UsersColumn:
          return QStringLiteral(
                     "%1 of the %2 training users who chose the profiled item also "
                     "chose this one")
              .arg(formatCount(entry.users), formatCount(profile_->trainingUsers));
        case CosineColumn:
          return QStringLiteral(
              "Users together divided by the square root of the product of each item's training "
              "users: 1 when the same users chose both, near 0 when a popular item is chosen "
              "with it only by chance");
        default: return {};
      }
    case Qt::TextAlignmentRole: {
      const bool numeric = column == RankColumn || column == PriceColumn || column == UsersColumn ||
                           column == CosineColumn;
      return QVariant::fromValue((numeric ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter);
    }
    default: return {};
  }
}

QVariant CoOccurrenceModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
    return QAbstractTableModel::headerData(section, orientation, role);
  if (role == Qt::DisplayRole) {
    static const char* const kTitles[ColumnCount] = {"#",     "Item",  "Title", "Category",
                                                     "Price", "Users", "Cosine"};
    return QString::fromLatin1(kTitles[section]);
  }
  if (role == Qt::ToolTipRole) {
    switch (section) {
      case RankColumn: return QStringLiteral("Rank by users together");
      case IdColumn: return QStringLiteral("The shop's own item id");
      case UsersColumn: return QStringLiteral("Training users of the split who chose both items");
      case CosineColumn:
        return QStringLiteral(
            "Users together / √(training users of this item × training users of the profiled "
            "item): how strongly the two go together beyond their popularity");
      default: return {};
    }
  }
  if (role == Qt::TextAlignmentRole) {
    const bool numeric = section == RankColumn || section == PriceColumn ||
                         section == UsersColumn || section == CosineColumn;
    return QVariant::fromValue((numeric ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter);
  }
  return {};
}

}  // namespace reco::ui
