#include "ui/models/item_audience_model.h"

#include <algorithm>
#include <numeric>
#include <string_view>
#include <tuple>

#include "ui/convert/qt_convert.h"

namespace reco::ui {

ItemAudienceModel::ItemAudienceModel(QObject* parent) : QAbstractTableModel(parent) {}

void ItemAudienceModel::setAudience(ItemAudiencePtr audience) {
  beginResetModel();
  audience_ = std::move(audience);
  order_.resize(audience_ ? audience_->members.size() : 0);
  std::iota(order_.begin(), order_.end(), std::uint32_t(0));
  applyOrder();
  endResetModel();
}

QString ItemAudienceModel::userIdAt(int row) const {
  if (row < 0 || std::size_t(row) >= order_.size()) return {};
  return toQString(audience_->userIds[order_[std::size_t(row)]]);
}

void ItemAudienceModel::applyOrder() {
  if (!audience_) return;
  const auto& members = audience_->members;
  const auto& ids = audience_->userIds;
  const bool ascending = sortOrder_ == Qt::AscendingOrder;
  // Members come by user index ascending, so a stable sort keeps that as the tie-break.
  const auto by = [&](auto key) {
    std::stable_sort(order_.begin(), order_.end(), [&](std::uint32_t a, std::uint32_t b) {
      return ascending ? key(a) < key(b) : key(b) < key(a);
    });
  };
  std::iota(order_.begin(), order_.end(), std::uint32_t(0));
  switch (sortColumn_) {
    case UserColumn: {
      // Numeric ids in numeric order, then the rest as text (as the user list sorts them).
      const auto key = [&](std::uint32_t i) {
        const std::string& id = ids[i];
        const bool numeric =
            !id.empty() && id.size() < 19 &&
            std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; });
        return std::make_tuple(!numeric, numeric ? std::stoll(id) : 0LL, std::string_view(id));
      };
      by(key);
      break;
    }
    case RankColumn: {
      // The default order, applied to every audience as it arrives on the GUI thread: a
      // bestseller is in most users' lists (hundreds of thousands of members), where a stable
      // sort took tens of ms. Ranks are small, so a counting sort does it in one pass, as
      // stably (members in user order within a rank).
      std::int32_t highest = 0;
      for (const auto& member : members) highest = std::max(highest, member.rank);
      if (highest > 100000 ||
          std::any_of(members.begin(), members.end(), [](const auto& m) { return m.rank < 0; })) {
        by([&](std::uint32_t i) { return members[i].rank; });
        break;
      }
      std::vector<std::uint32_t> first(std::size_t(highest) + 2, 0);
      for (const auto& member : members)
        ++first[std::size_t(ascending ? member.rank : highest - member.rank) + 1];
      std::partial_sum(first.begin(), first.end(), first.begin());
      for (std::uint32_t i = 0; i < members.size(); ++i) {
        const auto rank = std::size_t(ascending ? members[i].rank : highest - members[i].rank);
        order_[first[rank]++] = i;
      }
      break;
    }
    case ScoreColumn: by([&](std::uint32_t i) { return members[i].score; }); break;
    default: break;
  }
}

void ItemAudienceModel::sort(int column, Qt::SortOrder order) {
  if (column < 0 || column >= ColumnCount) return;
  sortColumn_ = column;
  sortOrder_ = order;
  if (!audience_) return;
  // Selections are dropped with the reset: a new order of a long list is a new view of it.
  beginResetModel();
  applyOrder();
  endResetModel();
}

int ItemAudienceModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : int(order_.size());
}

int ItemAudienceModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant ItemAudienceModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
    return {};
  const std::uint32_t at = order_[std::size_t(index.row())];
  const reco::storage::AudienceMember& member = audience_->members[at];
  const QString id = toQString(audience_->userIds[at]);
  switch (role) {
    case Qt::DisplayRole:
      switch (index.column()) {
        case UserColumn: return id;
        case RankColumn: return member.rank;
        case ScoreColumn: return QString::number(double(member.score), 'g', 3);
        default: return {};
      }
    case SortRole:
      switch (index.column()) {
        case UserColumn: return id;
        case RankColumn: return member.rank;
        case ScoreColumn: return double(member.score);
        default: return {};
      }
    case Qt::ToolTipRole:
      return plainToolTip(
          QStringLiteral("User %1 sees the item at rank %2 of their list (score %3).\n"
                         "Double-click to open the user in the Users panel.")
              .arg(id)
              .arg(member.rank)
              .arg(QString::number(double(member.score), 'g', 6)));
    case Qt::TextAlignmentRole:
      if (index.column() == UserColumn)
        return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
      return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    case UserIndexRole: return member.user;
    case UserIdRole: return id;
    default: return {};
  }
}

QVariant ItemAudienceModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
    return QAbstractTableModel::headerData(section, orientation, role);
  if (role == Qt::DisplayRole) {
    static const char* const kTitles[ColumnCount] = {"User", "#", "Score"};
    return QString::fromUtf8(kTitles[section]);
  }
  if (role == Qt::ToolTipRole) {
    switch (section) {
      case UserColumn: return QStringLiteral("The user's id in the dataset");
      case RankColumn: return QStringLiteral("The item's place in the user's stored top-N list");
      case ScoreColumn: return QStringLiteral("The model's score for the item in that list");
      default: return {};
    }
  }
  return {};
}

}  // namespace reco::ui
