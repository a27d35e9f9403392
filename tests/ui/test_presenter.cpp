// The presenter's story and presenter mode (issue 15), offscreen, on a workspace with a
// synthetic shop, one split and two runs (pop, itemknn): a comparison, a customer and a
// product are bookmarked from their panels with Ctrl+B; F11 enters presenter mode (full
// screen, larger application and plot text, no side panel, the banner), Page Down / Right /
// Left / Page Up step through the story and each step shows its panel with the bookmarked
// choices; arrows stay with a table that has the focus; the first Esc in a cell editor
// cancels the edit and in a field leaves the field; Esc leaves and restores everything.
// The Story dialog reorders and deletes, and the store agrees. Bookmarks of runs, a dataset
// or a product that are gone say so in the banner; an item bookmark opens its item by id.

#include <qcustomplot.h>

#include <QApplication>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "core/storage/story_store.h"
#include "core/storage/workspace.h"
#include "core/training/experiment.h"
#include "tests/support/shop_workspace.h"
#include "ui/application_setup.h"
#include "ui/main_window.h"
#include "ui/models/item_list_model.h"
#include "ui/models/user_list_model.h"
#include "ui/panels/compare_panel.h"
#include "ui/panels/experiments_panel.h"
#include "ui/panels/items_panel.h"
#include "ui/panels/nearest_items_view.h"
#include "ui/panels/users_panel.h"
#include "ui/plots/metric_bar_chart.h"
#include "ui/plots/plot_frame.h"
#include "ui/widgets/story_dialog.h"
#include "ui/widgets/story_model.h"
#include "ui/widgets/story_presenter.h"

using reco::ui::MainWindow;
using reco::ui::StoryPresenter;

namespace {

constexpr int kTimeoutMs = 30000;

void makeWorkspace(const QString& path) {
  reco::storage::Workspace ws(path.toStdString(),
                              reco::storage::Workspace::OpenMode::CreateIfMissing);
  const reco::DatasetInfo shop = reco::testing::importSyntheticShop(ws, 150, 60, 3000, 7);
  const auto split = reco::testing::createHoldoutSplit(ws, shop);
  for (const char* model : {"pop", "itemknn"}) {
    reco::ExperimentOptions options;
    options.model = model;
    options.compute.threads = 1;
    reco::runExperiment(ws, split, options, nullptr, {});
  }
}

std::vector<std::string> storedTitles(const QString& path) {
  reco::storage::Workspace ws(path.toStdString(), reco::storage::Workspace::OpenMode::OpenExisting);
  std::vector<std::string> titles;
  for (const auto& bookmark : reco::storage::listBookmarks(ws)) titles.push_back(bookmark.title);
  return titles;
}

/// The tick label size of the Compare panel's bar chart's value axis, in points.
double barTickPoints(MainWindow& window) {
  auto* plot = window.comparePanel()->barChart()->findChild<QCustomPlot*>();
  return plot ? plot->yAxis->tickLabelFont().pointSizeF() : -1;
}

/// Sends `key` to the focused widget, as the keyboard does.
void press(Qt::Key key) {
  QWidget* target = QApplication::focusWidget();
  QVERIFY(target);
  QTest::keyClick(target, key);
}

}  // namespace

class TestPresenter : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    reco::ui::setUpApplication(*qApp);
  }

  void bookmarksStepsAndPresenterMode() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("story.reco"));
    makeWorkspace(path);

    MainWindow window;
    window.resize(1280, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    StoryPresenter* presenter = window.storyPresenter();
    auto* story = presenter->story();
    auto* compare = window.comparePanel();
    auto* users = window.usersPanel();
    auto* items = window.itemsPanel();
    QSignalSpy comparisons(compare, &reco::ui::ComparePanel::comparisonShown);
    QSignalSpy usersShown(users, &reco::ui::UsersPanel::usersShown);
    QSignalSpy userProfiles(users, &reco::ui::UsersPanel::profileShown);
    QSignalSpy itemsShown(items, &reco::ui::ItemsPanel::itemsShown);
    QSignalSpy itemProfiles(items, &reco::ui::ItemsPanel::profileShown);
    window.openWorkspace(path);
    QTRY_VERIFY_WITH_TIMEOUT(!story->isBusy(), kTimeoutMs);
    QCOMPARE(story->count(), 0);

    // 1. The comparison at K = 20 with only itemknn checked.
    QVERIFY(window.showPanel(QStringLiteral("Compare")));
    QTRY_VERIFY_WITH_TIMEOUT(!comparisons.isEmpty(), kTimeoutMs);
    QVERIFY(compare->setK(20));
    QVERIFY(compare->setRunChecked(QStringLiteral("pop"), false));
    QTRY_VERIFY_WITH_TIMEOUT(
        !compare->isBusy() && compare->comparison() && compare->comparison()->k == 20, kTimeoutMs);
    QTest::keyClick(&window, Qt::Key_B, Qt::ControlModifier);  // View › Add to story
    QTRY_COMPARE_WITH_TIMEOUT(story->count(), 1, kTimeoutMs);
    QCOMPARE(QString::fromStdString(story->bookmarks()[0].title),
             QStringLiteral("Compare · ndcg@20 · 1 run"));

    // 2. A customer: the third user listed.
    QVERIFY(window.showPanel(QStringLiteral("Users")));
    QTRY_VERIFY_WITH_TIMEOUT(!usersShown.isEmpty(), kTimeoutMs);
    const QString userId = users->userModel()->index(2, 0).data().toString();
    QVERIFY(users->selectUser(userId));
    QTRY_VERIFY_WITH_TIMEOUT(
        !userProfiles.isEmpty() && userProfiles.last().at(0).toString() == userId, kTimeoutMs);
    QVERIFY(presenter->addCurrentView());
    QTRY_COMPARE_WITH_TIMEOUT(story->count(), 2, kTimeoutMs);
    QCOMPARE(QString::fromStdString(story->bookmarks()[1].title),
             QStringLiteral("Customer %1").arg(userId));

    // 3. A product on its Nearest items tab.
    QVERIFY(window.showPanel(QStringLiteral("Items")));
    QTRY_VERIFY_WITH_TIMEOUT(!itemsShown.isEmpty(), kTimeoutMs);
    const QString itemId =
        items->itemModel()->index(4, reco::ui::ItemListModel::IdColumn).data().toString();
    QVERIFY(items->selectItem(itemId));
    QTRY_VERIFY_WITH_TIMEOUT(
        !itemProfiles.isEmpty() && itemProfiles.last().at(0).toString() == itemId, kTimeoutMs);
    items->tabs()->setCurrentWidget(items->nearestView());
    QVERIFY(presenter->addCurrentView());
    QTRY_COMPARE_WITH_TIMEOUT(story->count(), 3, kTimeoutMs);
    QCOMPARE(storedTitles(path), (std::vector<std::string>{"Compare · ndcg@20 · 1 run",
                                                           "Customer " + userId.toStdString(),
                                                           "Product " + itemId.toStdString()}));
    // The Datasets panel has no view to bookmark.
    QVERIFY(window.showPanel(QStringLiteral("Datasets")));
    QVERIFY(!presenter->addCurrentView());

    // Everything is changed away from the bookmarks before presenting.
    QVERIFY(compare->setK(10));
    QVERIFY(compare->setRunChecked(QStringLiteral("pop"), true));
    const QString otherUser = users->userModel()->index(0, 0).data().toString();
    QVERIFY(otherUser != userId);
    QVERIFY(users->selectUser(otherUser));
    const QString otherItem =
        items->itemModel()->index(0, reco::ui::ItemListModel::IdColumn).data().toString();
    QVERIFY(otherItem != itemId);
    QVERIFY(items->selectItem(otherItem));
    items->tabs()->setCurrentIndex(0);
    QVERIFY(window.showPanel(QStringLiteral("Compare")));
    QTRY_VERIFY_WITH_TIMEOUT(!compare->isBusy() && compare->comparison()->k == 10, kTimeoutMs);

    // F11: presenter mode.
    auto* navigation = window.findChild<QWidget*>(QStringLiteral("navigation"));
    QVERIFY(navigation && navigation->isVisible());
    const double fontBefore = QApplication::font().pointSizeF();
    const double ticksBefore = barTickPoints(window);
    QVERIFY(ticksBefore > 0);
    // A label the style sheet sizes (15 pt) and one that takes the application font.
    auto* heading = compare->findChild<QLabel*>(QStringLiteral("panelHeading"));
    auto* legend = compare->findChild<QLabel*>(QStringLiteral("compareLegend"));
    QVERIFY(heading && legend);
    const double headingBefore = heading->font().pointSizeF();
    const double legendBefore = legend->font().pointSizeF();
    // The rows of a customer's lists (three lines each) grow with the font.
    auto* list0 = users->findChild<QTableView*>(QStringLiteral("recommendationList0"));
    QVERIFY(list0);
    const int rowBefore = list0->verticalHeader()->defaultSectionSize();
    QTest::keyClick(&window, Qt::Key_F11);
    QVERIFY(presenter->isPresenting());
    QVERIFY(window.windowState() & Qt::WindowFullScreen);
    QVERIFY(!navigation->isVisible());
    QCOMPARE(QApplication::font().pointSizeF(), fontBefore * StoryPresenter::kScale);
    QCOMPARE(reco::ui::plotTextScale(), StoryPresenter::kScale);
    QVERIFY(barTickPoints(window) > ticksBefore * 1.3);
    QVERIFY(heading->font().pointSizeF() > headingBefore * 1.3);
    QVERIFY(legend->font().pointSizeF() > legendBefore * 1.3);
    QVERIFY(list0->verticalHeader()->defaultSectionSize() > rowBefore * 1.2);
    auto* banner = window.findChild<QLabel*>(QStringLiteral("presenterBannerText"));
    QVERIFY(banner && banner->isVisible());

    // It opens on step 1: the comparison as bookmarked (K 20, pop unchecked).
    QCOMPARE(presenter->currentStep(), 0);
    QVERIFY(banner->text().startsWith(QStringLiteral("1 / 3 · Compare · ndcg@20 · 1 run")));
    QVERIFY(banner->text().contains(QStringLiteral("Esc or F11 to leave")));
    QTRY_VERIFY_WITH_TIMEOUT(
        !compare->isBusy() && compare->comparison() && compare->comparison()->k == 20, kTimeoutMs);
    QCOMPARE(compare->k(), 20);
    QCOMPARE(compare->comparison()->runs.size(), std::size_t(1));

    // Page Down: the customer, with the bookmarked user selected again.
    press(Qt::Key_PageDown);
    QCOMPARE(presenter->currentStep(), 1);
    QCOMPARE(window.currentPanel(), QStringLiteral("Users"));
    QTRY_COMPARE_WITH_TIMEOUT(users->bookmarkState().value("user").toString(), userId, kTimeoutMs);
    QVERIFY(banner->text().startsWith(QStringLiteral("2 / 3 · Customer ")));

    // Right: the product, on its Nearest items tab.
    press(Qt::Key_Right);
    QCOMPARE(presenter->currentStep(), 2);
    QCOMPARE(window.currentPanel(), QStringLiteral("Items"));
    QTRY_COMPARE_WITH_TIMEOUT(items->bookmarkState().value("item").toString(), itemId, kTimeoutMs);
    QCOMPARE(items->bookmarkState().value("tab").toString(), QStringLiteral("nearest"));
    press(Qt::Key_PageDown);  // the last step stays
    QCOMPARE(presenter->currentStep(), 2);

    // Left and Page Up go back.
    press(Qt::Key_Left);
    QCOMPARE(presenter->currentStep(), 1);
    QCOMPARE(window.currentPanel(), QStringLiteral("Users"));
    press(Qt::Key_PageUp);
    QCOMPARE(presenter->currentStep(), 0);
    QCOMPARE(window.currentPanel(), QStringLiteral("Compare"));

    // A table with the focus keeps the arrows; Page Down steps all the same.
    auto* table = compare->findChild<QTableView*>(QStringLiteral("comparisonTable"));
    QVERIFY(table);
    table->setFocus();
    QCOMPARE(QApplication::focusWidget(), table);
    QTest::keyClick(table, Qt::Key_Right);
    QCOMPARE(presenter->currentStep(), 0);
    QTest::keyClick(table, Qt::Key_PageDown);
    QCOMPARE(presenter->currentStep(), 1);

    // Esc in a cell being edited cancels the edit and stays; a second Esc would leave.
    {
      auto* cells = new QTableWidget(1, 1, &window);
      cells->setItem(0, 0, new QTableWidgetItem(QStringLiteral("before")));
      cells->show();
      cells->setFocus();
      cells->editItem(cells->item(0, 0));
      auto* editor = qobject_cast<QLineEdit*>(QApplication::focusWidget());
      QVERIFY(editor && editor->parentWidget() == cells->viewport());
      editor->setText(QStringLiteral("typed"));
      press(Qt::Key_Escape);
      QVERIFY(presenter->isPresenting());
      QCOMPARE(cells->item(0, 0)->text(), QStringLiteral("before"));
      QCOMPARE(QApplication::focusWidget(), cells);
      delete cells;
    }
    // Esc in a field takes the keyboard out of it and stays; Page Down still steps from it.
    {
      auto* field = new QLineEdit(&window);
      field->show();
      field->setFocus();
      QCOMPARE(QApplication::focusWidget(), field);
      QTest::keyClick(field, Qt::Key_PageUp);
      QCOMPARE(presenter->currentStep(), 0);
      QTest::keyClick(field, Qt::Key_PageDown);
      QCOMPARE(presenter->currentStep(), 1);
      field->setFocus();
      QCOMPARE(QApplication::focusWidget(), field);
      press(Qt::Key_Escape);
      QVERIFY(presenter->isPresenting());
      QVERIFY(QApplication::focusWidget() != field);
      delete field;
    }

    // Esc leaves: the font, the plots, the side panel and the window state come back.
    press(Qt::Key_Escape);
    QVERIFY(!presenter->isPresenting());
    QVERIFY(!(window.windowState() & Qt::WindowFullScreen));
    QVERIFY(navigation->isVisible());
    QVERIFY(!banner->isVisible());
    QCOMPARE(QApplication::font().pointSizeF(), fontBefore);
    QCOMPARE(reco::ui::plotTextScale(), 1.0);
    QCOMPARE(barTickPoints(window), ticksBefore);
    QCOMPARE(heading->font().pointSizeF(), headingBefore);
    QCOMPARE(legend->font().pointSizeF(), legendBefore);
    QCOMPARE(list0->verticalHeader()->defaultSectionSize(), rowBefore);
    // Arrows step no more.
    QVERIFY(window.showPanel(QStringLiteral("Compare")));
    table->setFocus();
    QTest::keyClick(table, Qt::Key_PageDown);
    QCOMPARE(presenter->currentStep(), 1);

    // F11 toggles: on and off again.
    QTest::keyClick(&window, Qt::Key_F11);
    QVERIFY(presenter->isPresenting());
    QVERIFY(window.windowState() & Qt::WindowFullScreen);
    QTest::keyClick(&window, Qt::Key_F11);
    QVERIFY(!presenter->isPresenting());
    QVERIFY(!(window.windowState() & Qt::WindowFullScreen));

    // The Story dialog: the product moves up one place, then the comparison is deleted.
    reco::ui::StoryDialog* dialog = presenter->openStoryDialog();
    QCOMPARE(dialog->list()->count(), 3);
    dialog->setCurrentRow(2);
    dialog->moveChosen(-1);
    QTRY_VERIFY_WITH_TIMEOUT(!story->isBusy(), kTimeoutMs);
    QCOMPARE(storedTitles(path), (std::vector<std::string>{"Compare · ndcg@20 · 1 run",
                                                           "Product " + itemId.toStdString(),
                                                           "Customer " + userId.toStdString()}));
    QCOMPARE(dialog->currentRow(), 1);
    dialog->setCurrentRow(0);
    dialog->deleteChosen();
    QTRY_VERIFY_WITH_TIMEOUT(!story->isBusy(), kTimeoutMs);
    QCOMPARE(storedTitles(path), (std::vector<std::string>{"Product " + itemId.toStdString(),
                                                           "Customer " + userId.toStdString()}));
    QCOMPARE(dialog->list()->count(), 2);
    dialog->renameChosen(QStringLiteral("Our best seller"));
    QTRY_VERIFY_WITH_TIMEOUT(!story->isBusy(), kTimeoutMs);
    QCOMPARE(storedTitles(path).front(), std::string("Our best seller"));
    // A drop moves the row in the list's model; the store follows.
    QVERIFY(dialog->list()->model()->moveRow(QModelIndex(), 0, QModelIndex(), 2));
    QTRY_VERIFY_WITH_TIMEOUT(
        !story->isBusy() && story->bookmarks().front().title != "Our best seller", kTimeoutMs);
    QCOMPARE(storedTitles(path),
             (std::vector<std::string>{"Customer " + userId.toStdString(), "Our best seller"}));
    QCOMPARE(dialog->list()->item(0)->text(), QStringLiteral("Customer %1").arg(userId));
  }

  // --demo on a workspace with a dataset and no runs: the demo runs are trained, and once the
  // queue has drained the demo story is written (4 steps, the comparison of all five runs).
  void bookmarksOfGoneThingsSayWhatIsGone() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("gone.reco"));
    makeWorkspace(path);
    MainWindow window;
    window.resize(1280, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    StoryPresenter* presenter = window.storyPresenter();
    auto* story = presenter->story();
    auto* compare = window.comparePanel();
    auto* items = window.itemsPanel();
    QSignalSpy comparisons(compare, &reco::ui::ComparePanel::comparisonShown);
    QSignalSpy itemsShown(items, &reco::ui::ItemsPanel::itemsShown);
    QSignalSpy itemProfiles(items, &reco::ui::ItemsPanel::profileShown);
    window.openWorkspace(path);
    QTRY_VERIFY_WITH_TIMEOUT(!story->isBusy(), kTimeoutMs);
    QVERIFY(window.showPanel(QStringLiteral("Compare")));
    QTRY_VERIFY_WITH_TIMEOUT(!comparisons.isEmpty(), kTimeoutMs);
    QJsonObject comparison = compare->bookmarkState();
    const QString dataset = comparison.value(QStringLiteral("dataset")).toString();
    comparison[QStringLiteral("runs")] =
        QJsonArray{QStringLiteral("pop"), QStringLiteral("bpr"), QStringLiteral("als")};
    QVERIFY(window.showPanel(QStringLiteral("Items")));
    QTRY_VERIFY_WITH_TIMEOUT(!itemsShown.isEmpty(), kTimeoutMs);
    const auto& summaries = items->itemModel()->summaries();
    QVERIFY(summaries && summaries->size() > 6);
    // An item bookmark whose index names another item (as after a new import): the id wins.
    const QString itemId = QString::fromStdString(std::string(summaries->externalId(5)));
    QJsonObject item{{QStringLiteral("dataset"), dataset},
                     {QStringLiteral("item"), itemId},
                     {QStringLiteral("itemIndex"), int(summaries->items[2])},
                     {QStringLiteral("runs"), QJsonArray{}},
                     {QStringLiteral("tab"), QStringLiteral("profile")}};
    QJsonObject goneItem = item;
    goneItem[QStringLiteral("item")] = QStringLiteral("no-such-product");
    const QJsonObject goneDataset{{QStringLiteral("dataset"), QStringLiteral("deleted-shop")},
                                  {QStringLiteral("user"), QStringLiteral("u1")}};
    using reco::storage::BookmarkKind;
    story->add(BookmarkKind::Compare, QStringLiteral("Gone runs"), comparison);
    story->add(BookmarkKind::Item, QStringLiteral("By id"), item);
    story->add(BookmarkKind::Item, QStringLiteral("Gone product"), goneItem);
    story->add(BookmarkKind::User, QStringLiteral("Gone dataset"), goneDataset);
    const QJsonObject goneUser{{QStringLiteral("dataset"), dataset},
                               {QStringLiteral("user"), QStringLiteral("no-such-customer")}};
    story->add(BookmarkKind::User, QStringLiteral("Gone customer"), goneUser);
    QTRY_COMPARE_WITH_TIMEOUT(story->count(), 5, kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(!story->isBusy(), kTimeoutMs);

    presenter->setPresenting(true);
    auto* banner = window.findChild<QLabel*>(QStringLiteral("presenterBannerText"));
    QVERIFY(banner);
    presenter->showStep(0);
    QTRY_VERIFY2_WITH_TIMEOUT(
        banner->text().contains(QStringLiteral("2 of this step's runs are gone: bpr, als")),
        qPrintable(banner->text()), kTimeoutMs);
    itemProfiles.clear();
    presenter->showStep(1);
    QTRY_VERIFY_WITH_TIMEOUT(!itemProfiles.isEmpty() && itemProfiles.last()[0] == itemId,
                             kTimeoutMs);
    QVERIFY2(!banner->text().contains(QStringLiteral("gone")), qPrintable(banner->text()));
    presenter->showStep(2);
    QTRY_VERIFY2_WITH_TIMEOUT(
        banner->text().contains(QStringLiteral("the product no-such-product is gone")),
        qPrintable(banner->text()), kTimeoutMs);
    presenter->showStep(3);
    QTRY_VERIFY2_WITH_TIMEOUT(
        banner->text().contains(QStringLiteral("the dataset deleted-shop is gone")),
        qPrintable(banner->text()), kTimeoutMs);
    presenter->showStep(4);
    QTRY_VERIFY2_WITH_TIMEOUT(
        banner->text().contains(QStringLiteral("the customer no-such-customer is gone")),
        qPrintable(banner->text()), kTimeoutMs);
    presenter->setPresenting(false);
  }

  void theDemoWritesItsStoryOnceItsRunsAreTrained() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("demo.reco"));
    {
      reco::storage::Workspace ws(path.toStdString(),
                                  reco::storage::Workspace::OpenMode::CreateIfMissing);
      reco::testing::importSyntheticShop(ws, 120, 50, 2500, 9);
    }
    MainWindow window;
    window.resize(1280, 800);
    window.show();
    window.openWorkspace(path);
    QVERIFY(window.experimentsPanel()->queueDemoRunsIfEmpty());
    window.storyPresenter()->createDemoStory(true);
    auto* story = window.storyPresenter()->story();
    QTRY_COMPARE_WITH_TIMEOUT(story->count(), 4, 180000);
    QCOMPARE(QString::fromStdString(story->bookmarks()[0].title),
             QStringLiteral("Compare · ndcg@10 · 5 runs"));
    QCOMPARE(story->bookmarks()[3].kind, reco::storage::BookmarkKind::Item);
    QCOMPARE(storedTitles(path).size(), std::size_t(4));
  }
};

QTEST_MAIN(TestPresenter)
#include "test_presenter.moc"
