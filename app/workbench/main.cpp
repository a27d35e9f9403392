// reco-workbench [WORKSPACE]: the Qt window of the workbench.
//
// With no argument it reopens the last workspace that opened successfully, or shows an
// empty window with a hint. With --demo, a workspace that has datasets but no runs gets a
// split and a few quick runs, trained in the background while the window shows them (the
// README's first command passes it for the demo workspace). A path that is not a workspace is
// reported in the window and never modified.
//
// For documentation and visual checks, RECO_SCREENSHOT=FILE.png grabs the window once
// everything has loaded (optionally RECO_SCREENSHOT_DATASET=NAME selects a dataset
// first, RECO_SCREENSHOT_SIZE=WxH sets the window size, RECO_SCREENSHOT_PANEL=TITLE shows
// another panel, RECO_SCREENSHOT_RUN=NAME selects a run in Experiments,
// RECO_SCREENSHOT_MODEL=NAME chooses a model in its form,
// RECO_SCREENSHOT_DELAY_MS=N waits N ms longer for it to load) and quits.
// RECO_SCREENSHOT_REPORT_DIALOG=FILE.png then opens File › Export report… at the window's
// size and saves a picture of it once its preview is shown (a dialog is a window of its own,
// which the main window's picture does not hold); RECO_SCREENSHOT_REPORT_PAGE=N scrolls its
// preview to page N first.
// RECO_SCREENSHOT_PRESENTER=1 turns presenter mode on first and RECO_SCREENSHOT_STORY_STEP=N
// goes to step N (1-based) of the story; it waits 2.5 s more for the step's view to load. Full
// screen is the screen's size: give the offscreen platform one, e.g.
// QT_QPA_PLATFORM=offscreen:configfile=screen.json with {"screens": [{"name": "s", "x": 0,
// "y": 0, "width": 1920, "height": 1080, "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}.

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QPixmap>
#include <QTimer>
#include <cstdio>
#include <memory>
#include <utility>

#include "app/workbench/openmp_wait_policy.h"
#include "app/workbench/training_bench.h"
#include "ui/application_setup.h"
#include "ui/dialogs/report_dialog.h"
#include "ui/main_window.h"
#include "ui/panels/compare_panel.h"
#include "ui/panels/datasets_panel.h"
#include "ui/panels/experiments_panel.h"
#include "ui/widgets/report_preview.h"
#include "ui/widgets/run_setup_form.h"
#include "ui/widgets/story_presenter.h"

namespace {

/// Opens the report dialog once the Compare screen lists runs, saves a picture of it to
/// `file` when its preview is shown, then quits (exit code 1 when it cannot).
void grabReportDialog(reco::ui::MainWindow& window, const QString& file) {
  auto open = [&window, file] {
    window.openReportDialog();
    reco::ui::ReportDialog* dialog = window.reportDialog();
    if (!dialog) {
      std::fprintf(stderr, "reco-workbench: no report dialog (no finished runs?)\n");
      QApplication::exit(1);
      return;
    }
    dialog->resize(window.size());
    QObject::connect(dialog, &reco::ui::ReportDialog::previewShown, dialog, [dialog, file] {
      QTimer::singleShot(300, dialog, [dialog, file] {
        if (const int page = qEnvironmentVariableIntValue("RECO_SCREENSHOT_REPORT_PAGE"); page > 0)
          dialog->preview()->scrollToPage(page);
        const bool saved = dialog->grab().save(file);
        std::fprintf(stderr, "reco-workbench: %s %s\n", saved ? "saved" : "could not save",
                     qPrintable(file));
        QApplication::exit(saved ? 0 : 1);
      });
    });
    QObject::connect(dialog, &reco::ui::ReportDialog::previewFailed, dialog,
                     [](const QString& message) {
                       std::fprintf(stderr, "reco-workbench: the report preview failed: %s\n",
                                    qPrintable(message));
                       QApplication::exit(1);
                     });
  };
  if (!window.comparePanel()->finishedRunNames().isEmpty()) {
    open();
    return;
  }
  auto opened = std::make_shared<bool>(false);
  QObject::connect(window.comparePanel(), &reco::ui::ComparePanel::comparisonShown, &window,
                   [open, opened] {
                     if (std::exchange(*opened, true)) return;
                     open();
                   });
}

/// Saves a picture of `window` to `file` once its content and the device line have
/// settled, then quits; gives up after 60 s (exit code 1).
void installScreenshotHook(reco::ui::MainWindow& window, const QString& file,
                           const QString& dataset) {
  struct State {
    bool settled = false;
    bool deviceKnown = false;
    bool datasetChosen = false;
    bool done = false;
  };
  auto state = std::make_shared<State>();
  state->datasetChosen = dataset.isEmpty();

  auto tryGrab = [&window, file, dataset, state] {
    if (state->done || !state->settled || !state->deviceKnown) return;
    if (!state->datasetChosen) {
      state->datasetChosen = true;
      if (!window.datasetsPanel()->selectDataset(dataset)) {
        std::fprintf(stderr, "reco-workbench: no dataset named %s\n", qPrintable(dataset));
      } else if (window.datasetsPanel()->isBusy()) {
        state->settled = false;  // wait for its statistics (none when it was selected already)
        return;
      }
    }
    state->done = true;
    const QString panel = qEnvironmentVariable("RECO_SCREENSHOT_PANEL");
    if (!panel.isEmpty() && !window.showPanel(panel))
      std::fprintf(stderr, "reco-workbench: no panel named %s\n", qPrintable(panel));
    const QString run = qEnvironmentVariable("RECO_SCREENSHOT_RUN");
    if (!run.isEmpty() && !window.experimentsPanel()->selectRun(run))
      std::fprintf(stderr, "reco-workbench: no run named %s\n", qPrintable(run));
    const QString model = qEnvironmentVariable("RECO_SCREENSHOT_MODEL");
    if (!model.isEmpty() && !window.experimentsPanel()->runSetup()->selectModel(model))
      std::fprintf(stderr, "reco-workbench: no model named %s in the form\n", qPrintable(model));
    int delay = 200 + qEnvironmentVariableIntValue("RECO_SCREENSHOT_DELAY_MS");
    if (qEnvironmentVariableIntValue("RECO_SCREENSHOT_PRESENTER") == 1) {
      window.storyPresenter()->setPresenting(true);
      const int step = qEnvironmentVariableIntValue("RECO_SCREENSHOT_STORY_STEP");
      if (step > 0) window.storyPresenter()->showStep(step - 1);
      delay += 2500;
    }
    // One more turn of the event loop so that the last layout and paint are done.
    QTimer::singleShot(delay, &window, [&window, file] {
      const bool saved = window.grab().save(file);
      std::fprintf(stderr, "reco-workbench: %s %s\n", saved ? "saved" : "could not save",
                   qPrintable(file));
      const QString dialogFile = qEnvironmentVariable("RECO_SCREENSHOT_REPORT_DIALOG");
      if (saved && !dialogFile.isEmpty())
        grabReportDialog(window, dialogFile);
      else
        QApplication::exit(saved ? 0 : 1);
    });
  };
  QObject::connect(&window, &reco::ui::MainWindow::contentSettled, &window, [state, tryGrab] {
    state->settled = true;
    tryGrab();
  });
  QObject::connect(&window, &reco::ui::MainWindow::computeDeviceKnown, &window, [state, tryGrab] {
    state->deviceKnown = true;
    tryGrab();
  });
  QTimer::singleShot(60000, &window, [] {
    std::fprintf(stderr, "reco-workbench: the window did not settle within 60 s\n");
    QApplication::exit(1);
  });
}

}  // namespace

int main(int argc, char** argv) {
  reco::workbench::restartWithPassiveOpenMpWaits(argv);  // see openmp_wait_policy.h
  QApplication app(argc, argv);
  reco::ui::setUpApplication(app);
  // The window-side training benchmark (app/workbench/training_bench.h), not for users.
  if (app.arguments().contains(QStringLiteral("--bench-training")))
    return reco::workbench::runTrainingBench(app.arguments());

  QCommandLineParser parser;
  parser.setApplicationDescription(
      QStringLiteral("Reco Workbench: train, compare and inspect recommendation models."));
  parser.addHelpOption();
  parser.addVersionOption();
  parser.addPositionalArgument(
      QStringLiteral("workspace"),
      QStringLiteral("The workspace file to open (default: the last one opened)."),
      QStringLiteral("[WORKSPACE]"));
  const QCommandLineOption demo(
      QStringLiteral("demo"),
      QStringLiteral("Train a few quick runs in the background when the workspace has none."));
  parser.addOption(demo);
  parser.process(app);

  QString path;
  if (!parser.positionalArguments().isEmpty()) {
    path = parser.positionalArguments().front();
  } else {
    // A remembered workspace that has gone away is simply not reopened.
    const QString last = reco::ui::MainWindow::lastWorkspace();
    if (!last.isEmpty() && QFileInfo(last).isFile()) path = last;
  }

  reco::ui::MainWindow window;
  const QString screenshot = qEnvironmentVariable("RECO_SCREENSHOT");
  if (screenshot.isEmpty()) {
    window.restoreWindowSettings();
  } else {
    const QStringList size =
        qEnvironmentVariable("RECO_SCREENSHOT_SIZE", QStringLiteral("1320x900"))
            .split(QLatin1Char('x'));
    if (size.size() == 2) window.resize(size[0].toInt(), size[1].toInt());
    installScreenshotHook(window, screenshot, qEnvironmentVariable("RECO_SCREENSHOT_DATASET"));
  }
  window.show();
  window.openWorkspace(path);
  if (parser.isSet(demo)) {
    // The demo's ready story (issue 15) follows its runs: written once they are all trained,
    // or now when they are there already; never over a story the presenter has made.
    const bool queued = window.experimentsPanel()->queueDemoRunsIfEmpty();
    if (queued) window.showPanel(QStringLiteral("Experiments"));
    window.storyPresenter()->createDemoStory(queued);
  }
  return app.exec();
}
