#include "ui/models/map_picks_model.h"

#include <algorithm>

#include "ui/convert/qt_convert.h"

namespace reco::ui {

MapPicksModel::MapPicksModel(QObject* parent) : QAbstractTableModel(parent) {}

void MapPicksModel::setPicks(std::shared_ptr<const reco::ItemMap> map,
                             std::vector<std::size_t> points) {
  beginResetModel();
  map_ = std::move(map);
  points_ = map_ ? std::move(points) : std::vector<std::size_t>{};
  std::erase_if(points_, [this](std::size_t point) { return point >= map_->size(); });
  applyOrder();
  endResetModel();
}

QStringList MapPicksModel::itemIds() const {
  QStringList ids;
  for (const std::size_t point : points_) ids << toQString(map_->externalIds[point]);
  return ids;
}

QString MapPicksModel::titleAt(std::size_t point) const {
  const std::string& title = map_->titles[point];
  return title.empty() ? QStringLiteral("item %1").arg(toQString(map_->externalIds[point]))
                       : toQString(title);
}

QString MapPicksModel::categoryAt(std::size_t point) const {
  const std::int32_t code = map_->categoryCode[point];
  return code < 0 ? QString() : toQString(map_->categories[std::size_t(code)]);
}

void MapPicksModel::applyOrder() {
  if (!map_) return;
  const bool ascending = sortOrder_ == Qt::AscendingOrder;
  // Points come in map order; sorting that first makes ties stable across calls.
  std::sort(points_.begin(), points_.end());
  const auto by = [&](auto key) {
    std::stable_sort(points_.begin(), points_.end(), [&](std::size_t a, std::size_t b) {
      return ascending ? key(a) < key(b) : key(b) < key(a);
    });
  };
  switch (sortColumn_) {
    case TitleColumn: by([this](std::size_t p) { return titleAt(p).toLower(); }); break;
    case CategoryColumn: by([this](std::size_t p) { return categoryAt(p).toLower(); }); break;
    case InteractionsColumn: by([this](std::size_t p) { return map_->popularity[p]; }); break;
    default: break;
  }
}

void MapPicksModel::sort(int column, Qt::SortOrder order) {
  if (column < 0 || column >= ColumnCount) return;
  sortColumn_ = column;
  sortOrder_ = order;
  if (!map_) return;
  beginResetModel();
  applyOrder();
  endResetModel();
}

int MapPicksModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : int(points_.size());
}

int MapPicksModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant MapPicksModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
    return {};
  const std::size_t point = points_[std::size_t(index.row())];
  switch (role) {
    case Qt::DisplayRole:
      switch (index.column()) {
        case TitleColumn: return titleAt(point);
        case CategoryColumn: {
          const QString category = categoryAt(point);
          return category.isEmpty() ? QStringLiteral("–") : category;
        }
        case InteractionsColumn: return formatCount(map_->popularity[point]);
        default: return {};
      }
    case SortRole:
      switch (index.column()) {
        case TitleColumn: return titleAt(point);
        case CategoryColumn: return categoryAt(point);
        case InteractionsColumn: return qlonglong(map_->popularity[point]);
        default: return {};
      }
    case Qt::ToolTipRole:
      return plainToolTip(
          QStringLiteral("%1\nitem id %2 · %3 interactions\nDouble-click to open it")
              .arg(titleAt(point), toQString(map_->externalIds[point]),
                   formatCount(map_->popularity[point])));
    case Qt::TextAlignmentRole:
      if (index.column() == InteractionsColumn)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
      return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
    case ItemIndexRole: return map_->items[point];
    case ItemIdRole: return toQString(map_->externalIds[point]);
    default: return {};
  }
}

QVariant MapPicksModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
    return QAbstractTableModel::headerData(section, orientation, role);
  if (role == Qt::DisplayRole) {
    static const char* const kTitles[ColumnCount] = {"Item", "Category", "Interactions"};
    return QString::fromUtf8(kTitles[section]);
  }
  return {};
}

}  // namespace reco::ui
