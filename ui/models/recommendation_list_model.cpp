#include "ui/models/recommendation_list_model.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <algorithm>
#include <iterator>

#include "ui/convert/qt_convert.h"

namespace reco::ui {

namespace {
const QColor kCommonBackground(0xe3, 0xf4, 0xe4);
const QColor kTestMarkColor(0xb2, 0x6b, 0x00);
}  // namespace

RecommendationListModel::RecommendationListModel(QObject* parent) : QAbstractTableModel(parent) {}

void RecommendationListModel::setList(RecommendationListPtr list) {
  beginResetModel();
  list_ = std::move(list);
  endResetModel();
}

void RecommendationListModel::setCommonItems(std::set<std::int32_t> items) {
  if (items == common_) return;
  common_ = std::move(items);
  if (rowCount() > 0) emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

int RecommendationListModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() || !list_ ? 0 : int(list_->items.size());
}

int RecommendationListModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant RecommendationListModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
    return {};
  const RecommendedItem& item = list_->items[std::size_t(index.row())];
  const int column = index.column();
  const bool common = common_.count(item.meta.item) > 0;
  switch (role) {
    case Qt::DisplayRole:
      switch (column) {
        case RankColumn: return index.row() + 1;
        case TestColumn: return item.inTest ? QStringLiteral("★") : QString();
        case TitleColumn:
          return item.meta.title.empty()
                     ? QStringLiteral("item %1").arg(toQString(item.meta.externalId))
                     : toQString(item.meta.title);
        case CategoryColumn:
          return item.meta.category.empty() ? QStringLiteral("–") : toQString(item.meta.category);
        case PriceColumn:
          return item.meta.price ? formatNumber(*item.meta.price, 2) : QStringLiteral("–");
        case ScoreColumn: return QString::number(double(item.score), 'g', 4);
        case ReasonColumn: return list_->final ? toQString(item.reason) : QStringLiteral("…");
        default: return {};
      }
    case Qt::ToolTipRole:
      switch (column) {
        case TestColumn:
          return item.inTest ? QStringLiteral(
                                   "In the user's held-out test part: the user really chose this "
                                   "item later")
                             : QString();
        case TitleColumn: {
          // Everything the cell elides, in full: the lists are narrow and the reason is
          // the part a merchandiser reads. Rich text, so every piece of data is escaped.
          QStringList lines{QStringLiteral("<b>%1</b>")
                                .arg(data(index, Qt::DisplayRole).toString().toHtmlEscaped())};
          QStringList details{
              QStringLiteral("item id %1").arg(toQString(item.meta.externalId).toHtmlEscaped()),
              data(index.siblingAtColumn(CategoryColumn), Qt::DisplayRole)
                  .toString()
                  .toHtmlEscaped()};
          if (item.meta.price)
            details << QStringLiteral("price %1").arg(formatNumber(*item.meta.price, 2));
          details << QStringLiteral("score %1").arg(QString::number(double(item.score), 'g', 4));
          lines << details.join(QStringLiteral(" · "));
          lines
              << (list_->final
                      ? QStringLiteral("Why: <i>%1</i>").arg(toQString(item.reason).toHtmlEscaped())
                      : QStringLiteral("Why: the reason appears once the model has loaded"));
          if (item.inTest)
            lines << QStringLiteral(
                "★ in the user's held-out test part: the user really chose it later");
          if (common) lines << QStringLiteral("In every list shown");
          return lines.join(QStringLiteral("<br>"));
        }
        case ReasonColumn:
          return list_->final ? toQString(item.reason)
                              : QStringLiteral("The reason appears once the model has loaded");
        case ScoreColumn:
          return QStringLiteral("The model's raw score (higher ranks first): %1")
              .arg(double(item.score));
        default: return {};
      }
    case Qt::BackgroundRole:
      if (common) return QBrush(kCommonBackground);
      return {};
    case Qt::ForegroundRole:
      if (column == TestColumn) return QBrush(kTestMarkColor);
      return {};
    case Qt::FontRole:
      if (column == TestColumn || (common && column == TitleColumn)) {
        QFont font;
        font.setBold(true);
        return font;
      }
      return {};
    case Qt::TextAlignmentRole:
      if (column == RankColumn || column == PriceColumn || column == ScoreColumn)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
      if (column == TestColumn) return QVariant::fromValue(Qt::AlignCenter);
      return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
    case ItemIndexRole: return item.meta.item;
    case InTestRole: return item.inTest;
    case InAllListsRole: return common;
    default: return {};
  }
}

QVariant RecommendationListModel::headerData(int section, Qt::Orientation orientation,
                                             int role) const {
  if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
    return QAbstractTableModel::headerData(section, orientation, role);
  if (role == Qt::DisplayRole) {
    static const char* const kTitles[ColumnCount] = {"#",     "★",     "Item",  "Category",
                                                     "Price", "Score", "Reason"};
    return QString::fromUtf8(kTitles[section]);
  }
  if (role == Qt::ToolTipRole) {
    switch (section) {
      case RankColumn:
        return QStringLiteral("Rank in the run's list (1 = the model's first choice)");
      case TestColumn:
        return QStringLiteral(
            "★ marks items in the user's held-out test part of the split: hits a model found");
      case ScoreColumn:
        return QStringLiteral("The model's raw score; comparable within a list, not across models");
      case ReasonColumn:
        return QStringLiteral("Why the model recommends the item (its explanation)");
      case PriceColumn: return QStringLiteral("The item's catalogue price");
      default: return {};
    }
  }
  return {};
}

ListOverlapModel::ListOverlapModel(QObject* parent) : QAbstractTableModel(parent) {}

void ListOverlapModel::setLists(std::vector<RecommendationListPtr> lists) {
  beginResetModel();
  lists_ = std::move(lists);
  sets_.clear();
  common_.clear();
  for (const auto& list : lists_) {
    std::set<std::int32_t> items;
    if (list && list->error.empty())
      for (const auto& item : list->items) items.insert(item.meta.item);
    sets_.push_back(std::move(items));
  }
  if (sets_.size() >= 2) {
    common_ = sets_.front();
    for (std::size_t i = 1; i < sets_.size(); ++i) {
      std::set<std::int32_t> both;
      std::set_intersection(common_.begin(), common_.end(), sets_[i].begin(), sets_[i].end(),
                            std::inserter(both, both.begin()));
      common_ = std::move(both);
    }
  }
  endResetModel();
}

int ListOverlapModel::shared(int a, int b) const {
  const auto& x = sets_[std::size_t(a)];
  const auto& y = sets_[std::size_t(b)];
  return int(
      std::count_if(x.begin(), x.end(), [&](std::int32_t item) { return y.count(item) > 0; }));
}

double ListOverlapModel::jaccard(int a, int b) const {
  const int both = shared(a, b);
  const auto either =
      sets_[std::size_t(a)].size() + sets_[std::size_t(b)].size() - std::size_t(both);
  return either == 0 ? 0.0 : double(both) / double(either);
}

int ListOverlapModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : int(lists_.size());
}

int ListOverlapModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : int(lists_.size());
}

QVariant ListOverlapModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
    return {};
  const int a = index.row(), b = index.column();
  switch (role) {
    case Qt::DisplayRole:
      return a == b
                 ? QString::number(shared(a, b))
                 : QStringLiteral("%1  (%2)").arg(shared(a, b)).arg(formatNumber(jaccard(a, b), 2));
    case SharedRole: return shared(a, b);
    case JaccardRole: return jaccard(a, b);
    case Qt::ToolTipRole:
      return QStringLiteral("%1 items shared; Jaccard |A ∩ B| / |A ∪ B| = %2")
          .arg(shared(a, b))
          .arg(formatNumber(jaccard(a, b), 3));
    case Qt::TextAlignmentRole: return QVariant::fromValue(Qt::AlignCenter);
    case Qt::BackgroundRole: {
      if (a == b) return QBrush(QColor(0xf0, 0xf2, 0xf5));
      // Darker green for more overlap.
      const int shade = int(255 - 70 * jaccard(a, b));
      return QBrush(QColor(shade, 255 - int(30 * jaccard(a, b)), shade));
    }
    default: return {};
  }
}

QVariant ListOverlapModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (section < 0 || section >= int(lists_.size()))
    return QAbstractTableModel::headerData(section, orientation, role);
  if (role == Qt::DisplayRole)
    return lists_[std::size_t(section)] ? toQString(lists_[std::size_t(section)]->run.name)
                                        : QString();
  if (role == Qt::ToolTipRole && lists_[std::size_t(section)])
    return plainToolTip(QStringLiteral("Run %1 (%2)")
                            .arg(toQString(lists_[std::size_t(section)]->run.name),
                                 toQString(lists_[std::size_t(section)]->run.model)));
  return {};
}

}  // namespace reco::ui
