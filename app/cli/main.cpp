// reco: the command line of Reco Workbench (no Qt). Dispatches to one command, maps
// reco::Error kinds to exit codes, and turns Ctrl-C into a stop request so that a
// running job ends cleanly and leaves the workspace as it was.
#include <pthread.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "app/cli/command.h"
#include "app/workbench/openmp_wait_policy.h"
#include "core/common/error.h"

namespace reco::cli {

const std::vector<Command>& commands() {
  static const std::vector<Command> all{
      {"import",
       "import a shop file (MovieLens, Online Retail, events, ratings, any CSV) as a dataset",
       kHelpImport, runImport},
      {"datasets", "list the workspace's datasets", kHelpDatasets, runDatasets},
      {"stats", "statistics of a dataset: counts, density, quantiles, time span, category mix",
       kHelpStats, runStats},
      {"gen-synthetic", "generate a believable synthetic shop (to CSV or into the workspace)",
       kHelpGenSynthetic, runGenSynthetic},
      {"derive", "a sample of a dataset: a few lines per user, or a fraction of each basket",
       kHelpDerive, runDerive},
      {"split",
       "split a dataset into training, validation and test parts (random, temporal, leave-last)",
       kHelpSplit, runSplit},
      {"train", "fit models on a split, evaluate them and store the runs", kHelpTrain, runTrain},
      {"eval", "re-evaluate a stored run (other cut-offs, sampled metrics)", kHelpEval, runEval},
      {"rerank",
       "re-rank a run for diversity, novelty or business rules; store it as a derived run",
       kHelpRerank, runRerank},
      {"tune", "choose a model's options on the validation part, then run it on the test part",
       kHelpTune, runTune},
      {"compare", "compare runs: metrics with confidence intervals and paired significance",
       kHelpCompare, runCompare},
      {"runs", "list (or delete) the stored runs", kHelpRuns, runRuns},
      {"recommend", "a run's top-n items for a user, with reasons", kHelpRecommend, runRecommend},
      {"similar", "the items most similar to an item, by a run's model", kHelpSimilar, runSimilar},
      {"shown", "who is shown an item: the users whose stored list of a run holds it", kHelpShown,
       runShown},
      {"similarity", "a run's similarity matrix for a set of items or users (--json or --csv)",
       kHelpSimilarity, runSimilarity},
      {"embed", "a run's item map (PCA or a neighbour layout) as CSV: item, title, x, y",
       kHelpEmbed, runEmbed},
      {"explain", "why a run's model scores an item for a user", kHelpExplain, runExplain},
      {"export", "write a run's stored top-N lists as CSV", kHelpExport, runExport},
      {"scenario", "list, save or delete named what-if histories", kHelpScenario, runScenario},
      {"story", "the presenter's story: list, add, move, rename or delete bookmarks; demo",
       kHelpStory, runStory},
      {"report", "a report of runs for stakeholders: one self-contained HTML file or a PDF",
       kHelpReport, runReport},
      {"bench", "benchmarks: import speed against the sqlite3 shell, large synthetic imports",
       kHelpBench, runBench},
  };
  return all;
}

}  // namespace reco::cli

namespace {

constexpr const char* kUsage =
    "usage: reco [--workspace FILE] COMMAND [options]\n"
    "\n"
    "Reco Workbench on the command line: the same core as the workbench, without Qt.\n"
    "The workspace is one SQLite file (default ./workspace.reco).\n"
    "\n"
    "commands:\n";

constexpr const char* kFooter =
    "\n"
    "Run 'reco COMMAND --help' for a command's options.\n"
    "Exit codes: 0 success, 2 bad usage or options, 3 bad input data or file,\n"
    "4 workspace error, 1 anything else, 130 cancelled (Ctrl-C; the workspace is left as it "
    "was).\n";

void printUsage(std::FILE* out) {
  std::fputs(kUsage, out);
  for (const auto& command : reco::cli::commands())
    std::fprintf(out, "  %-14s %s\n", command.name, command.summary);
  std::fputs(kFooter, out);
}

// Blocks SIGINT/SIGTERM in every thread and waits for them on one thread: the first
// asks the job to stop; a second one exits at once (SQLite's journal keeps the file
// consistent even then).
void installStopOnSignal(std::stop_source source) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread([set, source]() mutable {
    int signal = 0;
    bool asked = false;
    while (sigwait(&set, &signal) == 0) {
      if (asked) _exit(reco::kExitCancelled);
      asked = true;
      source.request_stop();
      const char message[] = "\nreco: stopping (press Ctrl-C again to quit at once)\n";
      [[maybe_unused]] auto n = write(STDERR_FILENO, message, sizeof message - 1);
    }
  }).detach();
}

}  // namespace

int main(int argc, char** argv) {
  // libgomp (OpenBLAS's threads, then LibTorch's) is loaded before main: see the header.
  reco::workbench::restartWithPassiveOpenMpWaits(argv);
  std::vector<std::string> args(argv + 1, argv + argc);
  reco::cli::CommandContext context;
  context.workspacePath = "workspace.reco";
  // --workspace is global: accepted before or after the command name.
  for (std::size_t i = 0; i < args.size();) {
    if (args[i] == "--workspace" && i + 1 < args.size() && args[i + 1].empty()) {
      std::fprintf(stderr, "reco: usage error: --workspace expects a file name, found ''\n");
      return 2;
    } else if (args[i] == "--workspace" && i + 1 < args.size()) {
      context.workspacePath = args[i + 1];
      args.erase(args.begin() + long(i), args.begin() + long(i) + 2);
    } else if (args[i].rfind("--workspace=", 0) == 0) {
      context.workspacePath = args[i].substr(12);
      args.erase(args.begin() + long(i));
    } else if (args[i] == "--workspace") {
      std::fprintf(stderr, "reco: usage error: --workspace expects a file name\n");
      return 2;
    } else {
      ++i;
    }
  }
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    printUsage(args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version") {
    std::printf("reco %s\n", RECO_VERSION);
    return 0;
  }
  const reco::cli::Command* command = nullptr;
  for (const auto& c : reco::cli::commands())
    if (args[0] == c.name) command = &c;
  if (!command) {
    std::fprintf(stderr, "reco: usage error: unknown command '%s'\n\n", args[0].c_str());
    printUsage(stderr);
    return 2;
  }
  context.args.assign(args.begin() + 1, args.end());
  for (const auto& a : context.args) {
    if (a == "--help" || a == "-h") {
      std::fputs(command->help, stdout);
      return 0;
    }
  }
  std::stop_source stopSource;
  installStopOnSignal(stopSource);
  context.stop = stopSource.get_token();
  context.stderrIsTerminal = isatty(STDERR_FILENO) == 1;
  try {
    return command->run(context);
  } catch (const reco::Error& error) {
    std::fprintf(stderr, "reco %s: %s: %s\n", command->name, reco::errorKindName(error.kind()),
                 error.what());
    return reco::exitCodeFor(error.kind());
  } catch (const std::filesystem::filesystem_error& error) {
    // A file-system failure that no check caught (a symlink loop, a vanished folder) is
    // still a problem with a file the user named, not a bug: exit 3 as for any Io error.
    std::fprintf(stderr, "reco %s: %s: %s\n", command->name,
                 reco::errorKindName(reco::ErrorKind::Io), error.what());
    return reco::exitCodeFor(reco::ErrorKind::Io);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "reco %s: unexpected error: %s\n", command->name, error.what());
    return 1;
  }
}
