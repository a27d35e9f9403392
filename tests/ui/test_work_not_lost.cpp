// Nothing the analyst made goes through a dialog or a close without a question (issue 16):
// closing the window while a run trains asks first, and No keeps the window and the run;
// deleting a what-if scenario or a story step asks first (Cancel, the default, keeps it);
// a plot's export never writes through a symbolic link onto the workspace or its -wal,
// and a link to an ordinary file is replaced, not written through. Offscreen, on small
// generated workspaces; each question is answered by a timer from inside its event loop.

#include <QApplication>
#include <QComboBox>
#include <QFile>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>
#include <memory>
#include <optional>

#include "core/storage/run_store.h"
#include "core/storage/workspace.h"
#include "core/training/item_map.h"
#include "core/training/similarity_matrix.h"
#include "tests/support/shop_workspace.h"
#include "ui/application_setup.h"
#include "ui/main_window.h"
#include "ui/panels/experiments_panel.h"
#include "ui/panels/history_editor.h"
#include "ui/plots/item_map_view.h"
#include "ui/plots/similarity_heatmap.h"
#include "ui/widgets/story_dialog.h"
#include "ui/widgets/story_model.h"
#include "ui/workers/run_queue.h"

using reco::storage::Workspace;
using reco::ui::MainWindow;
using reco::ui::RunQueue;
using reco::ui::RunRequest;
using reco::ui::RunState;

namespace {

constexpr int kTimeoutMs = 60000;

/// Answers the next message box that shows with the button labelled `answer` (mnemonics
/// ignored), keeping what it asked. Where RECO_TEST_SHOTS names a folder, the box is saved
/// there as "<its object name>.png" first, for a look at its text.
class BoxAnswerer {
 public:
  explicit BoxAnswerer(QString answer) : answer_(std::move(answer)) {
    timer_.setInterval(20);
    QObject::connect(&timer_, &QTimer::timeout, [this] { look(); });
    timer_.start();
  }

  int seen() const { return seen_; }
  const QString& text() const { return text_; }
  const QString& defaultButton() const { return defaultButton_; }

 private:
  void look() {
    for (QWidget* widget : QApplication::topLevelWidgets()) {
      auto* box = qobject_cast<QMessageBox*>(widget);
      if (!box || !box->isVisible()) continue;
      timer_.stop();
      ++seen_;
      text_ = box->text();
      defaultButton_ = box->defaultButton() ? box->defaultButton()->text() : QString();
      if (const QString dir = qEnvironmentVariable("RECO_TEST_SHOTS"); !dir.isEmpty())
        box->grab().save(dir + QLatin1Char('/') + box->objectName() + QStringLiteral(".png"));
      for (QAbstractButton* button : box->buttons())
        if (button->text().remove(QLatin1Char('&')) == answer_) {
          button->click();
          return;
        }
      qWarning("no button %s in the box; closing it", qPrintable(answer_));
      box->reject();
    }
  }

  QString answer_;
  QTimer timer_;
  int seen_ = 0;
  QString text_;
  QString defaultButton_;
};

QByteArray contentOf(const QString& path) {
  QFile file(path);
  return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

RunRequest longRun(const QString& path, const reco::storage::SplitInfo& split, const char* name) {
  RunRequest r;
  r.workspacePath = path;
  r.split = split;
  r.splitLabel = QStringLiteral("shop / holdout");
  r.options.model = "bpr";
  r.options.runName = name;
  r.options.options = {{"epochs", "100000"}, {"factors", "8"}};  // stopped long before
  r.options.compute.threads = 1;
  r.options.eval.ks = {10};
  return r;
}

}  // namespace

class TestWorkNotLost : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);  // the window's QSettings go to a test location
    reco::ui::setUpApplication(*qApp);
    QVERIFY(dir_.isValid());
    path_ = dir_.filePath(QStringLiteral("shop.reco"));
    Workspace workspace(path_.toStdString(), Workspace::OpenMode::CreateIfMissing);
    split_ = reco::testing::createHoldoutSplit(
        workspace, reco::testing::importSyntheticShop(workspace, 300, 120, 6000, 7));
  }

  void closingAsksNothingWhileNothingRuns() {
    MainWindow window;
    window.show();
    QVERIFY(window.workClosingWouldCancel().isEmpty());
    BoxAnswerer answer(QStringLiteral("Cancel"));
    QVERIFY(window.close());
    QTest::qWait(100);
    QCOMPARE(answer.seen(), 0);
  }

  void closingWhileARunTrainsAsksFirst() {
    auto window = std::make_unique<MainWindow>();
    window->show();
    QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    RunQueue* queue = window->experimentsPanel()->runQueue();
    const int training = queue->enqueue(longRun(path_, split_, "bpr-long"));
    // The queue waits while the deep-model module loads (at most seconds).
    QTRY_VERIFY_WITH_TIMEOUT(
        queue->run(training)->state == RunState::Running && queue->run(training)->epoch >= 1,
        kTimeoutMs);

    {
      // No (Cancel, the default): the window stays, and so does the run.
      BoxAnswerer answer(QStringLiteral("Cancel"));
      QVERIFY(!window->close());
      QCOMPARE(answer.seen(), 1);
      QCOMPARE(answer.defaultButton(), QStringLiteral("Cancel"));
      QVERIFY2(answer.text().startsWith(
                   QStringLiteral("1 run is training: closing cancels it and stores nothing")),
               qPrintable(answer.text()));
      QVERIFY(window->isVisible());
      const int epoch = queue->run(training)->epoch;
      QTRY_VERIFY_WITH_TIMEOUT(queue->run(training)->epoch > epoch, kTimeoutMs);
      QCOMPARE(queue->run(training)->state, RunState::Running);
    }

    const int queued = queue->enqueue(longRun(path_, split_, "bpr-waiting"));
    QCOMPARE(queue->run(queued)->state, RunState::Queued);
    QCOMPARE(window->workClosingWouldCancel(),
             QStringLiteral("1 run is training and 1 is queued: closing cancels them and "
                            "stores nothing of them."));
    {
      // Yes: the window closes; its end cancels the runs, and the workspace keeps none.
      BoxAnswerer answer(QStringLiteral("Close anyway"));
      QVERIFY(window->close());
      QCOMPARE(answer.seen(), 1);
      QVERIFY(!window->isVisible());
    }
    window.reset();
    Workspace workspace(path_.toStdString(), Workspace::OpenMode::OpenExisting);
    QVERIFY(!reco::storage::findRun(workspace, "bpr-long"));
    QVERIFY(!reco::storage::findRun(workspace, "bpr-waiting"));
  }

  void deletingAScenarioAsksFirst() {
    reco::ui::HistoryEditor editor;
    reco::storage::Scenario scenario;
    scenario.id = 42;
    scenario.name = "<b>kettle</b> lovers";
    scenario.history = {1, 2, 3};
    editor.setScenarios(
        std::make_shared<const std::vector<reco::storage::Scenario>>(std::vector{scenario}));
    editor.resize(400, 600);
    editor.show();
    QSignalSpy deleted(&editor, &reco::ui::HistoryEditor::deleteScenarioRequested);
    auto* remove = editor.findChild<QPushButton*>(QStringLiteral("whatIfDeleteScenario"));
    QVERIFY(remove && remove->isEnabled());
    {
      BoxAnswerer answer(QStringLiteral("Cancel"));
      remove->click();
      QCOMPARE(answer.seen(), 1);
      QCOMPARE(answer.defaultButton(), QStringLiteral("Cancel"));
      QVERIFY2(answer.text().contains(QStringLiteral("“<b>kettle</b> lovers” (3 items)")),
               qPrintable(answer.text()));
      QCOMPARE(deleted.count(), 0);
    }
    {
      BoxAnswerer answer(QStringLiteral("Delete"));
      remove->click();
      QCOMPARE(answer.seen(), 1);
      QCOMPARE(deleted.count(), 1);
      QCOMPARE(deleted.front().front().toLongLong(), qlonglong(42));
    }
  }

  void deletingAStoryStepAsksFirst() {
    reco::ui::StoryModel story(nullptr);
    story.setWorkspace(path_);
    story.add(reco::storage::BookmarkKind::Item, QStringLiteral("Our best seller"), {});
    QTRY_VERIFY_WITH_TIMEOUT(!story.isBusy() && story.bookmarks().size() == 1, kTimeoutMs);
    reco::ui::StoryDialog dialog(&story);
    dialog.show();
    dialog.setCurrentRow(0);
    auto* remove = dialog.findChild<QPushButton*>(QStringLiteral("storyDelete"));
    QVERIFY(remove && remove->isEnabled());
    {
      BoxAnswerer answer(QStringLiteral("Cancel"));
      remove->click();
      QCOMPARE(answer.seen(), 1);
      QCOMPARE(answer.defaultButton(), QStringLiteral("Cancel"));
      QVERIFY(answer.text().contains(QStringLiteral("“Our best seller”")));
      QVERIFY(!story.isBusy());
      QCOMPARE(int(story.bookmarks().size()), 1);
      QCOMPARE(dialog.list()->count(), 1);
    }
    {
      dialog.activateWindow();  // back from the box
      QVERIFY(QTest::qWaitForWindowActive(&dialog));
      BoxAnswerer answer(QStringLiteral("Delete"));
      QTest::keyClick(dialog.list(), Qt::Key_Delete);  // Del asks too
      QCOMPARE(answer.seen(), 1);
      QTRY_VERIFY_WITH_TIMEOUT(!story.isBusy() && story.bookmarks().empty(), kTimeoutMs);
      QCOMPARE(dialog.list()->count(), 0);
    }
  }

  void plotExportsNeverWriteThroughALinkOntoTheWorkspace() {
    // A workspace open with a write not yet checkpointed: its -wal holds that write.
    const QString path = dir_.filePath(QStringLiteral("exports.reco"));
    auto open =
        std::make_unique<Workspace>(path.toStdString(), Workspace::OpenMode::CreateIfMissing);
    reco::testing::importSyntheticShop(*open, 50, 20, 400, 3);
    const QString wal = path + QStringLiteral("-wal");
    QVERIFY(QFile::exists(wal));
    const QByteArray walBefore = contentOf(wal);
    const QByteArray fileBefore = contentOf(path);
    QVERIFY(!walBefore.isEmpty());

    reco::ui::SimilarityHeatmap heatmap;
    auto matrix = std::make_shared<reco::SimilarityMatrix>();
    matrix->measure = "itemknn cosine weight";
    for (int i = 0; i < 2; ++i)
      matrix->labels.push_back({i, "id" + std::to_string(i), "T", "Books", std::nullopt, 5});
    matrix->values = {1.0f, 0.5f, 0.5f, 1.0f};
    heatmap.setMatrix(matrix);
    heatmap.resize(600, 500);
    reco::ui::ItemMapView map;
    auto itemMap = std::make_shared<reco::ItemMap>();
    itemMap->source = "test";
    itemMap->categories = {"Books"};
    for (int i = 0; i < 4; ++i) {
      itemMap->layout.x.push_back(float(i));
      itemMap->layout.y.push_back(float(i % 2));
      itemMap->items.push_back(i);
      itemMap->externalIds.push_back("id" + std::to_string(i));
      itemMap->titles.push_back("T");
      itemMap->categoryCode.push_back(0);
      itemMap->popularity.push_back(1);
    }
    map.setMap(itemMap);
    map.resize(600, 500);
    map.show();
    QTRY_VERIFY_WITH_TIMEOUT(map.isDrawn(), kTimeoutMs);

    // Links to the -wal (absolute and relative), to the workspace itself, and a dangling
    // one to the -wal of a workspace that has none at the moment.
    const QString closed = dir_.filePath(QStringLiteral("closed.reco"));
    { Workspace(closed.toStdString(), Workspace::OpenMode::CreateIfMissing); }
    QVERIFY(!QFile::exists(closed + QStringLiteral("-wal")));
    struct Link {
      QString name, target;
    };
    const Link links[] = {{QStringLiteral("to-wal.png"), wal},
                          {QStringLiteral("relative.csv"), QStringLiteral("exports.reco-wal")},
                          {QStringLiteral("to-workspace.png"), path},
                          {QStringLiteral("dangling.png"), closed + QStringLiteral("-wal")}};
    for (const Link& link : links) {
      const QString at = dir_.filePath(link.name);
      QVERIFY(QFile::link(link.target, at));
      for (const QString& workspace : {QString(), path}) {
        const QString pngError = heatmap.exportPng(at, workspace);
        const QString csvError = heatmap.exportCsv(at, workspace);
        const QString mapError = map.exportPng(at, workspace);
        QVERIFY2(!pngError.isEmpty() && !csvError.isEmpty() && !mapError.isEmpty(),
                 qPrintable(link.name));
        QVERIFY2(pngError.contains(QStringLiteral("refusing")), qPrintable(pngError));
      }
      QVERIFY(QFileInfo(at).isSymLink());
    }
    QCOMPARE(contentOf(wal), walBefore);
    QCOMPARE(contentOf(path), fileBefore);
    QVERIFY(!QFile::exists(closed + QStringLiteral("-wal")));
    open.reset();
    Workspace reopened(path.toStdString(), Workspace::OpenMode::OpenExisting);
    QCOMPARE(int(reopened.datasets().size()), 1);

    // A link to an ordinary picture: the export replaces the link, the picture stays.
    const QString picture = dir_.filePath(QStringLiteral("picture.png"));
    {
      QFile file(picture);
      QVERIFY(file.open(QIODevice::WriteOnly));
      file.write("not a png");
    }
    const QString link = dir_.filePath(QStringLiteral("export.png"));
    QVERIFY(QFile::link(picture, link));
    QCOMPARE(heatmap.exportPng(link, path), QString());
    QVERIFY(!QFileInfo(link).isSymLink());
    QVERIFY(contentOf(link).startsWith("\x89PNG"));
    QCOMPARE(contentOf(picture), QByteArray("not a png"));
    QCOMPARE(map.exportPng(link, path), QString());
    QCOMPARE(heatmap.exportCsv(dir_.filePath(QStringLiteral("matrix.csv")), path), QString());
  }

 private:
  QTemporaryDir dir_;
  QString path_;
  reco::storage::SplitInfo split_;
};

QTEST_MAIN(TestWorkNotLost)
#include "test_work_not_lost.moc"
