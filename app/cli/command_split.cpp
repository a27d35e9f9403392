// reco split: draws a split of a dataset with a protocol, stores it, and can export it so
// that other tools run on exactly the same parts.
#include <cstdio>

#include "app/cli/args.h"
#include "app/cli/command.h"
#include "app/cli/progress_bar.h"
#include "app/cli/text_format.h"
#include "app/cli/workspace_writing.h"
#include "core/common/error.h"
#include "core/common/json.h"
#include "core/io/import_options.h"
#include "core/storage/split_store.h"

namespace reco::cli {

const char* const kHelpSplit =
    "usage: reco [--workspace FILE] split --dataset NAME --protocol random|temporal|leave-last "
    "--test X\n"
    "                                  [--valid X] --seed S [--name NAME] [--cutoff DATE]\n"
    "                                  [--rating-threshold X] [--weighting binary|weighted] "
    "[--export DIR]\n"
    "       reco [--workspace FILE] split --dataset NAME --list [--json]\n"
    "\n"
    "Splits the dataset's user-item pairs (all interactions of a user with an item are one pair)\n"
    "into training, optional validation and test parts, stores the split, and prints its counts.\n"
    "Every run on a split sees the same parts, so runs are comparable.\n"
    "\n"
    "  --protocol random      per user, the fraction --test of the user's pairs, drawn at random\n"
    "             temporal    one global cut-off: the last fraction --test of pairs by time\n"
    "                         (or every pair first seen on or after --cutoff DATE)\n"
    "             leave-last  per user, the last --test pairs by time (a count)\n"
    "  --valid X          a validation part drawn the same way from what stays in training\n"
    "  --seed S           the seed of the random protocol (default 42)\n"
    "  --name NAME        the split's name (default: the protocol and seed, e.g. random-42)\n"
    "  --rating-threshold X   keep pairs whose latest rating is >= X (implicit feedback)\n"
    "  --weighting W      binary (every pair weighs 1; default) or weighted (summed event\n"
    "                     weights, quantities or ratings)\n"
    "  --export DIR       also write DIR/train.tsv and DIR/test.tsv (and valid.tsv): one\n"
    "                     'user<TAB>item' line per pair, external ids, no header\n"
    "  --list             list the dataset's splits instead\n";

namespace {

int listSplits(storage::Workspace& workspace, const DatasetInfo& dataset, bool json) {
  const auto splits = storage::listSplits(workspace, dataset.id);
  if (json) {
    JsonWriter out(true);
    out.beginArray();
    for (const auto& s : splits)
      out.beginObject()
          .field("name", s.name)
          .field("protocol", splitProtocolName(s.options.protocol))
          .field("seed", std::int64_t(s.options.seed))
          .field("train", s.trainPairs)
          .field("valid", s.validPairs)
          .field("test", s.testPairs)
          .field("test_users", s.testUsers)
          .endObject();
    std::printf("%s\n", out.endArray().str().c_str());
    return 0;
  }
  if (splits.empty()) {
    std::printf(
        "Dataset '%s' has no splits yet: reco split --dataset %s --protocol random --test 0.2 "
        "--seed 42\n",
        dataset.name.c_str(), dataset.name.c_str());
    return 0;
  }
  std::printf("%-20s %-11s %6s %12s %10s %10s %10s\n", "name", "protocol", "seed", "train", "valid",
              "test", "test users");
  for (const auto& s : splits)
    std::printf("%-20s %-11s %6llu %12s %10s %10s %10s\n", s.name.c_str(),
                splitProtocolName(s.options.protocol),
                static_cast<unsigned long long>(s.options.seed),
                withThousands(s.trainPairs).c_str(), withThousands(s.validPairs).c_str(),
                withThousands(s.testPairs).c_str(), withThousands(s.testUsers).c_str());
  return 0;
}

}  // namespace

int runSplit(CommandContext& context) {
  const Args args(context.args,
                  {"dataset", "protocol", "test", "valid", "seed", "name", "cutoff",
                   "rating-threshold", "weighting", "export"},
                  {"list", "json"});
  storage::Workspace workspace(context.workspacePath, storage::Workspace::OpenMode::OpenExisting);
  const DatasetInfo dataset = workspace.resolveDataset(args.valueOr("dataset", ""));
  if (args.flag("list")) return listSplits(workspace, dataset, args.flag("json"));

  SplitOptions options;
  options.protocol = parseSplitProtocol(args.require("protocol"));
  if (auto cutoff = args.value("cutoff")) {
    options.cutoff = io::parseDateTime(*cutoff);
    if (!options.cutoff)
      throw Error(ErrorKind::Usage,
                  "--cutoff expects a date YYYY-MM-DD[ HH:MM:SS], found '" + *cutoff + "'");
  }
  if (!options.cutoff) {
    const auto test = args.number("test");
    if (!test)
      throw Error(ErrorKind::Usage,
                  "missing required option --test (a fraction, or a count for leave-last)");
    options.test = *test;
  }
  options.valid = args.number("valid").value_or(0.0);
  options.seed = std::uint64_t(args.integerAtLeast("seed", 0).value_or(42));
  options.ratingThreshold = args.number("rating-threshold");
  options.weighting = args.valueOr("weighting", "binary");
  options.validate();
  const std::string name = args.valueOr("name", std::string(splitProtocolName(options.protocol)) +
                                                    "-" + std::to_string(options.seed));
  if (name.empty()) throw Error(ErrorKind::Usage, "--name expects a split name, found ''");

  prepareForWriting(workspace, context);
  // A bad --export is found before the split is stored, so that nothing is stored.
  if (auto dir = args.value("export")) storage::checkSplitExportFolder(workspace, *dir);
  ProgressBar progress(context.stderrIsTerminal);
  const auto result =
      storage::createSplit(workspace, dataset, name, options, &progress, context.stop);
  progress.finish();
  if (result.outcome == Outcome::Stopped) {
    std::fprintf(stderr, "reco split: cancelled; nothing was stored\n");
    return kExitCancelled;
  }
  const auto& s = result.split;
  std::printf(
      "Split '%s' of '%s' (%s, seed %llu): train %s, valid %s, test %s pairs; %s users with a test "
      "part\n",
      s.name.c_str(), dataset.name.c_str(), splitProtocolName(s.options.protocol),
      static_cast<unsigned long long>(s.options.seed), withThousands(s.trainPairs).c_str(),
      withThousands(s.validPairs).c_str(), withThousands(s.testPairs).c_str(),
      withThousands(s.testUsers).c_str());
  if (auto dir = args.value("export")) {
    for (const auto& file : storage::exportSplit(workspace, s, *dir))
      std::printf("  wrote %s\n", file.c_str());
  }
  return 0;
}

}  // namespace reco::cli
