#include "ui/models/user_list_model.h"

#include <QFutureWatcher>
#include <algorithm>
#include <cctype>

#include <QtConcurrent/QtConcurrentRun>

#include "ui/convert/qt_convert.h"

namespace reco::ui {

namespace {

bool allDigits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Ids that are numbers compare as numbers ("9" before "10"), others as text; numbers
// come before text.
int compareIds(std::string_view a, std::string_view b) {
  const bool numberA = allDigits(a), numberB = allDigits(b);
  if (numberA != numberB) return numberA ? -1 : 1;
  if (numberA) {
    const auto trimmed = [](std::string_view s) {
      return s.substr(std::min(s.find_first_not_of('0'), s.size()));
    };
    a = trimmed(a);
    b = trimmed(b);
    if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  }
  const int c = a.compare(b);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

bool containsInsensitive(std::string_view haystack, const std::string& lowerNeedle) {
  if (lowerNeedle.empty()) return true;
  const auto it =
      std::search(haystack.begin(), haystack.end(), lowerNeedle.begin(), lowerNeedle.end(),
                  [](char h, char n) { return char(std::tolower((unsigned char)h)) == n; });
  return it != haystack.end();
}

}  // namespace

UserListModel::UserListModel(QObject* parent) : QAbstractTableModel(parent) {}

void UserListModel::setSummaries(UserSummariesPtr summaries) {
  changing_ = true;
  beginResetModel();
  summaries_ = std::move(summaries);
  view_.reset();
  fetched_ = 0;
  endResetModel();
  changing_ = false;
  updateView();
}

void UserListModel::setFilter(const QString& text) {
  const QString trimmed = text.trimmed();
  if (trimmed == filter_) return;
  filter_ = trimmed;
  updateView();
}

void UserListModel::sort(int column, Qt::SortOrder order) {
  if (column < 0 || column >= ColumnCount) return;
  if (column == sortColumn_ && order == sortOrder_ && (view_ || pending_)) return;
  sortColumn_ = column;
  sortOrder_ = order;
  updateView();
}

std::vector<std::int32_t> UserListModel::computeView(const reco::storage::UserSummaries& users,
                                                     const QString& filter, int column,
                                                     Qt::SortOrder order) {
  const std::string needle = toStdString(filter.toLower());
  std::vector<std::int32_t> rows;
  rows.reserve(users.size());
  for (std::size_t row = 0; row < users.size(); ++row) {
    if (needle.empty() || containsInsensitive(users.externalId(row), needle) ||
        containsInsensitive(users.categoryName(users.topCategory[row]), needle))
      rows.push_back(std::int32_t(row));
  }
  // Category codes follow name order; users without one go last in ascending order.
  const auto categoryKey = [&](std::int32_t row) {
    const std::int32_t code = users.topCategory[std::size_t(row)];
    return code < 0 ? INT32_MAX : code;
  };
  const auto compareKeys = [&](std::int32_t a, std::int32_t b) -> int {
    const auto ua = std::size_t(a), ub = std::size_t(b);
    switch (column) {
      case IdColumn: return compareIds(users.externalId(ua), users.externalId(ub));
      case InteractionsColumn:
        return users.interactions[ua] < users.interactions[ub]
                   ? -1
                   : users.interactions[ua] > users.interactions[ub];
      case LastActiveColumn:
        return users.lastActive[ua] < users.lastActive[ub]
                   ? -1
                   : users.lastActive[ua] > users.lastActive[ub];
      case TopCategoryColumn:
        return categoryKey(a) < categoryKey(b) ? -1 : categoryKey(a) > categoryKey(b);
      default: return 0;
    }
  };
  const bool descending = order == Qt::DescendingOrder;
  std::sort(rows.begin(), rows.end(), [&](std::int32_t a, std::int32_t b) {
    const int c = compareKeys(a, b);
    if (c != 0) return descending ? c > 0 : c < 0;
    return a < b;  // rows are in user index order
  });
  return rows;
}

void UserListModel::updateView() {
  const int generation = ++generation_;
  if (!summaries_) {
    pending_ = 0;
    emit viewUpdated();
    return;
  }
  pending_ = generation;
  auto* watcher = new QFutureWatcher<std::shared_ptr<const std::vector<std::int32_t>>>(this);
  connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
    watcher->deleteLater();
    if (generation != pending_) return;  // superseded
    pending_ = 0;
    changing_ = true;
    beginResetModel();
    view_ = watcher->result();
    fetched_ = std::min<int>(kPageRows, int(view_->size()));
    endResetModel();
    changing_ = false;
    emit viewUpdated();
  });
  watcher->setFuture(QtConcurrent::run(
      [summaries = summaries_, filter = filter_, column = sortColumn_, order = sortOrder_] {
        return std::make_shared<const std::vector<std::int32_t>>(
            computeView(*summaries, filter, column, order));
      }));
}

int UserListModel::rowOfUser(std::int32_t user) {
  if (!summaries_ || !view_) return -1;
  const std::ptrdiff_t snapshotRow = summaries_->rowOfUser(user);
  if (snapshotRow < 0) return -1;
  const auto it = std::find(view_->begin(), view_->end(), std::int32_t(snapshotRow));
  if (it == view_->end()) return -1;
  const int row = int(it - view_->begin());
  if (row >= fetched_) {
    // Expose whole pages up to the row.
    const int last = std::min<int>(int(view_->size()), (row / kPageRows + 1) * kPageRows);
    changing_ = true;
    beginInsertRows({}, fetched_, last - 1);
    fetched_ = last;
    endInsertRows();
    changing_ = false;
  }
  return row;
}

std::int32_t UserListModel::userAt(int row) const {
  if (!summaries_ || !view_ || row < 0 || row >= fetched_) return -1;
  return summaries_->users[std::size_t((*view_)[std::size_t(row)])];
}

int UserListModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : fetched_;
}

int UserListModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

// Views and QAbstractItemModelTester ask for more rows from inside the model's own reset
// and insertion signals; a nested insertion there would interleave two changes, so the
// model answers "nothing more" until the change is over (they ask again later).
bool UserListModel::canFetchMore(const QModelIndex& parent) const {
  return !parent.isValid() && !changing_ && view_ && fetched_ < int(view_->size());
}

void UserListModel::fetchMore(const QModelIndex& parent) {
  if (!canFetchMore(parent)) return;
  const int last = std::min<int>(int(view_->size()), fetched_ + kPageRows);
  changing_ = true;
  beginInsertRows({}, fetched_, last - 1);
  fetched_ = last;
  endInsertRows();
  changing_ = false;
}

QVariant UserListModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
    return {};
  const auto& users = *summaries_;
  const auto row = std::size_t((*view_)[std::size_t(index.row())]);
  const int column = index.column();
  const std::int64_t last = users.lastActive[row];
  const bool hasTime = last != reco::storage::UserSummaries::kNoTime;
  switch (role) {
    case Qt::DisplayRole:
      switch (column) {
        case IdColumn: return toQString(std::string(users.externalId(row)));
        case InteractionsColumn: return formatCount(users.interactions[row]);
        case LastActiveColumn: return hasTime ? formatDate(last) : QStringLiteral("–");
        case TopCategoryColumn: {
          const std::string& name = users.categoryName(users.topCategory[row]);
          return name.empty() ? QStringLiteral("–") : toQString(name);
        }
        default: return {};
      }
    case SortRole:
      switch (column) {
        case IdColumn: return toQString(std::string(users.externalId(row)));
        case InteractionsColumn: return users.interactions[row];
        case LastActiveColumn: return qlonglong(hasTime ? last : -1);
        case TopCategoryColumn: return toQString(users.categoryName(users.topCategory[row]));
        default: return {};
      }
    case UserIndexRole: return users.users[row];
    case Qt::ToolTipRole:
      if (column == LastActiveColumn)
        return hasTime ? formatDateTime(last) : QStringLiteral("No times recorded");
      if (column == TopCategoryColumn) {
        const std::string& name = users.categoryName(users.topCategory[row]);
        return name.empty() ? QStringLiteral("None of this user's items has a category")
                            : QStringLiteral("%1\nThe category of most of this user's interactions")
                                  .arg(toQString(name));
      }
      if (column == IdColumn) return toQString(std::string(users.externalId(row)));
      return {};
    case Qt::TextAlignmentRole:
      return QVariant::fromValue((column == InteractionsColumn ? Qt::AlignRight : Qt::AlignLeft) |
                                 Qt::AlignVCenter);
    default: return {};
  }
}

QVariant UserListModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
    return QAbstractTableModel::headerData(section, orientation, role);
  if (role == Qt::DisplayRole) {
    static const char* const kTitles[ColumnCount] = {"User", "Interactions", "Last active",
                                                     "Category"};
    return QString::fromLatin1(kTitles[section]);
  }
  if (role == Qt::ToolTipRole) {
    switch (section) {
      case IdColumn: return QStringLiteral("The shop's own user id");
      case InteractionsColumn:
        return QStringLiteral("Interactions (events, ratings, order lines) of the user");
      case LastActiveColumn: return QStringLiteral("Date of the user's latest interaction (UTC)");
      case TopCategoryColumn:
        return QStringLiteral(
            "The user's top category: the one with most of their interactions (ties: "
            "alphabetical)");
      default: return {};
    }
  }
  if (role == Qt::TextAlignmentRole)
    return QVariant::fromValue((section == InteractionsColumn ? Qt::AlignRight : Qt::AlignLeft) |
                               Qt::AlignVCenter);
  return {};
}

}  // namespace reco::ui
