#include "ui/models/nearest_items_model.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <algorithm>
#include <limits>
#include <numeric>

#include "ui/convert/qt_convert.h"

namespace reco::ui {

namespace {
// The Users screen's colour for items in every list (recommendation_list_model.cpp).
const QColor kCommonBackground(0xe3, 0xf4, 0xe4);

QString titleOf(const reco::storage::ItemMeta& meta) {
  return meta.title.empty() ? QStringLiteral("item %1").arg(toQString(meta.externalId))
                            : toQString(meta.title);
}
}  // namespace

RecommendationListPtr NearestItemsList::asRecommendationList() const {
  auto list = std::make_shared<RecommendationList>();
  list->run = run;
  list->final = true;
  list->error = error;
  for (const auto& similar : items)
    list->items.push_back({similar.meta, similar.similarity, false, {}});
  return list;
}

NearestItemsModel::NearestItemsModel(QObject* parent) : QAbstractTableModel(parent) {}

void NearestItemsModel::setList(NearestItemsPtr list) {
  beginResetModel();
  list_ = std::move(list);
  order_.resize(list_ ? list_->items.size() : 0);
  std::iota(order_.begin(), order_.end(), std::size_t(0));
  endResetModel();
}

void NearestItemsModel::setCommonItems(std::set<std::int32_t> items) {
  if (items == common_) return;
  common_ = std::move(items);
  if (rowCount() > 0) emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

const reco::SimilarItem* NearestItemsModel::itemAt(int row) const {
  if (row < 0 || std::size_t(row) >= order_.size()) return nullptr;
  return &list_->items[order_[std::size_t(row)]];
}

QVariant NearestItemsModel::sortValue(std::size_t rank, int column) const {
  const reco::SimilarItem& item = list_->items[rank];
  switch (column) {
    case RankColumn: return int(rank) + 1;
    case TitleColumn: return titleOf(item.meta);
    case CategoryColumn: return toQString(item.meta.category);
    case PriceColumn:
      return item.meta.price ? *item.meta.price : -std::numeric_limits<double>::infinity();
    case SimilarityColumn: return double(item.similarity);
    default: return {};
  }
}

void NearestItemsModel::sort(int column, Qt::SortOrder order) {
  if (!list_ || column < 0 || column >= ColumnCount) return;
  emit layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
  const QModelIndexList before = persistentIndexList();
  std::vector<std::size_t> oldOrder = order_;
  std::stable_sort(order_.begin(), order_.end(), [&](std::size_t a, std::size_t b) {
    const QVariant x = sortValue(a, column), y = sortValue(b, column);
    const auto cmp = QVariant::compare(x, y);
    if (cmp == QPartialOrdering::Equivalent || cmp == QPartialOrdering::Unordered) return a < b;
    return order == Qt::AscendingOrder ? cmp == QPartialOrdering::Less
                                       : cmp == QPartialOrdering::Greater;
  });
  // Persistent indexes (a view's selection) follow their rows.
  std::vector<int> rowOf(order_.size());
  for (std::size_t row = 0; row < order_.size(); ++row) rowOf[order_[row]] = int(row);
  QModelIndexList after;
  for (const QModelIndex& index : before)
    after << this->index(rowOf[oldOrder[std::size_t(index.row())]], index.column());
  changePersistentIndexList(before, after);
  emit layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

int NearestItemsModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : int(order_.size());
}

int NearestItemsModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant NearestItemsModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
    return {};
  const std::size_t rank = order_[std::size_t(index.row())];
  const reco::SimilarItem& item = list_->items[rank];
  const int column = index.column();
  const bool common = common_.count(item.meta.item) > 0;
  switch (role) {
    case Qt::DisplayRole:
      switch (column) {
        case RankColumn: return int(rank) + 1;
        case TitleColumn: return titleOf(item.meta);
        case CategoryColumn:
          return item.meta.category.empty() ? QStringLiteral("–") : toQString(item.meta.category);
        case PriceColumn:
          return item.meta.price ? formatNumber(*item.meta.price, 2) : QStringLiteral("–");
        case SimilarityColumn: return QString::number(double(item.similarity), 'g', 4);
        default: return {};
      }
    case Qt::ToolTipRole:
      if (column == TitleColumn || column == CategoryColumn) {
        // Rich text: every piece of data is escaped.
        QStringList lines{QStringLiteral("<b>%1</b>").arg(titleOf(item.meta).toHtmlEscaped())};
        QStringList details{
            QStringLiteral("item id %1").arg(toQString(item.meta.externalId).toHtmlEscaped())};
        if (!item.meta.category.empty()) details << toQString(item.meta.category).toHtmlEscaped();
        if (item.meta.price)
          details << QStringLiteral("price %1").arg(formatNumber(*item.meta.price, 2));
        details << QStringLiteral("similarity %1")
                       .arg(QString::number(double(item.similarity), 'g', 4));
        lines << details.join(QStringLiteral(" · "));
        if (common) lines << QStringLiteral("Beside the item in every list shown");
        lines << QStringLiteral("<i>Double-click to open this item</i>");
        return lines.join(QStringLiteral("<br>"));
      }
      if (column == SimilarityColumn)
        return QStringLiteral("The model's similarity (what `reco similar` prints): %1")
            .arg(double(item.similarity));
      return {};
    case Qt::BackgroundRole:
      if (common) return QBrush(kCommonBackground);
      return {};
    case Qt::FontRole:
      if (common && column == TitleColumn) {
        QFont font;
        font.setBold(true);
        return font;
      }
      return {};
    case Qt::TextAlignmentRole:
      if (column == RankColumn || column == PriceColumn || column == SimilarityColumn)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
      return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
    case SortRole: return sortValue(rank, column);
    case ItemIndexRole: return item.meta.item;
    case ItemIdRole: return toQString(item.meta.externalId);
    case InAllListsRole: return common;
    default: return {};
  }
}

QVariant NearestItemsModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
    return QAbstractTableModel::headerData(section, orientation, role);
  if (role == Qt::DisplayRole) {
    static const char* const kTitles[ColumnCount] = {"#", "Item", "Category", "Price",
                                                     "Similarity"};
    return QString::fromUtf8(kTitles[section]);
  }
  if (role == Qt::ToolTipRole) {
    switch (section) {
      case RankColumn: return QStringLiteral("Rank among the item's neighbours (1 = most similar)");
      case SimilarityColumn:
        return QStringLiteral(
            "The model's item-item similarity; comparable within a list, not across models");
      case PriceColumn: return QStringLiteral("The item's catalogue price");
      default: return {};
    }
  }
  return {};
}

}  // namespace reco::ui
