// reco bench import: our import of a real file against the sqlite3 shell's .import of the
// same file, in one run, each as a child process (so both pay process start-up, and peak
// memory is the child's own), then a large synthetic import with time and peak memory.
#include <fcntl.h>
#include <spawn.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include <sys/resource.h>
#include <sys/wait.h>

#include "app/cli/args.h"
#include "app/cli/bench_support.h"
#include "app/cli/command.h"
#include "app/cli/text_format.h"
#include "core/common/error.h"

extern char** environ;

namespace reco::cli {

const char* const kHelpBench =
    "usage: reco bench import [--retail PATH] [--repeat N] [--synthetic N] [--keep DIR]\n"
    "       reco bench models [--movielens DIR] [--repeat N] [--threads N]\n"
    "       reco bench models --scale [--users N --items N --interactions N] [--eval-users N]\n"
    "       reco bench deep [--movielens DIR] [--threads N] [--device auto|cpu|cuda] [--epochs N]\n"
    "                       [--models bpr,neumf,mlp,sasrec,hybrid]\n"
    "       reco bench similarity [--movielens DIR] [--threads N] [--repeat N] [--no-scale]\n"
    "                             [--users N --items N --interactions N]\n"
    "       reco bench whatif [--movielens DIR] [--threads N] [--edits N] [--models LIST]\n"
    "                         [--no-scale] [--users N --items N --interactions N]\n"
    "       reco bench quality [--movielens DIR] [--retail FILE] [--models LIST] [--threads N]\n"
    "\n"
    "import: imports the UCI Online Retail CSV (default ../shared/datasets/uci-online-retail/\n"
    "        online_retail.csv) into a fresh workspace, and in the same run has the sqlite3\n"
    "        shell .import the same file into a plain table; each N times (default 3), as\n"
    "        child processes. Prints best and median seconds, peak memory and our/shell ratio.\n"
    "        Then generates a synthetic shop of --synthetic interactions (default 10000000;\n"
    "        0 skips it) as CSV and imports it: seconds and peak memory of each step.\n"
    "models: our classic models on MovieLens-100K (the issue's protocol) beside the reference\n"
    "        libraries' figures, and numpy's EASE timed in the same run (--movielens DIR,\n"
    "        --repeat N, --threads N).\n"
    "        With --scale: a generated power-law shop (--users 1000000 --items 100000\n"
    "        --interactions 10000000): per model (itemknn, als one iteration, bpr one epoch),\n"
    "        in its own process, fit seconds beside implicit's, evaluation of --eval-users N\n"
    "        sampled test users (default 20000; 0: all) with the projection to all, and the\n"
    "        peak memory.\n"
    "deep:   the deep models (neumf, mlp, sasrec, hybrid) with our bpr on MovieLens-100K\n"
    "        (random 80/20): epochs, seconds per epoch, training samples per second, fit and\n"
    "        full-ranking evaluation seconds, NDCG@10 and HR@10 with 95% intervals; then, with\n"
    "        sasrec, pop, itemknn and sasrec on a leave-last-one-out split by time\n"
    "        (--movielens DIR, --threads N (default 1), --device auto|cpu|cuda, --epochs N for\n"
    "        the deep models, --models LIST: only these).\n"
    "similarity: what the Items screen computes, against the goals of issue 13: the heatmap\n"
    "        of the 500 and 1,000 most popular items, as listed and clustered (goal 0.2 s), PCA\n"
    "        of every item vector (goal 2 s for 100k x 64), the item map with its labels, the\n"
    "        neighbour layout (MovieLens only), and who is shown the most popular item over\n"
    "        every user's stored list (goal 1 s), each with the peak memory so far. First\n"
    "        MovieLens-100K with itemknn, ease and als trained and stored, then a generated\n"
    "        shop (default 1M users x 100k items, 10M interactions; --no-scale skips it) with\n"
    "        als fitted for one iteration and a 20-item list stored for every user.\n"
    "whatif: re-scoring one edited history (remove a training item, add an item) with\n"
    "        whatIfList as the Users panel does, against the goals of issue 14: median and\n"
    "        95th-percentile ms over --edits N edits (default 50) per classic model, PASS when\n"
    "        the 95th percentile is under 20 ms on MovieLens-100K, and under 100 ms on a\n"
    "        generated shop (default 100k users x 100k items, 2M interactions; --no-scale\n"
    "        skips it; EASE and the models without fold-in are left out there). --models\n"
    "        LIST: only these.\n"
    "quality: every classic model with its default options on five shapes of shop (issue 18):\n"
    "        MovieLens-100K and Online Retail (random 80/20), Online Retail thinned to 1-2\n"
    "        lines per customer (temporal 20%) and keeping 5% of each invoice's lines (random\n"
    "        80/20; reco derive, seed 42), and a synthetic ratings site of 72k users, 2.4k\n"
    "        items and 1.25 pairs per user (leave-last 1): NDCG@10 with 95% intervals, each\n"
    "        model tested against pop on the same users (paired t-test, Holm), the best per\n"
    "        shape (--models LIST, pop included; --threads N, default 1).\n";

namespace {

namespace fs = std::filesystem;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
}

std::string mib(long kib) {
  return fixed(double(kib) / 1024.0, 0) + " MiB";
}

int benchImport(const Args& args) {
  const std::string retail =
      args.valueOr("retail", "../shared/datasets/uci-online-retail/online_retail.csv");
  if (!fs::exists(retail))
    throw Error(
        ErrorKind::Io,
        "cannot open " + retail + ": No such file (give the Online Retail CSV with --retail PATH)");
  const int repeat = int(args.integer("repeat").value_or(3));
  if (repeat < 1) throw Error(ErrorKind::Usage, "--repeat expects a positive count");
  const long long synthetic = args.integer("synthetic").value_or(10'000'000);

  char pattern[] = "/tmp/reco-bench-XXXXXX";
  const std::string dir = args.has("keep") ? args.require("keep") : std::string(mkdtemp(pattern));
  // The bench removes and remakes its files between repeats: never one of the user's.
  for (const char* name : {"ours.reco", "shell.db", "synthetic.reco", "synthetic.csv",
                           "synthetic.items.csv", "stderr.txt"}) {
    std::error_code ec;
    if (fs::exists(fs::path(dir) / name, ec) || ec)
      throw Error(ErrorKind::Config, "--keep " + dir + ": the folder holds " + name +
                                         " already, which the bench would replace: expected a "
                                         "new or empty folder");
  }
  fs::create_directories(dir);
  const std::string err = dir + "/stderr.txt";
  const std::string self = selfPath();
  std::printf("reco bench import (%s)\n", retail.c_str());
  std::printf("  each run is a child process into a fresh file; best and median of %d runs\n\n",
              repeat);

  std::vector<double> ours, shell;
  long oursPeak = 0, shellPeak = 0;
  for (int r = 0; r < repeat; ++r) {
    const std::string workspace = dir + "/ours.reco";
    const std::string plain = dir + "/shell.db";
    for (const auto& f : {workspace, workspace + "-wal", workspace + "-shm", plain}) fs::remove(f);
    const ChildRun a = runChild({self, "--workspace", workspace, "import", retail, "--format",
                                 "online-retail", "--name", "retail"},
                                err);
    requireSuccess(a, "reco import", err);
    ours.push_back(a.seconds);
    oursPeak = std::max(oursPeak, a.peakKiB);
    const ChildRun b =
        runChild({"sqlite3", plain, ".mode csv", ".import " + retail + " retail"}, err);
    requireSuccess(b, "sqlite3 .import", err);
    shell.push_back(b.seconds);
    shellPeak = std::max(shellPeak, b.peakKiB);
  }
  const double oursBest = *std::min_element(ours.begin(), ours.end());
  const double shellBest = *std::min_element(shell.begin(), shell.end());
  std::printf("  %-44s %8s %8s %10s\n", "", "best s", "median s", "peak mem");
  std::printf("  %-44s %8s %8s %10s\n", "reco import (parse, map ids, filter, index)",
              fixed(oursBest, 3).c_str(), fixed(median(ours), 3).c_str(), mib(oursPeak).c_str());
  std::printf("  %-44s %8s %8s %10s\n", "sqlite3 shell .import (plain copy)",
              fixed(shellBest, 3).c_str(), fixed(median(shell), 3).c_str(), mib(shellPeak).c_str());
  std::printf("  ratio reco / sqlite3 shell: %s (best), %s (median); goal <= 1.00\n\n",
              fixed(oursBest / shellBest, 2).c_str(),
              fixed(median(ours) / median(shell), 2).c_str());

  if (synthetic > 0) {
    const long long users = std::max(1000LL, synthetic / 10);
    const long long items = std::max(100LL, synthetic / 100);
    const std::string csv = dir + "/synthetic.csv";
    const ChildRun gen = runChild(
        {self, "gen-synthetic", "--users", std::to_string(users), "--items", std::to_string(items),
         "--interactions", std::to_string(synthetic), "--seed", "1", "--out", csv},
        err);
    requireSuccess(gen, "reco gen-synthetic", err);
    const std::string workspace = dir + "/synthetic.reco";
    for (const auto& f : {workspace, workspace + "-wal", workspace + "-shm"}) fs::remove(f);
    const std::string itemsCsv = dir + "/synthetic.items.csv";
    const ChildRun imp = runChild(
        {self, "--workspace", workspace, "import", csv, "--items", itemsCsv, "--name", "synthetic"},
        err);
    requireSuccess(imp, "reco import (synthetic)", err);
    std::printf("  synthetic shop: %s interactions, %s users, %s items (CSV %s MiB)\n",
                withThousands(synthetic).c_str(), withThousands(users).c_str(),
                withThousands(items).c_str(),
                fixed(double(fs::file_size(csv)) / 1048576.0, 0).c_str());
    std::printf("  %-44s %8s s %10s\n", "gen-synthetic to CSV", fixed(gen.seconds, 2).c_str(),
                mib(gen.peakKiB).c_str());
    std::printf("  %-44s %8s s %10s  (%s interactions/s)\n", "reco import of it",
                fixed(imp.seconds, 2).c_str(), mib(imp.peakKiB).c_str(),
                withThousands(std::int64_t(double(synthetic) / imp.seconds)).c_str());
  }
  if (!args.has("keep")) fs::remove_all(dir);
  return 0;
}

}  // namespace

// Runs argv with stdout to /dev/null and stderr to errPath; stdin from inPath when given.
ChildRun runChild(const std::vector<std::string>& argv, const std::string& errPath) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, errPath.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const auto start = std::chrono::steady_clock::now();
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw Error(ErrorKind::Io, "cannot start " + argv[0] + ": " + std::strerror(rc));
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  ChildRun run;
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.peakKiB = usage.ru_maxrss;
  run.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return run;
}

void requireSuccess(const ChildRun& run, const std::string& what, const std::string& errPath) {
  if (run.exitCode == 0) return;
  std::string err;
  if (FILE* f = std::fopen(errPath.c_str(), "r")) {
    char buf[4096];
    const auto n = std::fread(buf, 1, sizeof buf - 1, f);
    err.assign(buf, n);
    std::fclose(f);
  }
  throw Error(ErrorKind::Internal,
              what + " failed with exit code " + std::to_string(run.exitCode) + ": " + err);
}

std::string selfPath() {
  return fs::read_symlink("/proc/self/exe").string();
}

int runBench(CommandContext& context) {
  if (context.args.empty())
    throw Error(ErrorKind::Usage, "bench expects a benchmark name: import (see reco bench --help)");
  const std::string which = context.args[0];
  const std::vector<std::string> rest(context.args.begin() + 1, context.args.end());
  if (which == "import")
    return benchImport(Args(rest, {"retail", "repeat", "synthetic", "keep"}, {}));
  if (which == "models") return runBenchModels(rest);
  if (which == "deep") return runBenchDeep(rest);
  if (which == "similarity") return runBenchSimilarity(rest);
  if (which == "whatif") return runBenchWhatIf(rest);
  if (which == "quality") return runBenchQuality(rest);
  throw Error(ErrorKind::Usage,
              "unknown benchmark '" + which +
                  "': expected import, models, deep, similarity, whatif or quality");
}

}  // namespace reco::cli
