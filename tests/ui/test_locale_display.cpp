// The window in a locale that writes decimals with a comma (de_DE): numbers are shown the
// German way, while everything that reaches the core (option values from the forms, the
// stored runs' options and metrics) keeps a point. This is the abort of issue 11, point 0:
// the window ended at start in de_DE because the core read "0.01" with strtod.

#include <QDoubleSpinBox>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <clocale>

#include "core/models/registry.h"
#include "core/storage/run_store.h"
#include "core/storage/workspace.h"
#include "tests/support/shop_workspace.h"
#include "ui/application_setup.h"
#include "ui/convert/qt_convert.h"
#include "ui/panels/experiments_panel.h"
#include "ui/workers/run_queue.h"

class TestLocaleDisplay : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    if (!std::setlocale(LC_ALL, "de_DE.UTF-8"))
      QFAIL("the locale de_DE.UTF-8 is missing: tools/install-deps.sh generates it");
    QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
    reco::ui::setUpApplication(*qApp);
  }

  void showsNumbersTheGermanWay() {
    QCOMPARE(reco::ui::formatCount(1234567), QStringLiteral("1.234.567"));
    QCOMPARE(reco::ui::formatNumber(1234.5, 1), QStringLiteral("1.234,5"));
  }

  // Every model's form defaults pass the core's checks, and a run trained from the panel
  // stores its options with a point.
  void trainsFromThePanelAndStoresAPoint() {
    for (const auto* info : reco::defaultRegistry().list())
      QVERIFY(reco::defaultRegistry().create(info->name) != nullptr);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("de.reco"));
    {
      reco::storage::Workspace workspace(path.toStdString(),
                                         reco::storage::Workspace::OpenMode::CreateIfMissing);
      reco::testing::createHoldoutSplit(
          workspace, reco::testing::importSyntheticShop(workspace, 300, 80, 6000, 3));
    }
    reco::ui::ExperimentsPanel panel(nullptr);
    QSignalSpy loaded(&panel, &reco::ui::ExperimentsPanel::loaded);
    panel.setWorkspace(path);
    QVERIFY(loaded.wait(60000));
    QSignalSpy finished(panel.runQueue(), &reco::ui::RunQueue::runFinished);
    QVERIFY(panel.queueRun(QStringLiteral("ease"), {{"lambda", "0.25"}}));
    QVERIFY(finished.wait(60000));
    const auto* run = panel.runQueue()->run(panel.runQueue()->ids().back());
    QVERIFY2(run->state == reco::ui::RunState::Completed, qPrintable(run->error));
    reco::storage::Workspace workspace(path.toStdString(),
                                       reco::storage::Workspace::OpenMode::OpenExisting);
    const auto stored = reco::storage::findRun(workspace, run->name().toStdString());
    QVERIFY(stored.has_value());
    QVERIFY2(stored->optionsJson.find("0.25") != std::string::npos, stored->optionsJson.c_str());
    QVERIFY2(stored->optionsJson.find("0,25") == std::string::npos, stored->optionsJson.c_str());
  }
};

QTEST_MAIN(TestLocaleDisplay)
#include "test_locale_display.moc"
