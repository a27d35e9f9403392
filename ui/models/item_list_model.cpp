#include "ui/models/item_list_model.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "ui/convert/qt_convert.h"

namespace reco::ui {

namespace {

char asciiLower(char c) {
  return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
}

bool isAscii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return (unsigned char)c < 0x80; });
}

// Titles ignoring ASCII case ("apple" beside "Apple", before "Banana"), then byte order.
int compareTitles(std::string_view a, std::string_view b) {
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    const auto ca = (unsigned char)asciiLower(a[i]), cb = (unsigned char)asciiLower(b[i]);
    if (ca != cb) return ca < cb ? -1 : 1;
  }
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  const int c = a.compare(b);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

// What one search looks for. An ASCII needle is matched on the UTF-8 bytes with ASCII case
// folded (no conversion per row: ~10 ms per 100k items); a needle with other letters through
// QString's case folding, only in texts that hold a non-ASCII byte (no other text can match).
class Needle {
 public:
  explicit Needle(const QString& text)
      : text_(text), bytes_(toStdString(text.toLower())), ascii_(isAscii(bytes_)) {}

  bool empty() const { return bytes_.empty(); }
  bool foundIn(std::string_view haystack) const {
    if (ascii_) {
      const auto it = std::search(haystack.begin(), haystack.end(), bytes_.begin(), bytes_.end(),
                                  [](char h, char n) { return asciiLower(h) == n; });
      return it != haystack.end();
    }
    if (isAscii(haystack)) return false;
    return QString::fromUtf8(haystack.data(), qsizetype(haystack.size()))
        .contains(text_, Qt::CaseInsensitive);
  }

 private:
  QString text_;
  std::string bytes_;
  bool ascii_;
};

template <typename T>
int compareValues(T a, T b) {
  return a < b ? -1 : b < a ? 1 : 0;
}

}  // namespace

ItemListModel::ItemListModel(QObject* parent)
    : PagedSnapshotModel(InteractionsColumn, Qt::DescendingOrder, parent) {}

void ItemListModel::setSummaries(ItemSummariesPtr summaries) {
  resetSnapshot([&] { summaries_ = std::move(summaries); });
}

std::function<PagedSnapshotModel::View()> ItemListModel::viewTask() const {
  if (!summaries_) return {};
  return [summaries = summaries_, filter = filter(), column = sortColumn(), order = sortOrder()] {
    return computeView(*summaries, filter, column, order);
  };
}

std::vector<std::int32_t> ItemListModel::computeView(const reco::storage::ItemSummaries& items,
                                                     const QString& filter, int column,
                                                     Qt::SortOrder order) {
  const Needle needle(filter);
  std::vector<std::int32_t> rows;
  rows.reserve(items.size());
  // A category matches once for all its items.
  std::vector<char> categoryMatches(items.categories.size(), 0);
  for (std::size_t code = 0; code < items.categories.size(); ++code)
    categoryMatches[code] = char(!needle.empty() && needle.foundIn(items.categories[code]));
  for (std::size_t row = 0; row < items.size(); ++row) {
    const std::int32_t code = items.category[row];
    if (needle.empty() || (code >= 0 && categoryMatches[std::size_t(code)] != 0) ||
        needle.foundIn(items.externalId(row)) || needle.foundIn(items.title(row)))
      rows.push_back(std::int32_t(row));
  }
  // Without a category or a price an item sorts as the highest value (last when ascending,
  // as the user list orders categories); without a time as the lowest.
  const auto categoryKey = [&](std::size_t row) {
    const std::int32_t code = items.category[row];
    return code < 0 ? std::numeric_limits<std::int32_t>::max() : code;
  };
  const auto priceKey = [&](std::size_t row) {
    const double price = items.price[row];
    return std::isnan(price) ? std::numeric_limits<double>::infinity() : price;
  };
  const auto compareKeys = [&](std::int32_t a, std::int32_t b) -> int {
    const auto ra = std::size_t(a), rb = std::size_t(b);
    switch (column) {
      case IdColumn: return compareExternalIds(items.externalId(ra), items.externalId(rb));
      case TitleColumn: return compareTitles(items.title(ra), items.title(rb));
      case CategoryColumn: return compareValues(categoryKey(ra), categoryKey(rb));
      case PriceColumn: return compareValues(priceKey(ra), priceKey(rb));
      case InteractionsColumn: return compareValues(items.interactions[ra], items.interactions[rb]);
      case DistinctUsersColumn:
        return compareValues(items.distinctUsers[ra], items.distinctUsers[rb]);
      case LastInteractionColumn: return compareValues(items.lastActive[ra], items.lastActive[rb]);
      default: return 0;
    }
  };
  const bool descending = order == Qt::DescendingOrder;
  std::sort(rows.begin(), rows.end(), [&](std::int32_t a, std::int32_t b) {
    const int c = compareKeys(a, b);
    if (c != 0) return descending ? c > 0 : c < 0;
    return a < b;  // rows are in item index order
  });
  return rows;
}

std::vector<std::int32_t> ItemListModel::matchingItems() const {
  std::vector<std::int32_t> out;
  if (!summaries_ || !view()) return out;
  out.reserve(view()->size());
  for (const std::int32_t row : *view()) out.push_back(summaries_->items[std::size_t(row)]);
  return out;
}

int ItemListModel::rowOfItem(std::int32_t item) {
  return summaries_ ? exposeSnapshotRow(summaries_->rowOfItem(item)) : -1;
}

std::int32_t ItemListModel::itemAt(int row) const {
  if (!summaries_ || row < 0 || row >= rowCount()) return -1;
  return summaries_->items[snapshotRow(row)];
}

int ItemListModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant ItemListModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
    return {};
  const auto& items = *summaries_;
  const std::size_t row = snapshotRow(index.row());
  const int column = index.column();
  const std::int64_t last = items.lastActive[row];
  const bool hasTime = last != reco::storage::ItemSummaries::kNoTime;
  const double price = items.price[row];
  const std::string& category = items.categoryName(items.category[row]);
  const auto text = [](std::string_view view) {
    return QString::fromUtf8(view.data(), qsizetype(view.size()));
  };
  const bool numeric =
      column == PriceColumn || column == InteractionsColumn || column == DistinctUsersColumn;
  switch (role) {
    case Qt::DisplayRole:
      switch (column) {
        case IdColumn: return text(items.externalId(row));
        case TitleColumn: return text(items.title(row));
        case CategoryColumn: return category.empty() ? QStringLiteral("–") : toQString(category);
        case PriceColumn: return formatNumber(price, 2);  // "–" for NaN
        case InteractionsColumn: return formatCount(items.interactions[row]);
        case DistinctUsersColumn: return formatCount(items.distinctUsers[row]);
        case LastInteractionColumn: return hasTime ? formatDate(last) : QStringLiteral("–");
        default: return {};
      }
    case SortRole:
      switch (column) {
        case IdColumn: return text(items.externalId(row));
        case TitleColumn: return text(items.title(row));
        case CategoryColumn: return toQString(category);
        case PriceColumn: return std::isnan(price) ? -1.0 : price;
        case InteractionsColumn: return items.interactions[row];
        case DistinctUsersColumn: return items.distinctUsers[row];
        case LastInteractionColumn: return qlonglong(hasTime ? last : -1);
        default: return {};
      }
    case ItemIndexRole: return items.items[row];
    case Qt::ToolTipRole:
      switch (column) {
        case IdColumn: return plainToolTip(text(items.externalId(row)));
        case TitleColumn: return plainToolTip(text(items.title(row)));
        case CategoryColumn:
          return category.empty() ? QStringLiteral("This item has no category")
                                  : plainToolTip(toQString(category));
        case LastInteractionColumn:
          return hasTime ? formatDateTime(last) : QStringLiteral("No times recorded");
        default: return {};
      }
    case Qt::TextAlignmentRole:
      return QVariant::fromValue((numeric ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter);
    default: return {};
  }
}

QVariant ItemListModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
    return QAbstractTableModel::headerData(section, orientation, role);
  if (role == Qt::DisplayRole) {
    static const char* const kTitles[ColumnCount] = {
        "Item", "Title", "Category", "Price", "Interactions", "Users", "Last interaction"};
    return QString::fromLatin1(kTitles[section]);
  }
  if (role == Qt::ToolTipRole) {
    switch (section) {
      case IdColumn: return QStringLiteral("The shop's own item id");
      case TitleColumn: return QStringLiteral("The item's title in the catalogue");
      case CategoryColumn: return QStringLiteral("The item's category in the catalogue");
      case PriceColumn: return QStringLiteral("The item's price in the catalogue");
      case InteractionsColumn:
        return QStringLiteral("Interactions (events, ratings, order lines) with the item");
      case DistinctUsersColumn: return QStringLiteral("Users who interacted with the item");
      case LastInteractionColumn:
        return QStringLiteral("Date of the latest interaction with the item (UTC)");
      default: return {};
    }
  }
  if (role == Qt::TextAlignmentRole) {
    const bool numeric =
        section == PriceColumn || section == InteractionsColumn || section == DistinctUsersColumn;
    return QVariant::fromValue((numeric ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter);
  }
  return {};
}

}  // namespace reco::ui
