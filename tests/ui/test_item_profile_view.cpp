// The item profile view, offscreen, on profiles made by hand: setting one fills the header,
// the three charts and the co-occurrence table (hiding columns no row fills); a double-click on a
// row (after sorting the table) emits that row's item; a profile read without a split, or whose
// item no training user chose, shows a note instead of the table; null shows the message.

#include <qcustomplot.h>

#include <QAbstractItemModelTester>
#include <QHeaderView>
#include <QSignalSpy>
#include <QTableView>
#include <QtTest>
#include <cmath>

#include "core/storage/item_store.h"
#include "ui/models/co_occurrence_model.h"
#include "ui/panels/item_profile_view.h"
#include "ui/plots/activity_timeline.h"
#include "ui/plots/price_band_chart.h"
#include "ui/plots/user_category_chart.h"

using reco::ui::CoOccurrenceModel;
using reco::ui::ItemProfileView;

namespace {

reco::storage::CoOccurrence entry(std::int32_t item, const char* id, const char* title,
                                  std::int64_t users, double cosine) {
  reco::storage::CoOccurrence c;
  c.item.item = item;
  c.item.externalId = id;
  c.item.title = title;
  c.item.category = "Kitchen";
  c.item.price = 9.5;
  c.users = users;
  c.cosine = cosine;
  return c;
}

/// Item "K1" (index 4), a kettle chosen by 5 users, 3 of them in split "s1"'s training part.
std::shared_ptr<reco::storage::ItemProfile> kettle() {
  auto p = std::make_shared<reco::storage::ItemProfile>();
  p->meta.item = 4;
  p->meta.externalId = "K1";
  p->meta.title = "Kettle <steel>";
  p->meta.category = "Kitchen";
  p->meta.price = 25.0;
  p->interactions = 7;
  p->distinctUsers = 5;
  p->times = {1735689600, 1736294400, 1736294400, 1738368000, 1740787200, 1743465600, 1745000000};
  p->firstTime = p->times.front();
  p->lastTime = p->times.back();
  p->userCategories = {{"Kitchen", 3, 3}, {"Garden", 2, 2}};
  p->userMedianPrices = {5.0, 9.0, 12.0, 20.0, 40.0};
  p->trainingUsers = 3;
  p->splitName = "s1";
  p->together = {entry(17, "T1", "Toaster", 3, 3 / std::sqrt(27.0)),
                 entry(2, "M1", "Mug", 2, 2 / std::sqrt(6.0)),
                 entry(30, "S1", "Sugar bowl", 1, 1 / std::sqrt(3.0))};
  return p;
}

}  // namespace

class TestItemProfileView : public QObject {
  Q_OBJECT

 private slots:
  void settingAProfileFillsHeaderChartsAndTable() {
    ItemProfileView view;
    view.resize(1000, 650);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QVERIFY(view.isShowingMessage());
    QAbstractItemModelTester tester(view.coOccurrenceModel(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    view.setProfile(kettle());
    QVERIFY(!view.isShowingMessage());
    const QString summary = view.summaryText();
    QVERIFY2(summary.contains(QStringLiteral("K1")), qPrintable(summary));
    QVERIFY2(summary.contains(QStringLiteral("Kettle &lt;steel&gt;")), qPrintable(summary));
    QVERIFY2(summary.contains(QStringLiteral("Kitchen")), qPrintable(summary));
    QVERIFY2(summary.contains(QStringLiteral("price 25.00")), qPrintable(summary));
    QVERIFY2(summary.contains(QStringLiteral("7 interactions by 5 users")), qPrintable(summary));
    QVERIFY2(summary.contains(QStringLiteral("first 2025-01-01")), qPrintable(summary));
    QVERIFY2(summary.contains(QStringLiteral("last 2025-04-18")), qPrintable(summary));

    QCOMPARE(view.togetherTable()->model()->rowCount(), 3);
    QCOMPARE(view.coOccurrenceModel()->rowCount(), 3);
    QVERIFY(view.togetherTable()->isVisible());
    QCOMPARE(view.togetherNote(), QString());
    QVERIFY(view.togetherTitle().contains(QStringLiteral("3 training users of split s1")));
    QVERIFY(!view.togetherTable()->isColumnHidden(CoOccurrenceModel::PriceColumn));
    QVERIFY(!view.togetherTable()->isColumnHidden(CoOccurrenceModel::CategoryColumn));
    QVERIFY(view.activityTimeline()->barCount() > 0);
    QCOMPARE(view.categoryChart()->labels(), (QStringList{"Kitchen", "Garden"}));
    QVERIFY(view.priceBand()->binCount() > 0);
    QVERIFY(view.priceBand()->caption().contains(QStringLiteral("median 12.00")));
    // The charts count the users who chose the item, and say so on their axes.
    auto* categoryPlot = view.categoryChart()->findChild<QCustomPlot*>("userCategoryPlot");
    auto* pricePlot = view.priceBand()->findChild<QCustomPlot*>("pricePlot");
    QVERIFY(categoryPlot && pricePlot);
    QCOMPARE(categoryPlot->xAxis->label(), QString("users"));
    QCOMPARE(pricePlot->yAxis->label(), QString("users"));
    QVERIFY2(pricePlot->toolTip().startsWith(QStringLiteral("5 users with a price")),
             qPrintable(pricePlot->toolTip()));
  }

  void doubleClickEmitsTheRowsItem() {
    ItemProfileView view;
    view.resize(1000, 650);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setProfile(kettle());
    QSignalSpy activated(&view, &ItemProfileView::itemActivated);
    QTableView* table = view.togetherTable();
    // Sorted by title, the first row is the mug (item 2), not the toaster (rank 1).
    table->sortByColumn(CoOccurrenceModel::TitleColumn, Qt::AscendingOrder);
    const QModelIndex first = table->model()->index(0, CoOccurrenceModel::TitleColumn);
    QCOMPARE(first.data().toString(), QString("Mug"));
    const QPoint centre = table->visualRect(first).center();
    // A double-click's first press is a click (mouseDClick sends only the second one).
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, centre);
    QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, centre);
    QCOMPARE(activated.count(), 1);
    QCOMPARE(activated.at(0).at(0).value<std::int32_t>(), 2);
    // A new profile goes back to rank order.
    view.setProfile(kettle());
    QCOMPARE(table->model()->index(0, CoOccurrenceModel::TitleColumn).data().toString(),
             QString("Toaster"));
  }

  void notesInPlaceOfTheTable() {
    ItemProfileView view;
    auto noSplit = kettle();
    noSplit->splitName.clear();
    noSplit->together.clear();
    noSplit->trainingUsers = 0;
    view.setProfile(noSplit);
    QVERIFY(view.togetherNote().startsWith(QStringLiteral("No split chosen")));
    QCOMPARE(view.coOccurrenceModel()->rowCount(), 0);

    auto testOnly = kettle();
    testOnly->together.clear();
    testOnly->trainingUsers = 0;
    view.setProfile(testOnly);
    QVERIFY(view.togetherNote().contains(QStringLiteral("No training user of split s1")));

    auto alone = kettle();
    alone->together.clear();
    view.setProfile(alone);
    QVERIFY(view.togetherNote().contains(QStringLiteral("no other item")));

    // Columns that no row fills are hidden (MovieLens has no prices).
    auto unpriced = kettle();
    for (auto& c : unpriced->together) c.item.price.reset();
    view.setProfile(unpriced);
    QVERIFY(view.togetherTable()->isColumnHidden(CoOccurrenceModel::PriceColumn));
    QVERIFY(!view.togetherTable()->isColumnHidden(CoOccurrenceModel::CategoryColumn));

    // An item without times, categories or prices: notes in the charts, no error.
    auto bare = kettle();
    bare->times.clear();
    bare->firstTime.reset();
    bare->lastTime.reset();
    bare->userCategories = {{"", 5, 5}};
    bare->userMedianPrices.clear();
    view.setProfile(bare);
    QCOMPARE(view.activityTimeline()->barCount(), 0);
    QCOMPARE(view.categoryChart()->barCount(), 0);
    QCOMPARE(view.priceBand()->binCount(), 0);

    view.setProfile(nullptr);
    QVERIFY(view.isShowingMessage());
    QCOMPARE(view.coOccurrenceModel()->rowCount(), 0);
  }
};

QTEST_MAIN(TestItemProfileView)
#include "test_item_profile_view.moc"
