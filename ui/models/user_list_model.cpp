#include "ui/models/user_list_model.h"

#include <algorithm>
#include <cctype>

#include "ui/convert/qt_convert.h"

namespace reco::ui {

namespace {

bool containsInsensitive(std::string_view haystack, const std::string& lowerNeedle) {
  if (lowerNeedle.empty()) return true;
  const auto it =
      std::search(haystack.begin(), haystack.end(), lowerNeedle.begin(), lowerNeedle.end(),
                  [](char h, char n) { return char(std::tolower((unsigned char)h)) == n; });
  return it != haystack.end();
}

}  // namespace

UserListModel::UserListModel(QObject* parent)
    : PagedSnapshotModel(InteractionsColumn, Qt::DescendingOrder, parent) {}

void UserListModel::setSummaries(UserSummariesPtr summaries) {
  // The whole summaries after the partial ones of the same users: the list stays on screen
  // while it is ordered again.
  if (summaries_ && summaries && summaries_->partial && !summaries->partial &&
      summaries_->users == summaries->users) {
    refineSnapshot([&] { summaries_ = std::move(summaries); });
    return;
  }
  resetSnapshot([&] { summaries_ = std::move(summaries); });
}

std::function<PagedSnapshotModel::View()> UserListModel::viewTask() const {
  if (!summaries_) return {};
  return [summaries = summaries_, filter = filter(), column = sortColumn(), order = sortOrder()] {
    return computeView(*summaries, filter, column, order);
  };
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
      case IdColumn: return compareExternalIds(users.externalId(ua), users.externalId(ub));
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

int UserListModel::rowOfUser(std::int32_t user) {
  return summaries_ ? exposeSnapshotRow(summaries_->rowOfUser(user)) : -1;
}

std::int32_t UserListModel::userAt(int row) const {
  if (!summaries_ || row < 0 || row >= rowCount()) return -1;
  return summaries_->users[snapshotRow(row)];
}

int UserListModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant UserListModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
    return {};
  const auto& users = *summaries_;
  const std::size_t row = snapshotRow(index.row());
  const int column = index.column();
  const std::int64_t last = users.lastActive[row];
  const bool hasTime = last != reco::storage::UserSummaries::kNoTime;
  // Partial summaries (the ids and counts, shown while the interactions are read): the
  // columns not read yet say so instead of "none".
  const bool notRead = users.partial && (column == LastActiveColumn || column == TopCategoryColumn);
  if (notRead && role == Qt::DisplayRole) return QStringLiteral("…");
  if (notRead && role == Qt::ToolTipRole)
    return QStringLiteral("Still being read from the user's interactions");
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
