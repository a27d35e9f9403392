#include "ui/models/what_if_list_model.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QMimeData>
#include <set>

#include "ui/convert/qt_convert.h"
#include "ui/models/edited_history_model.h"

namespace reco::ui {

namespace {
const QColor kNewColor(0x1f, 0x7a, 0x33);
const QColor kUpColor(0x1f, 0x7a, 0x33);
const QColor kDownColor(0xb0, 0x3a, 0x2e);
const QColor kLeftColor(0x8a, 0x93, 0x9c);
const QColor kTestMarkColor(0xb2, 0x6b, 0x00);
const QColor kFallbackBackground(0xf3, 0xf0, 0xe6);

const std::vector<reco::WhatIfItem>& noItems() {
  static const std::vector<reco::WhatIfItem> kNone;
  return kNone;
}

QString titleOf(const reco::WhatIfItem& item) {
  return item.meta.title.empty() ? QStringLiteral("item %1").arg(toQString(item.meta.externalId))
                                 : toQString(item.meta.title);
}
}  // namespace

WhatIfListModel::WhatIfListModel(Part part, QObject* parent)
    : QAbstractTableModel(parent), part_(part) {}

void WhatIfListModel::setColumn(WhatIfColumnPtr column) {
  beginResetModel();
  column_ = std::move(column);
  endResetModel();
}

const std::vector<reco::WhatIfItem>& WhatIfListModel::rows() const {
  if (!column_) return noItems();
  return part_ == Part::Items ? column_->list.items : column_->list.left;
}

QString WhatIfListModel::moveText(const reco::WhatIfItem& item, int rank) {
  if (item.previousRank == 0) return QStringLiteral("new");
  if (item.previousRank > rank) return QStringLiteral("↑%1").arg(item.previousRank - rank);
  if (item.previousRank < rank) return QStringLiteral("↓%1").arg(rank - item.previousRank);
  return QString();
}

int WhatIfListModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : int(rows().size());
}

int WhatIfListModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant WhatIfListModel::display(const reco::WhatIfItem& item, int row, int column) const {
  switch (column) {
    case RankColumn: return part_ == Part::Items ? row + 1 : item.previousRank;
    case TestColumn: return item.inTest ? QStringLiteral("★") : QString();
    case TitleColumn: return titleOf(item);
    case CategoryColumn:
      return item.meta.category.empty() ? QStringLiteral("–") : toQString(item.meta.category);
    case PriceColumn:
      return item.meta.price ? formatNumber(*item.meta.price, 2) : QStringLiteral("–");
    // The fallback's items have no score of the model's (it had nothing to say).
    case ScoreColumn:
      return item.fallback ? QString() : QString::number(double(item.score), 'g', 4);
    case ReasonColumn: return toQString(item.reason);
    case MoveColumn: return part_ == Part::Items ? moveText(item, row + 1) : QStringLiteral("left");
    default: return {};
  }
}

QVariant WhatIfListModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
    return {};
  const int row = index.row();
  const reco::WhatIfItem& item = rows()[std::size_t(row)];
  const int column = index.column();
  const bool left = part_ == Part::Left;
  switch (role) {
    case Qt::DisplayRole: return display(item, row, column);
    case Qt::ToolTipRole: {
      if (column == MoveColumn && !left) {
        if (item.previousRank == 0)
          return QStringLiteral("New: not in the list for the unedited history");
        return QStringLiteral("Rank %1 for the unedited history, %2 now")
            .arg(item.previousRank)
            .arg(row + 1);
      }
      QStringList lines{QStringLiteral("<b>%1</b>").arg(titleOf(item).toHtmlEscaped())};
      QStringList details{
          QStringLiteral("item id %1").arg(toQString(item.meta.externalId).toHtmlEscaped()),
          display(item, row, CategoryColumn).toString().toHtmlEscaped()};
      if (item.meta.price)
        details << QStringLiteral("price %1").arg(formatNumber(*item.meta.price, 2));
      if (!item.fallback)
        details << QStringLiteral("score %1").arg(QString::number(double(item.score), 'g', 4));
      lines << details.join(QStringLiteral(" · "));
      if (left)
        lines << QStringLiteral("Rank %1 for the unedited history; not in the list any more")
                     .arg(item.previousRank);
      else
        lines << QStringLiteral("Why: <i>%1</i>").arg(toQString(item.reason).toHtmlEscaped());
      if (item.fallback)
        lines << QStringLiteral(
            "The model had nothing to say about this item for this history: the fallback "
            "(popularity in the split's training part) ranked it");
      if (item.inTest)
        lines << QStringLiteral("★ in the user's held-out test part: the user really chose it");
      lines << QStringLiteral("Drag it into the history to add it.");
      return lines.join(QStringLiteral("<br>"));
    }
    case Qt::ForegroundRole:
      if (left) return QBrush(kLeftColor);
      if (column == TestColumn) return QBrush(kTestMarkColor);
      if (column == MoveColumn) {
        if (item.previousRank == 0 || item.previousRank > row + 1) return QBrush(kUpColor);
        return QBrush(kDownColor);
      }
      return {};
    case Qt::BackgroundRole:
      if (item.fallback && !left) return QBrush(kFallbackBackground);
      return {};
    case Qt::FontRole:
      if (column == TestColumn || (column == MoveColumn && item.previousRank == 0 && !left)) {
        QFont font;
        font.setBold(true);
        return font;
      }
      if (left) {
        QFont font;
        font.setItalic(true);
        return font;
      }
      return {};
    case Qt::TextAlignmentRole:
      if (column == RankColumn || column == ScoreColumn || column == PriceColumn)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
      if (column == TestColumn || column == MoveColumn) return QVariant::fromValue(Qt::AlignCenter);
      return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
    case ItemIndexRole: return item.meta.item;
    case InTestRole: return item.inTest;
    case PreviousRankRole: return item.previousRank;
    case IsNewRole: return !left && item.previousRank == 0;
    case FallbackRole: return item.fallback;
    default: return {};
  }
}

QVariant WhatIfListModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
    return QAbstractTableModel::headerData(section, orientation, role);
  if (role == Qt::DisplayRole) {
    static const char* const kTitles[ColumnCount] = {"#",     "★",     "Item",   "Category",
                                                     "Price", "Score", "Reason", "Δ"};
    if (part_ == Part::Left && section == RankColumn) return QStringLiteral("was");
    return QString::fromUtf8(kTitles[section]);
  }
  if (role == Qt::ToolTipRole) {
    switch (section) {
      case RankColumn:
        return part_ == Part::Items ? QStringLiteral("Rank for the edited history")
                                    : QStringLiteral("Rank for the unedited history");
      case MoveColumn:
        return QStringLiteral(
            "How the item moved against the list for the unedited history: ↑ up, ↓ down, "
            "new: not in it");
      case TestColumn: return QStringLiteral("★: in the user's held-out test part");
      default: return {};
    }
  }
  return {};
}

Qt::ItemFlags WhatIfListModel::flags(const QModelIndex& index) const {
  Qt::ItemFlags flags = QAbstractTableModel::flags(index);
  if (index.isValid()) flags |= Qt::ItemIsDragEnabled;
  return flags;
}

QStringList WhatIfListModel::mimeTypes() const {
  return {QString::fromLatin1(kItemsMimeType)};
}

QMimeData* WhatIfListModel::mimeData(const QModelIndexList& indexes) const {
  std::set<int> seen;
  std::vector<reco::storage::ItemMeta> items;
  for (const QModelIndex& index : indexes)
    if (index.isValid() && seen.insert(index.row()).second)
      items.push_back(rows()[std::size_t(index.row())].meta);
  return itemsToMimeData(items);
}

}  // namespace reco::ui
