// reco embed: a run's item map (reco::computeItemMap, the workbench's map) as CSV.
#include <charconv>
#include <cstdio>
#include <string>

#include "app/cli/args.h"
#include "app/cli/command.h"
#include "app/cli/progress_bar.h"
#include "app/cli/text_format.h"
#include "core/common/csv_text.h"
#include "core/common/error.h"
#include "core/common/output_file.h"
#include "core/models/registry.h"
#include "core/storage/run_store.h"
#include "core/storage/split_store.h"
#include "core/training/item_map.h"
#include "core/training/model_file.h"
#include "core/training/stored_run.h"

namespace reco::cli {

const char* const kHelpEmbed =
    "usage: reco [--workspace FILE] embed --run RUN --out FILE.csv [--method pca|neighbour]\n"
    "                                     [--seed 42] [--raw]\n"
    "\n"
    "The run's item map, as the workbench draws it, written as CSV with the header\n"
    "  item,title,category,popularity,x,y\n"
    "and one line per item of the run's model that the dataset knows, by item index: its id,\n"
    "title and category, its interactions in the dataset, and its place in the plane.\n"
    "\n"
    "The points come from the model's item vectors (factor and deep models) or, for itemknn,\n"
    "ease and content, from the rows of its item similarity matrix randomly projected to 64\n"
    "dimensions (up to 20,000 items); other models (pop, random) have no map.\n"
    "\n"
    "  --method pca        the first two principal components (the default): any number of\n"
    "                      items, a faithful global picture; the summary line says how much\n"
    "                      of the variance the two axes explain\n"
    "  --method neighbour  a UMAP-style layout that keeps every item near its nearest\n"
    "                      neighbours by cosine, up to 50,000 items: groups that PCA crowds\n"
    "                      into one cloud come apart (distances between groups mean little)\n"
    "  --seed N            the neighbour layout's seed (default 42): same seed, same map\n"
    "\n"
    "The file is written beside FILE.csv and renamed into place when complete; the workspace\n"
    "is never overwritten. A text field that begins with =, +, -, @, a tab or a carriage\n"
    "return is written as '... (OWASP's advice against formula injection); --raw writes every\n"
    "field as it is.\n";

namespace {

// The shortest text that reads back as the same float, in any locale.
std::string floatText(float value) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

}  // namespace

int runEmbed(CommandContext& context) {
  const Args args(context.args, {"run", "method", "seed", "out"}, {"raw"});
  const std::string runName = args.require("run");
  const std::string path = args.require("out");
  ItemMapOptions options;
  options.method = parseItemMapMethod(args.valueOr("method", "pca"));
  if (const auto seed = args.integerAtLeast("seed", 0))
    options.neighbour.seed = std::uint64_t(*seed);
  // Before the workspace is opened: its -wal and -shm must not be the target either.
  checkOutputTarget(path, workspaceFiles(context.workspacePath));

  storage::Workspace ws(context.workspacePath, storage::Workspace::OpenMode::OpenExisting);
  const StoredRun stored = openStoredRun(ws, runName);
  const storage::RunInfo& run = stored.run;
  const storage::SplitInfo& split = stored.split;
  const LoadedModel& model = stored.model;

  ProgressBar progress(context.stderrIsTerminal);
  const auto map = computeItemMap(ws, run, model, split, options, &progress, context.stop);
  progress.finish();
  if (!map) {
    std::fprintf(stderr, "reco embed: cancelled; nothing was written\n");
    return kExitCancelled;
  }

  static const std::string kNoCategory;
  const CsvFormulas formulas = args.flag("raw") ? CsvFormulas::Raw : CsvFormulas::Escape;
  AtomicOutputFile out(path, workspaceFiles(context.workspacePath));
  out.write("item,title,category,popularity,x,y\n");
  for (std::size_t p = 0; p < map->size(); ++p) {
    const std::int32_t code = map->categoryCode[p];
    const std::string& category = code >= 0 ? map->categories[std::size_t(code)] : kNoCategory;
    out.write(csvField(map->externalIds[p], formulas) + ',' + csvField(map->titles[p], formulas) +
              ',' + csvField(category, formulas) + ',' + std::to_string(map->popularity[p]) + ',' +
              floatText(map->layout.x[p]) + ',' + floatText(map->layout.y[p]) + '\n');
  }
  out.commit();

  std::string how;
  if (options.method == ItemMapMethod::Pca) {
    how = "PCA of " + map->source + "; the axes explain " +
          fixed(100.0 * map->layout.explained[0], 1) + "% and " +
          fixed(100.0 * map->layout.explained[1], 1) + "% of the variance";
  } else {
    how =
        "neighbour layout (seed " + std::to_string(options.neighbour.seed) + ") of " + map->source;
  }
  std::printf("Wrote %s items of run '%s' to %s: %s\n",
              withThousands(std::int64_t(map->size())).c_str(), run.name.c_str(), path.c_str(),
              how.c_str());
  return 0;
}

}  // namespace reco::cli
