#include "ui/models/edited_history_model.h"

#include <QBrush>
#include <QColor>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMimeData>
#include <algorithm>

#include "ui/convert/qt_convert.h"

namespace reco::ui {

namespace {
const QColor kAddedColor(0x1f, 0x7a, 0x33);

QString titleOf(const reco::storage::ItemMeta& item) {
  return item.title.empty() ? QStringLiteral("item %1").arg(toQString(item.externalId))
                            : toQString(item.title);
}
}  // namespace

QMimeData* itemsToMimeData(const std::vector<reco::storage::ItemMeta>& items) {
  QJsonArray array;
  for (const auto& item : items) {
    QJsonObject object{{"item", item.item},
                       {"id", toQString(item.externalId)},
                       {"title", toQString(item.title)},
                       {"category", toQString(item.category)}};
    if (item.price) object.insert("price", *item.price);
    array.append(object);
  }
  auto* data = new QMimeData;
  data->setData(QString::fromLatin1(kItemsMimeType), QJsonDocument(array).toJson());
  // Elsewhere (a text editor) a drop gives the titles.
  QStringList titles;
  for (const auto& item : items) titles << titleOf(item);
  data->setText(titles.join('\n'));
  return data;
}

std::vector<reco::storage::ItemMeta> itemsFromMimeData(const QMimeData* data) {
  std::vector<reco::storage::ItemMeta> items;
  if (!data || !data->hasFormat(QString::fromLatin1(kItemsMimeType))) return items;
  const QJsonArray array =
      QJsonDocument::fromJson(data->data(QString::fromLatin1(kItemsMimeType))).array();
  for (const auto& value : array) {
    const QJsonObject object = value.toObject();
    reco::storage::ItemMeta item;
    item.item = object.value("item").toInt(-1);
    if (item.item < 0) continue;
    item.externalId = toStdString(object.value("id").toString());
    item.title = toStdString(object.value("title").toString());
    item.category = toStdString(object.value("category").toString());
    if (object.contains("price")) item.price = object.value("price").toDouble();
    items.push_back(std::move(item));
  }
  return items;
}

EditedHistoryModel::EditedHistoryModel(QObject* parent) : QAbstractTableModel(parent) {}

void EditedHistoryModel::setHistory(std::vector<reco::storage::ItemMeta> stored,
                                    const std::vector<reco::storage::ItemMeta>* edited) {
  beginResetModel();
  stored_ = std::move(stored);
  items_ = edited ? *edited : stored_;
  endResetModel();
  emit historyChanged();
}

std::vector<std::int32_t> EditedHistoryModel::history() const {
  std::vector<std::int32_t> out;
  out.reserve(items_.size());
  for (const auto& item : items_) out.push_back(item.item);
  return out;
}

bool EditedHistoryModel::isEdited() const {
  return items_.size() != stored_.size() ||
         !std::equal(items_.begin(), items_.end(), stored_.begin(),
                     [](const auto& a, const auto& b) { return a.item == b.item; });
}

const reco::storage::ItemMeta& EditedHistoryModel::itemAt(int row) const {
  return items_[items_.size() - 1 - std::size_t(row)];
}

bool EditedHistoryModel::contains(std::int32_t item) const {
  return std::any_of(items_.begin(), items_.end(),
                     [item](const auto& m) { return m.item == item; });
}

bool EditedHistoryModel::addItem(const reco::storage::ItemMeta& item) {
  if (contains(item.item)) {
    emit duplicatesIgnored({titleOf(item)});
    return false;
  }
  // The newest is shown on top: row 0.
  beginInsertRows({}, 0, 0);
  items_.push_back(item);
  endInsertRows();
  emit historyChanged();
  return true;
}

void EditedHistoryModel::removeShownRows(std::vector<int> rows) {
  std::sort(rows.begin(), rows.end(), std::greater<>());
  rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
  bool removed = false;
  for (const int row : rows) {
    if (row < 0 || row >= rowCount()) continue;
    beginRemoveRows({}, row, row);
    items_.erase(items_.end() - 1 - row);
    endRemoveRows();
    removed = true;
  }
  if (removed) emit historyChanged();
}

void EditedHistoryModel::clearHistory() {
  beginResetModel();
  items_.clear();
  endResetModel();
  emit historyChanged();
}

void EditedHistoryModel::resetHistory() {
  beginResetModel();
  items_ = stored_;
  endResetModel();
  emit historyChanged();
}

int EditedHistoryModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : int(items_.size());
}

int EditedHistoryModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant EditedHistoryModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
    return {};
  const auto& item = itemAt(index.row());
  const bool added = std::none_of(stored_.begin(), stored_.end(),
                                  [&](const auto& m) { return m.item == item.item; });
  switch (role) {
    case Qt::DisplayRole:
      switch (index.column()) {
        case TitleColumn: return titleOf(item);
        case CategoryColumn:
          return item.category.empty() ? QStringLiteral("–") : toQString(item.category);
        case MarkColumn: return added ? QStringLiteral("added") : QString();
        default: return {};
      }
    case Qt::ToolTipRole:
      if (index.column() == MarkColumn && added)
        return QStringLiteral("Not in the user's stored history: added in this what-if");
      return QStringLiteral("%1\nitem id %2 · %3")
          .arg(titleOf(item), toQString(item.externalId),
               item.category.empty() ? QStringLiteral("no category") : toQString(item.category));
    case Qt::ForegroundRole:
      if (index.column() == MarkColumn) return QBrush(kAddedColor);
      return {};
    case ItemIndexRole: return item.item;
    default: return {};
  }
}

QVariant EditedHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case TitleColumn: return QStringLiteral("Item");
    case CategoryColumn: return QStringLiteral("Category");
    case MarkColumn: return QString();
    default: return {};
  }
}

Qt::ItemFlags EditedHistoryModel::flags(const QModelIndex& index) const {
  // Drops land on the table as a whole (anywhere: the item is appended as the newest).
  if (!index.isValid()) return Qt::ItemIsDropEnabled;
  return QAbstractTableModel::flags(index) | Qt::ItemIsDropEnabled;
}

Qt::DropActions EditedHistoryModel::supportedDropActions() const {
  return Qt::CopyAction;
}

QStringList EditedHistoryModel::mimeTypes() const {
  return {QString::fromLatin1(kItemsMimeType)};
}

bool EditedHistoryModel::canDropMimeData(const QMimeData* data, Qt::DropAction action, int, int,
                                         const QModelIndex&) const {
  return action == Qt::CopyAction && data && data->hasFormat(QString::fromLatin1(kItemsMimeType));
}

bool EditedHistoryModel::dropMimeData(const QMimeData* data, Qt::DropAction action, int row,
                                      int column, const QModelIndex& parent) {
  if (!canDropMimeData(data, action, row, column, parent)) return false;
  QStringList duplicates;
  bool added = false;
  for (const auto& item : itemsFromMimeData(data)) {
    if (contains(item.item)) {
      duplicates << titleOf(item);
      continue;
    }
    beginInsertRows({}, 0, 0);
    items_.push_back(item);
    endInsertRows();
    added = true;
  }
  if (!duplicates.isEmpty()) emit duplicatesIgnored(duplicates);
  if (added) emit historyChanged();
  return added;
}

}  // namespace reco::ui
