#include "app/workbench/training_bench.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTimer>
#include <cstdio>

#include <sys/resource.h>

#include "core/common/error.h"
#include "core/data/synthetic.h"
#include "core/models/registry.h"
#include "core/models/torch_module.h"
#include "core/storage/dataset_import.h"
#include "core/storage/run_store.h"
#include "core/storage/split_store.h"
#include "core/storage/workspace.h"
#include "ui/panels/experiments_panel.h"
#include "ui/workers/run_queue.h"

namespace reco::workbench {
namespace {

/// Runs the event loop until `signal` of `sender` arrives or `timeoutMs` pass; true when
/// it arrived.
template <class Sender, class Signal>
bool waitFor(Sender* sender, Signal signal, int timeoutMs) {
  QEventLoop loop;
  bool arrived = false;
  QObject::connect(sender, signal, &loop, [&] {
    arrived = true;
    loop.quit();
  });
  QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
  loop.exec();
  return arrived;
}

double threadCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_THREAD, &usage);
  return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         1e-6 * double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
}

struct Case {
  QString model;
  reco::OptionValues options;
  bool validate = false;  ///< validate ndcg@10 after every epoch, as the form's checkbox does
};

struct Timing {
  double cliSeconds = 0, windowSeconds = 0, guiCpuSeconds = 0;
  double cliRunSeconds = 0, windowRunSeconds = 0;  ///< the stored runs' training + evaluation
  /// The GUI thread's CPU and the wall time between the first and the last epoch report:
  /// the window while the model trains, without loading, storing and reading back.
  double trainingGuiCpu = 0, trainingWall = 0;
  bool ok = false;
};

double runSeconds(const storage::RunInfo& run) {
  return run.trainSeconds.value_or(0) + run.evalSeconds.value_or(0);
}

/// The shop every case trains on, with the split "bench" (random, test 0.2, seed 42).
void makeWorkspace(const QString& path, std::int64_t interactions) {
  storage::Workspace workspace(path.toStdString(), storage::Workspace::OpenMode::CreateIfMissing);
  io::ImportOptions importOptions;
  importOptions.name = "shop";
  data::SyntheticOptions shop;
  shop.users = interactions / 25;
  shop.items = std::max<std::int64_t>(200, interactions / 120);
  shop.interactions = interactions;
  shop.seed = 7;
  const auto dataset = storage::importRecords(workspace, "synthetic", "bench", importOptions,
                                              [&](io::RecordSink& sink) {
                                                return data::generateShop(shop, sink, nullptr, {});
                                              },
                                              nullptr, {})
                           .dataset;
  SplitOptions split;
  split.test = 0.2;
  storage::createSplit(workspace, dataset, "bench", split, nullptr, {});
}

double runCli(const QString& workspace, const QString& split, const Case& c, int repeat,
              double& runTime) {
  const QString name = c.model + QStringLiteral("-cli-%1").arg(repeat);
  QStringList args{"--workspace", workspace, "train",  "--split", split,
                   "--model",     c.model,   "--name", name};
  for (const auto& [key, value] : c.options)
    args << "--set" << QString::fromStdString(key + "=" + value);
  if (c.validate)
    args << "--validate"
         << "ndcg@10";
  QProcess process;
  QElapsedTimer clock;
  clock.start();
  process.start(QCoreApplication::applicationDirPath() + QStringLiteral("/reco"), args);
  if (!process.waitForFinished(3600 * 1000) || process.exitCode() != 0) {
    std::fprintf(stderr, "bench: reco train failed: %s\n",
                 process.readAllStandardError().constData());
    return -1;
  }
  const double wall = double(clock.nsecsElapsed()) * 1e-9;
  storage::Workspace ws(workspace.toStdString(), storage::Workspace::OpenMode::OpenExisting);
  const auto run = storage::findRun(ws, name.toStdString());
  runTime = run ? runSeconds(*run) : 0;
  return wall;
}

/// Trains `c` from the Experiments panel (shown, so that its table and curve update as
/// for a user) and measures the wall time from queueing to the stored run, and the GUI
/// thread's CPU time over the same span.
bool runWindow(const QString& workspace, const QString& split, const Case& c, Timing& timing) {
  ui::ExperimentsPanel panel(nullptr);
  panel.resize(1320, 860);
  panel.show();
  panel.setWorkspace(workspace);
  if (!waitFor(&panel, &ui::ExperimentsPanel::loaded, 60000) || !panel.selectSplit(split)) {
    std::fprintf(stderr, "bench: the panel did not load the workspace\n");
    return false;
  }
  ui::RunQueue* queue = panel.runQueue();
  double firstEpochCpu = -1, firstEpochAt = 0;
  QElapsedTimer epochClock;
  epochClock.start();
  QObject::connect(queue, &ui::RunQueue::epochArrived, &panel, [&] {
    const double cpu = threadCpuSeconds(), at = double(epochClock.nsecsElapsed()) * 1e-9;
    if (firstEpochCpu < 0) {
      firstEpochCpu = cpu;
      firstEpochAt = at;
    } else {
      timing.trainingGuiCpu = cpu - firstEpochCpu;
      timing.trainingWall = at - firstEpochAt;
    }
  });
  const double cpuBefore = threadCpuSeconds();
  QElapsedTimer clock;
  clock.start();
  if (!panel.queueRun(c.model, c.options, c.validate)) {
    std::fprintf(stderr,
                 "bench: the panel did not queue the run (validation needs a split with a "
                 "validation part)\n");
    return false;
  }
  if (!waitFor(queue, &ui::RunQueue::runFinished, 3600 * 1000)) return false;
  timing.windowSeconds = double(clock.nsecsElapsed()) * 1e-9;
  timing.guiCpuSeconds = threadCpuSeconds() - cpuBefore;
  const int id = queue->ids().back();
  if (queue->run(id)->state != ui::RunState::Completed) {
    std::fprintf(stderr, "bench: the window's run ended as %s: %s\n",
                 qPrintable(ui::runStateName(queue->run(id)->state)),
                 qPrintable(queue->run(id)->error));
    return false;
  }
  timing.windowRunSeconds = runSeconds(*queue->run(id)->stored);
  return true;
}

}  // namespace

int runTrainingBench(const QStringList& args) {
  std::int64_t interactions = 200000;
  QStringList models;
  QString given, split = QStringLiteral("bench");
  bool validate = false;
  int repeat = 1;
  reco::OptionValues options;
  for (int i = 0; i + 1 < args.size(); ++i) {
    if (args[i] == QStringLiteral("--interactions"))
      interactions = args[++i].toLongLong();
    else if (args[i] == QStringLiteral("--model"))
      models << args[++i];
    else if (args[i] == QStringLiteral("--workspace"))
      given = args[++i];
    else if (args[i] == QStringLiteral("--split"))
      split = args[++i];
    else if (args[i] == QStringLiteral("--repeat"))
      repeat = std::max(1, args[++i].toInt());
    else if (args[i] == QStringLiteral("--set")) {
      const QString item = args[++i];
      const auto eq = item.indexOf(QLatin1Char('='));
      if (eq > 0) options[item.left(eq).toStdString()] = item.mid(eq + 1).toStdString();
    }
  }
  validate = args.contains(QStringLiteral("--validate"));
  std::vector<Case> cases;
  for (const auto& model : models) cases.push_back({model, options, validate});
  if (cases.empty()) {
    cases.push_back({QStringLiteral("bpr"), {{"epochs", "30"}}});
    loadTorchModule(defaultRegistry());
    if (defaultRegistry().find("neumf"))
      cases.push_back({QStringLiteral("neumf"), {{"epochs", "2"}}});
  }
  QTemporaryDir dir;
  const QString cliWorkspace = dir.filePath(QStringLiteral("cli.reco"));
  const QString windowWorkspace = dir.filePath(QStringLiteral("window.reco"));
  try {
    if (given.isEmpty()) {
      makeWorkspace(cliWorkspace, interactions);
    } else {
      // A copy of the user's workspace, checkpointed so that the copy holds everything.
      storage::Workspace(given.toStdString(), storage::Workspace::OpenMode::OpenExisting)
          .db()
          .exec("PRAGMA wal_checkpoint(TRUNCATE)");
      QFile::copy(given, cliWorkspace);
    }
  } catch (const reco::Error& error) {
    std::fprintf(stderr, "bench: %s\n", error.what());
    return 1;
  }
  QFile::copy(cliWorkspace, windowWorkspace);
  if (given.isEmpty()) {
    std::printf(
        "Training from the window against reco train (a synthetic shop of %lld interactions, all "
        "cores)\n",
        static_cast<long long>(interactions));
  } else {
    std::printf("Training from the window against reco train (%s, split %s, all cores)\n",
                qPrintable(given), qPrintable(split));
  }
  std::printf("OpenMP in this process: OMP_WAIT_POLICY=%s\n",
              qPrintable(qEnvironmentVariable("OMP_WAIT_POLICY", QStringLiteral("(unset)"))));
  std::printf(
      "wall: from queueing (window) or starting the process (reco, which also loads the "
      "deep-model\n"
      "module) to the stored run; run: the stored training + evaluation seconds of each\n");
  std::printf(
      "GUI %%: the GUI thread's CPU time over the window's wall time; in training: from the first "
      "to the\n"
      "last epoch report (models that report epochs)\n");
  std::printf("%-10s %9s %9s %9s %9s %7s %7s %9s %6s %12s\n", "model", "reco wall", "win wall",
              "reco run", "win run", "wall x", "run x", "GUI cpu s", "GUI %", "in training");
  bool allOk = true;
  for (const auto& c : cases) {
    for (int r = 0; r < repeat; ++r) {
      Timing timing;
      // The window first, then reco: any warm-up favours reco, not the figure under test.
      timing.ok = runWindow(windowWorkspace, split, c, timing);
      timing.cliSeconds = runCli(cliWorkspace, split, c, r, timing.cliRunSeconds);
      if (!timing.ok || timing.cliSeconds <= 0) {
        allOk = false;
        continue;
      }
      const QString inTraining =
          timing.trainingWall > 0.5
              ? QString::number(100.0 * timing.trainingGuiCpu / timing.trainingWall, 'f', 1) +
                    QLatin1Char('%')
              : QStringLiteral("-");
      std::printf("%-10s %9.2f %9.2f %9.2f %9.2f %7.2f %7.2f %9.2f %5.1f%% %12s\n",
                  qPrintable(c.model + (c.validate ? "+val" : "")), timing.cliSeconds,
                  timing.windowSeconds, timing.cliRunSeconds, timing.windowRunSeconds,
                  timing.windowSeconds / timing.cliSeconds,
                  timing.cliRunSeconds > 0 ? timing.windowRunSeconds / timing.cliRunSeconds : 0.0,
                  timing.guiCpuSeconds, 100.0 * timing.guiCpuSeconds / timing.windowSeconds,
                  qPrintable(inTraining));
      std::fflush(stdout);
    }
  }
  std::printf(
      "Goals: window/reco (run x) <= 1.10 and the GUI thread under 5%% of the wall time while a "
      "run trains.\n");
  return allOk ? 0 : 1;
}

}  // namespace reco::workbench
