// The Experiments panel's "Tune…", offscreen on a small generated shop: the form refuses a
// split without a validation part and builds the study it describes; a study of two models
// with a budget of 2 trials each, run through the panel, shows 4 trial rows, a best-so-far
// plot of 2 lines, 2 result rows and its final runs in the runs table; Cancel during a study
// stores no study and no run; the Compare panel marks the tuned runs and names their study.
// With RECO_TUNE_SHOTS set to a folder, the dialog, the study mid-way and at the end, and the
// Compare panel are saved there as PNGs (1280x800 windows).

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QListView>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include "core/storage/run_store.h"
#include "core/storage/study_store.h"
#include "core/storage/workspace.h"
#include "core/training/experiment.h"
#include "tests/support/shop_workspace.h"
#include "tests/support/small_study.h"
#include "ui/application_setup.h"
#include "ui/dialogs/tune_dialog.h"
#include "ui/models/comparison_table_model.h"
#include "ui/models/run_table_model.h"
#include "ui/models/study_result_model.h"
#include "ui/models/study_trials_model.h"
#include "ui/models/tuned_run.h"
#include "ui/panels/compare_panel.h"
#include "ui/panels/experiments_panel.h"
#include "ui/panels/tune_progress_view.h"
#include "ui/plots/best_so_far_plot.h"

using reco::storage::Workspace;
using reco::ui::ExperimentsPanel;
using reco::ui::TuneProgressView;

namespace {

using reco::testing::smallStudy;

void saveShot(QWidget& widget, const QString& name, bool settle = true) {
  reco::testing::saveStudyShot("RECO_TUNE_SHOTS", widget, name, settle);
}

constexpr int kTimeoutMs = 120000;

std::vector<std::string> runNamesIn(const QString& path) {
  Workspace workspace(path.toStdString(), Workspace::OpenMode::OpenExisting);
  std::vector<std::string> names;
  for (const auto& run : reco::storage::listRuns(workspace)) names.push_back(run.name);
  return names;
}

}  // namespace

class TestTuningStudy : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  QString path_;
  reco::storage::SplitInfo holdout_;

  /// The panel on the workspace, shown, with the split "holdout" chosen.
  bool openPanel(ExperimentsPanel& panel) {
    panel.resize(1280, 800);
    panel.show();
    QSignalSpy loaded(&panel, &ExperimentsPanel::loaded);
    panel.setWorkspace(path_);
    return loaded.wait(kTimeoutMs) && panel.selectSplit(QStringLiteral("holdout"));
  }

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    reco::ui::setUpApplication(*qApp);
    QVERIFY(dir_.isValid());
    path_ = dir_.filePath(QStringLiteral("tune.reco"));
    Workspace workspace(path_.toStdString(), Workspace::OpenMode::CreateIfMissing);
    const auto dataset = reco::testing::importSyntheticShop(workspace, 160, 60, 3200, 7);
    holdout_ = reco::testing::createHoldoutSplit(workspace, dataset);
    // One plain run beside the study's, which Compare must not mark.
    reco::ExperimentOptions plain;
    plain.model = "pop";
    plain.runName = "plain-pop";
    QCOMPARE(reco::runExperiment(workspace, holdout_, plain, nullptr, {}).outcome,
             reco::Outcome::Completed);
  }

  void theDialogRefusesASplitWithoutValidation() {
    reco::storage::SplitInfo noValidation = holdout_;
    noValidation.name = "no-validation";
    noValidation.validPairs = 0;
    reco::ui::TuneDialog refused(QStringLiteral("shop / no-validation"), noValidation, false);
    QVERIFY(refused.problem().contains(QStringLiteral("no validation part")));
    QVERIFY(!refused.startButton()->isEnabled());
    QVERIFY(!refused.startButton()->isVisibleTo(&refused));  // nothing is offered to run
    refused.show();
    saveShot(refused, QStringLiteral("tune-dialog-no-validation.png"));
    reco::ui::TuneDialog none(QString(), std::nullopt, false);
    QVERIFY(!none.startButton()->isEnabled());

    reco::ui::TuneDialog dialog(QStringLiteral("shop / holdout"), holdout_, true);
    QVERIFY(dialog.problem().contains(QStringLiteral("at least one model")));
    QVERIFY(!dialog.startButton()->isEnabled());
    QVERIFY(dialog.setModelChecked(QStringLiteral("pop"), true));
    QVERIFY(dialog.setModelChecked(QStringLiteral("ease"), true));
    QVERIFY(!dialog.setModelChecked(QStringLiteral("no-such-model"), true));
    QVERIFY(dialog.problem().isEmpty());
    QVERIFY(dialog.startButton()->isEnabled());
    const reco::StudyOptions options = dialog.studyOptions();
    QCOMPARE(int(options.models.size()), 2);
    QCOMPARE(options.models[0].model, std::string("pop"));
    QCOMPARE(options.budget.trials.value_or(0), 20);
    QVERIFY(!options.budget.seconds);
    QVERIFY(options.search == reco::SearchKind::Smbo);
    QCOMPARE(options.metric, std::string("ndcg@10"));
    dialog.budgetUnitCombo()->setCurrentIndex(2);  // minutes
    dialog.budgetSpin()->setValue(3);
    QCOMPARE(dialog.studyOptions().budget.seconds.value_or(0), 180.0);
    QVERIFY(!dialog.studyOptions().budget.trials);
    dialog.resize(640, 640);
    dialog.show();
    saveShot(dialog, QStringLiteral("tune-dialog.png"));
  }

  void aStudyOfTwoModelsRunsThroughThePanel() {
    ExperimentsPanel panel(nullptr);
    QVERIFY(openPanel(panel));
    QVERIFY(panel.startStudy(smallStudy("s1", {"itemknn", "ease"}, 2)));
    TuneProgressView* view = panel.tuneView();
    QVERIFY(view);
    QAbstractItemModelTester trialsTester(view->trialsModel(),
                                          QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester resultTester(view->resultModel(),
                                          QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy ended(view, &TuneProgressView::studyEnded);
    QSignalSpy runsChanged(&panel, &ExperimentsPanel::runsChanged);
    // The view mid-study: both itemknn trials and the first of ease, the last still to come.
    view->resize(1280, 800);
    connect(view, &TuneProgressView::trialFinished, this, [view](int order) {
      if (order != 2) return;
      view->bestSoFarPlot()->replotNow();
      saveShot(*view, QStringLiteral("tune-progress-mid.png"), false);
    });
    QVERIFY(ended.wait(kTimeoutMs));
    QVERIFY2(ended.first().first().toBool(), qPrintable(view->statusText()));

    QCOMPARE(view->trialsModel()->rowCount(), 4);
    for (int r = 0; r < 4; ++r)
      QCOMPARE(
          view->trialsModel()->index(r, reco::ui::StudyTrialsModel::StatusColumn).data().toString(),
          QStringLiteral("done"));
    QCOMPARE(view->bestSoFarPlot()->graphCount(), 2);
    QCOMPARE(view->bestSoFarPlot()->pointCount(0), 2);
    QCOMPARE(view->bestSoFarPlot()->pointCount(1), 2);
    QCOMPARE(view->resultModel()->rowCount(), 2);
    bool isNumber = false;
    view->resultModel()
        ->index(1, reco::ui::StudyResultModel::TestColumn)
        .data()
        .toString()
        .toDouble(&isNumber);
    QVERIFY(isNumber);
    QVERIFY(
        view->resultModel()->index(0, 0).data(reco::ui::StudyResultModel::RunIdRole).toLongLong() >
        0);

    // The final runs join the panel's runs table, as runs trained there do.
    QVERIFY(runsChanged.count() > 0 || runsChanged.wait(kTimeoutMs));
    QTRY_VERIFY_WITH_TIMEOUT(panel.runTable()->rowOfName(QStringLiteral("s1-ease")) >= 0,
                             kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(panel.runTable()->rowOfName(QStringLiteral("s1-itemknn")) >= 0,
                             kTimeoutMs);
    Workspace workspace(path_.toStdString(), Workspace::OpenMode::OpenExisting);
    const auto study = reco::storage::findStudy(workspace, "s1");
    QVERIFY(study.has_value());
    QCOMPARE(int(study->trials.size()), 4);
    view->resize(1280, 800);
    saveShot(*view, QStringLiteral("tune-progress-end.png"));
    saveShot(panel, QStringLiteral("experiments-panel-after-study.png"));
  }

  void cancelDuringAStudyStoresNothing() {
    ExperimentsPanel panel(nullptr);
    QVERIFY(openPanel(panel));
    const auto runsBefore = runNamesIn(path_);
    // A budget in time that the test never waits out: only Cancel ends this study.
    reco::StudyOptions options = smallStudy("s2", {"itemknn", "ease"}, 1);
    options.budget = {std::nullopt, 600.0};
    QVERIFY(panel.startStudy(options));
    TuneProgressView* view = panel.tuneView();
    QSignalSpy trials(view, &TuneProgressView::trialFinished);
    QSignalSpy ended(view, &TuneProgressView::studyEnded);
    QTRY_VERIFY_WITH_TIMEOUT(trials.count() >= 3, kTimeoutMs);
    QVERIFY(view->cancelButton()->isEnabled());
    QTest::mouseClick(view->cancelButton(), Qt::LeftButton);
    QVERIFY(!view->cancelButton()->isEnabled());
    QVERIFY(ended.count() > 0 || ended.wait(kTimeoutMs));
    QCOMPARE(ended.first().first().toBool(), false);
    QVERIFY(view->statusText().contains(QStringLiteral("cancelled")));
    QVERIFY(view->trialsModel()->rowCount() >= 3);
    QCOMPARE(view->resultModel()->rowCount(), 0);

    Workspace workspace(path_.toStdString(), Workspace::OpenMode::OpenExisting);
    QVERIFY(!reco::storage::findStudy(workspace, "s2").has_value());
    QCOMPARE(runNamesIn(path_), runsBefore);
  }

  void theComparePanelMarksTunedRuns() {
    reco::ui::ComparePanel panel(nullptr);
    panel.resize(1280, 800);
    panel.show();
    QSignalSpy shown(&panel, &reco::ui::ComparePanel::comparisonShown);
    panel.setWorkspace(path_);
    QVERIFY(shown.wait(kTimeoutMs));
    // The run list: a badge and the study in the tooltip; the text stays the run's name.
    auto* list = panel.findChild<QListView*>(QStringLiteral("compareRuns"));
    QVERIFY(list);
    QAbstractItemModel* runs = list->model();
    int tuned = 0;
    for (int r = 0; r < runs->rowCount(); ++r) {
      const QModelIndex index = runs->index(r, 0);
      const QString name = index.data().toString();
      const bool isTuned = name.startsWith(QStringLiteral("s1-"));
      QCOMPARE(index.data(reco::ui::kTuningStudyRole).isValid(), isTuned);
      QCOMPARE(!index.data(Qt::DecorationRole).isNull(), isTuned);
      if (!isTuned) continue;
      ++tuned;
      QCOMPARE(index.data(reco::ui::kTuningStudyRole).toString(), QStringLiteral("s1"));
      QVERIFY(index.data(Qt::ToolTipRole).toString().contains(QStringLiteral("study 's1'")));
    }
    QCOMPARE(tuned, 2);
    // The table: "NAME  (tuned)" and the study in the tooltip.
    const reco::ui::ComparisonTableModel& table = *panel.tableModel();
    int marked = 0;
    for (int r = 0; r < table.rowCount(); ++r) {
      const QModelIndex cell = table.index(r, reco::ui::ComparisonTableModel::kRunColumn);
      const QString name = cell.data(reco::ui::ComparisonTableModel::SortRole).toString();
      const bool isTuned = name.startsWith(QStringLiteral("s1-"));
      QCOMPARE(cell.data().toString().contains(QStringLiteral("(tuned)")), isTuned);
      if (!isTuned) continue;
      ++marked;
      QCOMPARE(cell.data(reco::ui::ComparisonTableModel::TuningRole).toString(),
               QStringLiteral("s1"));
      QVERIFY(cell.data(Qt::ToolTipRole).toString().contains(QStringLiteral("study &#x27;s1")) ||
              cell.data(Qt::ToolTipRole).toString().contains(QStringLiteral("study 's1'")));
    }
    QCOMPARE(marked, 2);
    saveShot(panel, QStringLiteral("compare-tuned-runs.png"));
  }
};

QTEST_MAIN(TestTuningStudy)
#include "test_tuning_study.moc"
