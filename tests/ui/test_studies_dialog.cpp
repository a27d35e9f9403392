// The stored tuning studies in the window, offscreen on a small generated shop with three
// studies stored through the core (runTuningStudy, as `reco tune --study` does): the list
// model under QAbstractItemModelTester; the Studies window lists them and shows the chosen
// one whole (its trials, the best-so-far curves, per model the best validation value, the
// chosen options and the final run's test value as stored); a workspace without studies
// says so; the Experiments panel marks the tuned runs and opens the study of the selected
// one; Compare's run list keeps a long tuned run's badge in view. With RECO_STUDY_SHOTS set
// to a folder, the window and the panels are saved there as PNGs (1280x800).

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QListView>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include "core/storage/run_store.h"
#include "core/storage/study_store.h"
#include "core/storage/workspace.h"
#include "core/training/tuning_study.h"
#include "tests/support/shop_workspace.h"
#include "tests/support/small_study.h"
#include "ui/application_setup.h"
#include "ui/dialogs/studies_dialog.h"
#include "ui/models/run_table_model.h"
#include "ui/models/study_list_model.h"
#include "ui/models/study_result_model.h"
#include "ui/models/study_trials_model.h"
#include "ui/panels/compare_panel.h"
#include "ui/panels/experiments_panel.h"
#include "ui/panels/study_view.h"
#include "ui/plots/best_so_far_plot.h"
#include "ui/workers/study_loader.h"

using reco::storage::Workspace;
using reco::ui::StudiesDialog;
using reco::ui::StudyListModel;
using reco::ui::StudyResultModel;

namespace {

using reco::testing::smallStudy;

void saveShot(QWidget& widget, const QString& name, bool settle = true) {
  reco::testing::saveStudyShot("RECO_STUDY_SHOTS", widget, name, settle);
}

constexpr int kTimeoutMs = 60000;
constexpr const char* kLongStudy = "spring-campaign-equal-budget";

/// The stored test value of `metric` of the run called `name`.
double storedMetric(const QString& path, const std::string& name, const std::string& metric) {
  Workspace workspace(path.toStdString(), Workspace::OpenMode::OpenExisting);
  const auto run = reco::storage::requireRun(workspace, name);
  for (const auto& value : reco::storage::runMetrics(workspace, run.id))
    if (value.metric == metric && !value.sampled) return value.mean;
  return -1;
}

}  // namespace

class TestStudiesDialog : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  QString path_;

  /// The dialog on `path`, its studies read.
  static bool openDialog(StudiesDialog& dialog, const QString& path) {
    dialog.resize(1280, 800);
    dialog.show();
    QSignalSpy loaded(&dialog, &StudiesDialog::loaded);
    dialog.setWorkspace(path);
    return loaded.wait(kTimeoutMs);
  }

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    reco::ui::setUpApplication(*qApp);
    QVERIFY(dir_.isValid());
    path_ = dir_.filePath(QStringLiteral("studies.reco"));
    Workspace workspace(path_.toStdString(), Workspace::OpenMode::CreateIfMissing);
    const auto dataset = reco::testing::importSyntheticShop(workspace, 160, 60, 3200, 7);
    const auto split = reco::testing::createHoldoutSplit(workspace, dataset);
    // "Yesterday's" study of two models, a later one of one model, and one whose long name
    // makes run names longer than Compare's run list is wide.
    for (const auto& options :
         {smallStudy("s-old", {"itemknn", "ease"}, 2), smallStudy("s-new", {"itemknn"}, 1),
          smallStudy(kLongStudy, {"pop"}, 1)}) {
      QCOMPARE(reco::runTuningStudy(workspace, split, options, nullptr, {}).outcome,
               reco::Outcome::Completed);
    }
  }

  void theStudyListModelPassesTheTester() {
    StudyListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setStudies(reco::ui::StudyLoader::readStudies(path_.toStdString()));
    QCOMPARE(model.rowCount(), 3);
    const int old = model.rowOfName(QStringLiteral("s-old"));
    QVERIFY(old >= 0);
    QCOMPARE(model.index(old, StudyListModel::ModelsColumn).data().toString(),
             QStringLiteral("itemknn, ease"));
    QCOMPARE(model.index(old, StudyListModel::SplitColumn).data().toString(),
             QStringLiteral("shop / holdout"));
    QCOMPARE(model.index(old, StudyListModel::TrialsColumn).data(StudyListModel::SortRole),
             QVariant(qlonglong(4)));
    QCOMPARE(model.index(old, StudyListModel::BudgetColumn).data().toString(),
             QStringLiteral("2 trials"));
    QVERIFY(
        model.index(old, 0).data(Qt::ToolTipRole).toString().contains(QStringLiteral("random")));
    QCOMPARE(model.rowOfName(QStringLiteral("no-such-study")), -1);
    // Each study's final runs with their stored metrics, as the result table reads them.
    const auto& result = *model.studyAt(old)->result;
    QCOMPARE(int(result.finals.size()), 2);
    QCOMPARE(result.finals[0].run.name, std::string("s-old-itemknn"));
    QVERIFY(!result.finals[1].metrics.empty());
    model.setStudies(nullptr);
    QCOMPARE(model.rowCount(), 0);
  }

  void theWindowListsTheStudiesAndShowsTheChosenOne() {
    StudiesDialog dialog(nullptr);
    QVERIFY(openDialog(dialog, path_));
    QCOMPARE(dialog.studyList()->rowCount(), 3);
    // A study is chosen and shown at once (the newest; they may share a second here).
    QVERIFY(!dialog.currentStudy().isEmpty());
    QVERIFY(dialog.studyView()->resultModel()->rowCount() > 0);

    QVERIFY(dialog.selectStudy(QStringLiteral("s-old")));
    QCOMPARE(dialog.currentStudy(), QStringLiteral("s-old"));
    QVERIFY2(dialog.summaryText().contains(QStringLiteral("Study 's-old' on shop / holdout")),
             qPrintable(dialog.summaryText()));
    reco::ui::StudyView* view = dialog.studyView();
    QCOMPARE(view->trialsModel()->rowCount(), 4);
    QCOMPARE(view->bestSoFarPlot()->graphCount(), 2);
    QCOMPARE(view->bestSoFarPlot()->pointCount(0), 2);
    QCOMPARE(view->bestSoFarPlot()->pointCount(1), 2);
    StudyResultModel* results = view->resultModel();
    QCOMPARE(results->rowCount(), 2);
    QVERIFY(view->resultsTable()->isVisibleTo(&dialog));
    for (int row = 0; row < 2; ++row) {
      const QString model = results->index(row, StudyResultModel::ModelColumn).data().toString();
      QCOMPARE(model, row == 0 ? QStringLiteral("itemknn") : QStringLiteral("ease"));
      QCOMPARE(results->index(row, StudyResultModel::TrialsColumn).data().toInt(), 2);
      bool isNumber = false;
      results->index(row, StudyResultModel::BestValidationColumn)
          .data()
          .toString()
          .toDouble(&isNumber);
      QVERIFY(isNumber);
      QVERIFY(!results->index(row, StudyResultModel::ChosenOptionsColumn)
                   .data()
                   .toString()
                   .contains(QStringLiteral("no trial")));
      const QString run = results->index(row, StudyResultModel::RunColumn).data().toString();
      QCOMPARE(run, QStringLiteral("s-old-") + model);
      // The test value is the final run's stored one.
      const double test = results->index(row, StudyResultModel::TestColumn)
                              .data(StudyResultModel::SortRole)
                              .toDouble();
      QCOMPARE(test, storedMetric(path_, run.toStdString(), "ndcg@10"));
      QVERIFY(results->index(row, 0).data(StudyResultModel::RunIdRole).toLongLong() > 0);
    }
    QVERIFY(!dialog.selectStudy(QStringLiteral("no-such-study")));
    saveShot(dialog, QStringLiteral("studies-dialog.png"));
    dialog.resize(1000, 700);
    saveShot(dialog, QStringLiteral("studies-dialog-1000.png"));
  }

  void aWorkspaceWithoutStudiesSaysSo() {
    const QString path = dir_.filePath(QStringLiteral("none.reco"));
    {
      Workspace workspace(path.toStdString(), Workspace::OpenMode::CreateIfMissing);
      reco::testing::importSyntheticShop(workspace, 40, 20, 400, 3);
    }
    StudiesDialog dialog(nullptr);
    QVERIFY(openDialog(dialog, path));
    QCOMPARE(dialog.studyList()->rowCount(), 0);
    QVERIFY(dialog.summaryText().contains(QStringLiteral("No studies yet")));
    QCOMPARE(dialog.studyView()->resultModel()->rowCount(), 0);
    // A file that is not a workspace: the window says so instead of listing nothing.
    const QString broken = dir_.filePath(QStringLiteral("broken.reco"));
    QFile file(broken);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("not a workspace");
    file.close();
    QSignalSpy loaded(&dialog, &StudiesDialog::loaded);
    dialog.setWorkspace(broken);
    QVERIFY(loaded.wait(kTimeoutMs));
    QVERIFY2(dialog.summaryText().contains(QStringLiteral("could not be read")),
             qPrintable(dialog.summaryText()));
  }

  void thePanelMarksTunedRunsAndOpensTheirStudy() {
    reco::ui::ExperimentsPanel panel(nullptr);
    panel.resize(1280, 800);
    panel.show();
    QSignalSpy loaded(&panel, &reco::ui::ExperimentsPanel::loaded);
    panel.setWorkspace(path_);
    QVERIFY(loaded.wait(kTimeoutMs));
    reco::ui::RunTableModel* runs = panel.runTable();
    const int tuned = runs->rowOfName(QStringLiteral("s-old-ease"));
    QVERIFY(tuned >= 0);
    QCOMPARE(runs->index(tuned, reco::ui::RunTableModel::ModelColumn).data().toString(),
             QStringLiteral("ease  (tuned)"));
    QCOMPARE(runs->index(tuned, 0).data(reco::ui::RunTableModel::TuningStudyRole).toString(),
             QStringLiteral("s-old"));
    saveShot(panel, QStringLiteral("experiments-tuned-runs.png"));
    // The panel's part of a 1024 x 700 window: the run buttons wrap instead of widening it.
    panel.resize(1024 - 170, 700 - 60);
    saveShot(panel, QStringLiteral("experiments-tuned-runs-1024.png"));
    panel.resize(1280, 800);

    QVERIFY(panel.selectRun(QStringLiteral("s-old-ease")));
    panel.openStudiesDialog();
    StudiesDialog* dialog = panel.studiesDialog();
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->isLoading(), kTimeoutMs);
    QCOMPARE(dialog->currentStudy(), QStringLiteral("s-old"));
    QCOMPARE(dialog->studyView()->resultModel()->rowCount(), 2);
    dialog->hide();
  }

  void compareKeepsTheBadgeOfALongRunNameInView() {
    reco::ui::ComparePanel panel(nullptr);
    panel.resize(1280, 800);
    panel.show();
    QSignalSpy shown(&panel, &reco::ui::ComparePanel::comparisonShown);
    panel.setWorkspace(path_);
    QVERIFY(shown.wait(kTimeoutMs));
    auto* list = panel.findChild<QListView*>(QStringLiteral("compareRuns"));
    QVERIFY(list);
    const QString longRun = QString::fromLatin1(kLongStudy) + QStringLiteral("-pop");
    QVERIFY(list->fontMetrics().horizontalAdvance(longRun) > list->viewport()->width());
    int tuned = 0;
    for (int r = 0; r < list->model()->rowCount(); ++r) {
      const QModelIndex index = list->model()->index(r, 0);
      if (index.data(Qt::DecorationRole).isNull()) continue;
      ++tuned;
      // The row, and so its badge at the right end, ends inside the visible list.
      const QRect rect = list->visualRect(index);
      QVERIFY2(rect.right() < list->viewport()->width(),
               qPrintable(QStringLiteral("%1 ends at %2 of %3")
                              .arg(index.data().toString())
                              .arg(rect.right())
                              .arg(list->viewport()->width())));
    }
    QCOMPARE(tuned, 4);
    saveShot(panel, QStringLiteral("compare-long-tuned-runs.png"));
  }
};

QTEST_MAIN(TestStudiesDialog)
#include "test_studies_dialog.moc"
