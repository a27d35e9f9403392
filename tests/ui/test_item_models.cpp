// The Items screen's tables, offscreen, on snapshots made by hand: the item list's search
// (id, title, category; ASCII and non-ASCII case), its order by every column with stable
// ties, filtering and sorting in the background under QAbstractItemModelTester, paging
// through 20,000 items; and the co-occurrence table of an item profile under the tester.

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>
#include <cmath>
#include <limits>

#include "core/storage/item_store.h"
#include "ui/models/co_occurrence_model.h"
#include "ui/models/item_list_model.h"

using reco::storage::ItemSummaries;
using reco::ui::CoOccurrenceModel;
using reco::ui::ItemListModel;

namespace {

constexpr int kTimeoutMs = 20000;
const double kNoPrice = std::numeric_limits<double>::quiet_NaN();

struct HandItem {
  std::int32_t item;
  const char* id;
  const char* title;
  std::int32_t category;  // into {"Garden", "Kitchen"}, -1 none
  double price;
  std::int32_t interactions, users;
  std::int64_t last;
};

ItemSummaries summariesOf(std::initializer_list<HandItem> rows) {
  ItemSummaries s;
  s.categories = {"Garden", "Kitchen"};
  s.idOffsets.push_back(0);
  s.titleOffsets.push_back(0);
  for (const HandItem& row : rows) {
    s.items.push_back(row.item);
    s.interactions.push_back(row.interactions);
    s.distinctUsers.push_back(row.users);
    s.lastActive.push_back(row.last);
    s.price.push_back(row.price);
    s.category.push_back(row.category);
    s.idPool += row.id;
    s.idOffsets.push_back(std::uint32_t(s.idPool.size()));
    s.titlePool += row.title;
    s.titleOffsets.push_back(std::uint32_t(s.titlePool.size()));
  }
  return s;
}

/// Items 3, 5, 8, 9 (ascending, as summarizeItems gives them).
ItemSummaries handMadeSummaries() {
  return summariesOf({
      {3, "10", "Kettle", 1, 12.5, 5, 4, 300},
      {5, "9", "banana slicer", 1, kNoPrice, 7, 2, 100},
      {8, "a7", "Crème brûlée torch", -1, 30.0, 1, 1, ItemSummaries::kNoTime},
      {9, "11", "Apple picker", 0, 4.0, 5, 5, 200},
  });
}

QStringList idsInOrder(const ItemSummaries& s, const std::vector<std::int32_t>& rows) {
  QStringList out;
  for (const auto row : rows)
    out << QString::fromStdString(std::string(s.externalId(std::size_t(row))));
  return out;
}

QStringList view(const ItemSummaries& s, const QString& filter, int column,
                 Qt::SortOrder order = Qt::AscendingOrder) {
  return idsInOrder(s, ItemListModel::computeView(s, filter, column, order));
}

}  // namespace

class TestItemModels : public QObject {
  Q_OBJECT

 private slots:
  void searchMatchesIdTitleOrCategory() {
    const auto s = handMadeSummaries();
    QCOMPARE(view(s, "KITCH", ItemListModel::IdColumn), (QStringList{"9", "10"}));  // category
    QCOMPARE(view(s, "apple", ItemListModel::IdColumn), (QStringList{"11"}));       // title
    QCOMPARE(view(s, "A7", ItemListModel::IdColumn), (QStringList{"a7"}));          // id
    QCOMPARE(view(s, "1", ItemListModel::IdColumn), (QStringList{"10", "11"}));
    // Non-ASCII letters fold case too.
    QCOMPARE(view(s, QString::fromUtf8("CRÈME"), ItemListModel::IdColumn), (QStringList{"a7"}));
    QCOMPARE(view(s, QString::fromUtf8("ÉTÉ"), ItemListModel::IdColumn), QStringList{});
    QCOMPARE(view(s, "zzz", ItemListModel::IdColumn), QStringList{});
    QCOMPARE(view(s, "", ItemListModel::IdColumn).size(), 4);
  }

  void sortsByEveryColumnWithStableTies() {
    const auto s = handMadeSummaries();
    // Numeric ids in numeric order, then text.
    QCOMPARE(view(s, "", ItemListModel::IdColumn), (QStringList{"9", "10", "11", "a7"}));
    // Titles ignoring case.
    QCOMPARE(view(s, "", ItemListModel::TitleColumn), (QStringList{"11", "9", "a7", "10"}));
    // Categories by name, none last ascending (first descending); ties by item index.
    QCOMPARE(view(s, "", ItemListModel::CategoryColumn), (QStringList{"11", "10", "9", "a7"}));
    QCOMPARE(view(s, "", ItemListModel::CategoryColumn, Qt::DescendingOrder),
             (QStringList{"a7", "10", "9", "11"}));
    // Prices, none last.
    QCOMPARE(view(s, "", ItemListModel::PriceColumn), (QStringList{"11", "10", "a7", "9"}));
    // Ties (10 and 11 both 5 interactions) by item index in either direction.
    QCOMPARE(view(s, "", ItemListModel::InteractionsColumn, Qt::DescendingOrder),
             (QStringList{"9", "10", "11", "a7"}));
    QCOMPARE(view(s, "", ItemListModel::InteractionsColumn), (QStringList{"a7", "10", "11", "9"}));
    QCOMPARE(view(s, "", ItemListModel::DistinctUsersColumn, Qt::DescendingOrder),
             (QStringList{"11", "10", "9", "a7"}));
    // No time sorts first ascending.
    QCOMPARE(view(s, "", ItemListModel::LastInteractionColumn),
             (QStringList{"a7", "9", "11", "10"}));
  }

  void listModelUnderTesterSortsAndFiltersInTheBackground() {
    ItemListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy updated(&model, &ItemListModel::viewUpdated);
    model.setSummaries(std::make_shared<const ItemSummaries>(handMadeSummaries()));
    QVERIFY(updated.wait(kTimeoutMs));
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(model.columnCount(), int(ItemListModel::ColumnCount));
    // Default order: most interactions first.
    QCOMPARE(model.index(0, ItemListModel::IdColumn).data().toString(), QString("9"));
    QCOMPARE(model.index(0, ItemListModel::TitleColumn).data().toString(),
             QString("banana slicer"));
    QCOMPARE(model.index(0, ItemListModel::PriceColumn).data().toString(), QString("–"));
    QCOMPARE(model.index(0, ItemListModel::PriceColumn).data(ItemListModel::SortRole).toDouble(),
             -1.0);
    QCOMPARE(
        model.index(0, ItemListModel::InteractionsColumn).data(ItemListModel::SortRole).toInt(), 7);
    QCOMPARE(model.index(1, ItemListModel::PriceColumn).data().toString(), QString("12.50"));
    QCOMPARE(model.index(3, ItemListModel::CategoryColumn).data().toString(), QString("–"));
    QCOMPARE(model.index(3, ItemListModel::LastInteractionColumn).data().toString(), QString("–"));
    // The item index role and accessor give the dataset index, not the row.
    QCOMPARE(
        model.index(0, ItemListModel::CategoryColumn).data(ItemListModel::ItemIndexRole).toInt(),
        5);
    QCOMPARE(model.itemAt(0), 5);
    QCOMPARE(model.itemAt(4), -1);

    model.sort(ItemListModel::TitleColumn, Qt::DescendingOrder);
    QVERIFY(model.isUpdating());
    QVERIFY(updated.wait(kTimeoutMs));
    QCOMPARE(model.index(0, ItemListModel::TitleColumn).data().toString(), QString("Kettle"));
    model.setFilter(QStringLiteral("  garden "));
    QVERIFY(updated.wait(kTimeoutMs));
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.itemAt(0), 9);
    QCOMPARE(model.matchingItems(), (std::vector<std::int32_t>{9}));
    QCOMPARE(model.rowOfItem(3), -1);  // filtered out
    QCOMPARE(model.rowOfItem(9), 0);
    model.setSummaries(nullptr);
    QCOMPARE(model.rowCount(), 0);
  }

  void aNewerRequestSupersedesAnOlderOne() {
    ItemListModel model;
    QSignalSpy updated(&model, &ItemListModel::viewUpdated);
    model.setSummaries(std::make_shared<const ItemSummaries>(handMadeSummaries()));
    model.setFilter(QStringLiteral("kettle"));
    model.setFilter(QStringLiteral("apple"));
    QTRY_VERIFY_WITH_TIMEOUT(!model.isUpdating(), kTimeoutMs);
    QCOMPARE(updated.count(), 1);  // only the last request is shown
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.itemAt(0), 9);
  }

  void pagesThroughTwentyThousandItems() {
    // The model alone (no view fetching pages behind the test's back), under the tester.
    constexpr int kItems = 20000;
    auto big = std::make_shared<ItemSummaries>();
    big->categories = {"Garden", "Kitchen"};
    big->idOffsets.push_back(0);
    big->titleOffsets.push_back(0);
    for (int i = 0; i < kItems; ++i) {
      big->items.push_back(2 * i);  // sparse indices: rows and item indices differ
      big->interactions.push_back((i * 7919) % 1000 + 1);
      big->distinctUsers.push_back(1);
      big->lastActive.push_back(1000 + i);
      big->price.push_back(double(i % 50));
      big->category.push_back(i % 3 - 1);
      big->idPool += "item" + std::to_string(i);
      big->idOffsets.push_back(std::uint32_t(big->idPool.size()));
      big->titlePool += (i % 2 == 0 ? "Red thing " : "Blue thing ") + std::to_string(i);
      big->titleOffsets.push_back(std::uint32_t(big->titlePool.size()));
    }
    ItemListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy updated(&model, &ItemListModel::viewUpdated);
    model.setSummaries(big);
    QVERIFY(updated.wait(kTimeoutMs));
    QCOMPARE(model.matchingRows(), kItems);
    // Only whole pages are exposed (the tester may have fetched one); fetchMore adds the next.
    const int first = model.rowCount();
    QVERIFY(first >= ItemListModel::kPageRows && first % ItemListModel::kPageRows == 0 &&
            first < kItems);
    QVERIFY(model.canFetchMore({}));
    model.fetchMore({});
    QCOMPARE(model.rowCount(), first + ItemListModel::kPageRows);
    for (int row = 1; row < model.rowCount(); ++row)
      QVERIFY(model.index(row - 1, ItemListModel::InteractionsColumn)
                  .data(ItemListModel::SortRole)
                  .toInt() >= model.index(row, ItemListModel::InteractionsColumn)
                                  .data(ItemListModel::SortRole)
                                  .toInt());
    // An item deep in the order: asking for its row exposes the pages up to it.
    const std::int32_t deepItem = model.matchingItems().back();
    const int deep = model.rowOfItem(deepItem);
    QCOMPARE(deep, kItems - 1);
    QCOMPARE(model.rowCount(), kItems);
    QCOMPARE(model.itemAt(deep), deepItem);
    QVERIFY(!model.canFetchMore({}));
    // A search over every page: "blue" is half the items, by title.
    model.setFilter(QStringLiteral("BLUE"));
    QVERIFY(updated.wait(kTimeoutMs));
    QCOMPARE(model.matchingRows(), kItems / 2);
    QVERIFY(model.rowCount() >= ItemListModel::kPageRows &&
            model.rowCount() % ItemListModel::kPageRows == 0 && model.rowCount() < kItems / 2);
    for (const std::int32_t item : model.matchingItems()) QVERIFY((item / 2) % 2 == 1);
  }

  void coOccurrenceModelUnderTester() {
    CoOccurrenceModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 0);
    auto profile = std::make_shared<reco::storage::ItemProfile>();
    profile->trainingUsers = 6;
    const auto entry = [](std::int32_t item, const char* id, const char* title,
                          const char* category, std::optional<double> price, std::int64_t users,
                          double cosine) {
      reco::storage::CoOccurrence c;
      c.item.item = item;
      c.item.externalId = id;
      c.item.title = title;
      c.item.category = category;
      c.item.price = price;
      c.users = users;
      c.cosine = cosine;
      return c;
    };
    profile->together = {entry(17, "B", "Toaster", "Kitchen", 20.0, 4, 4 / std::sqrt(60.0)),
                         entry(3, "C", "<b>Rake</b>", "", std::nullopt, 1, 1 / std::sqrt(6.0))};
    model.setProfile(profile);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.columnCount(), int(CoOccurrenceModel::ColumnCount));
    QCOMPARE(model.index(0, CoOccurrenceModel::RankColumn).data().toInt(), 1);
    QCOMPARE(model.index(1, CoOccurrenceModel::RankColumn).data().toInt(), 2);
    QCOMPARE(model.index(0, CoOccurrenceModel::IdColumn).data().toString(), QString("B"));
    QCOMPARE(model.index(0, CoOccurrenceModel::TitleColumn).data().toString(), QString("Toaster"));
    QCOMPARE(model.index(0, CoOccurrenceModel::PriceColumn).data().toString(), QString("20.00"));
    QCOMPARE(model.index(1, CoOccurrenceModel::PriceColumn).data().toString(), QString("–"));
    QCOMPARE(model.index(1, CoOccurrenceModel::PriceColumn).data(CoOccurrenceModel::SortRole),
             QVariant(-1.0));
    QCOMPARE(model.index(1, CoOccurrenceModel::CategoryColumn).data().toString(), QString("–"));
    QCOMPARE(model.index(0, CoOccurrenceModel::UsersColumn).data().toString(), QString("4"));
    QCOMPARE(model.index(0, CoOccurrenceModel::CosineColumn).data().toString(), QString("0.516"));
    QCOMPARE(model.index(1, CoOccurrenceModel::CosineColumn)
                 .data(CoOccurrenceModel::SortRole)
                 .toDouble(),
             1 / std::sqrt(6.0));
    QCOMPARE(model.index(1, CoOccurrenceModel::UsersColumn).data(CoOccurrenceModel::ItemIndexRole),
             QVariant(3));
    QCOMPARE(model.itemAt(0), 17);
    QCOMPARE(model.itemAt(2), -1);
    // A title that looks like markup is shown as text in its tooltip.
    QVERIFY(model.index(1, CoOccurrenceModel::TitleColumn)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("&lt;b&gt;")));
    QVERIFY(model.index(0, CoOccurrenceModel::UsersColumn)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("of the 6 training users")));
    model.setProfile(nullptr);
    QCOMPARE(model.rowCount(), 0);
  }
};

QTEST_MAIN(TestItemModels)
#include "test_item_models.moc"
