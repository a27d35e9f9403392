// reco similarity: a run's similarity matrix for a set of items or users, in an order, with
// its labels: the numbers of the workbench's heatmap (reco::computeSimilarityMatrix).
#include <cmath>
#include <cstdio>
#include <sstream>
#include <string>

#include "app/cli/args.h"
#include "app/cli/command.h"
#include "app/cli/progress_bar.h"
#include "core/common/csv_text.h"
#include "core/common/error.h"
#include "core/common/json.h"
#include "core/common/output_file.h"
#include "core/models/registry.h"
#include "core/storage/run_store.h"
#include "core/storage/split_store.h"
#include "core/training/model_file.h"
#include "core/training/similarity_matrix.h"
#include "core/training/stored_run.h"

namespace reco::cli {

const char* const kHelpSimilarity =
    "usage: reco [--workspace FILE] similarity --run RUN (--items SET | --users SET)\n"
    "                 [--basis histories|vectors] [--order listed|category|cluster]\n"
    "                 (--csv FILE.csv [--raw] | --json)\n"
    "\n"
    "The run's similarity matrix for a set of items (as its model defines similarity: the\n"
    "itemknn weight, 0 outside the kept neighbours; EASE's weight B[column][row]; the cosine of\n"
    "the item vectors of factor and deep models; the content model's profile cosine) or for a\n"
    "set of users, with the labels a person reads. At most 1,000 items or users.\n"
    "\n"
    "  --items top:N        the N most popular items (most interactions first)\n"
    "  --items category:NAME  the 50 most popular items of a category\n"
    "  --items ids:A,B,C    the dataset's item ids, in this order\n"
    "  --items user:ID      the run's top 50 for a user (as 'reco recommend' lists it)\n"
    "  --users top:N        the N users with most interactions\n"
    "  --users ids:A,B,C    the dataset's user ids, in this order\n"
    "  --basis histories    users: the cosine of their training histories (the default)\n"
    "  --basis vectors      users: the cosine of the model's user vectors (factor models)\n"
    "  --order listed       as selected (the default)\n"
    "  --order category     by category name (items without one last), in bands\n"
    "  --order cluster      by average-linkage clustering of (S + S^T) / 2, so that groups of\n"
    "                       alike items appear as squares on the diagonal\n"
    "\n"
    "--csv writes id,title,category and one column per item or user, then one line per row\n"
    "(written beside FILE.csv and renamed into place; a text field that begins with =, +, -,\n"
    "@, a tab or a carriage return is written as '... unless --raw). --json prints run,\n"
    "measure, signed, symmetric, order, labels [{id,title,category,price,interactions}],\n"
    "values (one array per row, in display order), skipped (what was left out and why),\n"
    "bands [{category,begin,end}] (rows [begin, end)) with --order category, and merges\n"
    "[{left,right,similarity,size}] with --order cluster: merge k forms cluster n + k, and\n"
    "its left and right are display rows (below n) or earlier merges (n + j), left's rows\n"
    "before right's.\n";

namespace {

const char* orderName(SimilarityOrder order) {
  switch (order) {
    case SimilarityOrder::Listed: return "listed";
    case SimilarityOrder::Category: return "category";
    case SimilarityOrder::Cluster: return "cluster";
  }
  return "listed";
}

// A selection text as a usage error that names the option and the accepted forms.
SimilaritySelection selectionOption(const Args& args, const char* option, bool users) {
  try {
    return parseSimilaritySelection(args.require(option), users);
  } catch (const Error& error) {
    if (error.kind() != ErrorKind::Config) throw;
    throw Error(ErrorKind::Usage, std::string("--") + option + ": " + error.what());
  }
}

// One row of values as a compact JSON array (one line per row even in pretty output).
std::string rowJson(const SimilarityMatrix& matrix, std::size_t row) {
  std::string text = "[";
  for (std::size_t c = 0; c < matrix.size(); ++c) {
    if (c > 0) text += ',';
    const float value = matrix.value(row, c);
    text += std::isfinite(value) ? similarityValueText(value) : "null";
  }
  return text + ']';
}

void printJson(const storage::RunInfo& run, const SimilarityMatrix& matrix, SimilarityOrder order) {
  JsonWriter json(true);
  json.beginObject()
      .field("run", run.name)
      .field("model", run.model)
      .field("compares", matrix.users ? "users" : "items")
      .field("measure", matrix.measure)
      .field("signed", matrix.isSigned)
      .field("symmetric", matrix.isSymmetric)
      .field("order", orderName(order))
      .key("labels")
      .beginArray();
  for (const SimilarityLabel& label : matrix.labels) {
    json.beginObject()
        .field("id", label.externalId)
        .field("title", label.title)
        .field("category", label.category);
    json.key("price");
    label.price ? json.value(*label.price) : json.null();
    json.field("interactions", label.interactions).endObject();
  }
  json.endArray().key("values").beginArray();
  for (std::size_t r = 0; r < matrix.size(); ++r) json.raw(rowJson(matrix, r));
  json.endArray().key("skipped").beginArray();
  for (const std::string& reason : matrix.skipped) json.value(reason);
  json.endArray();
  if (order == SimilarityOrder::Category) {
    json.key("bands").beginArray();
    for (const auto& band : matrix.bands)
      json.beginObject()
          .field("category", band.category)
          .field("begin", band.begin)
          .field("end", band.end)
          .endObject();
    json.endArray();
  }
  if (order == SimilarityOrder::Cluster) {
    json.key("merges").beginArray();
    for (const auto& merge : matrix.clustering.merges)
      json.beginObject()
          .field("left", merge.left)
          .field("right", merge.right)
          .field("similarity", merge.similarity)
          .field("size", merge.size)
          .endObject();
    json.endArray();
  }
  std::printf("%s\n", json.endObject().str().c_str());
}

}  // namespace

int runSimilarity(CommandContext& context) {
  const Args args(context.args, {"run", "items", "users", "basis", "order", "csv"},
                  {"json", "raw"});
  const std::string runName = args.require("run");
  if (args.has("items") == args.has("users"))
    throw Error(ErrorKind::Usage, "expects either --items SET or --users SET");
  if (args.has("csv") == args.flag("json"))
    throw Error(ErrorKind::Usage, "expects either --csv FILE or --json");
  SimilarityMatrixOptions options;
  options.selection = args.has("items") ? selectionOption(args, "items", false)
                                        : selectionOption(args, "users", true);
  try {
    options.order = parseSimilarityOrder(args.valueOr("order", "listed"));
  } catch (const Error& error) {
    throw Error(ErrorKind::Usage, std::string("--order: ") + error.what());
  }
  const std::string basis = args.valueOr("basis", "histories");
  if (basis != "histories" && basis != "vectors")
    throw Error(ErrorKind::Usage, "--basis: expected histories or vectors, found '" + basis + "'");
  if (args.has("basis") && !args.has("users"))
    throw Error(ErrorKind::Usage, "--basis applies to --users only");
  options.userBasis =
      basis == "vectors" ? UserSimilarityBasis::Vectors : UserSimilarityBasis::Histories;
  const std::string path = args.valueOr("csv", "");
  // Before the workspace is opened: its -wal and -shm must not be the target either.
  if (!path.empty()) checkOutputTarget(path, workspaceFiles(context.workspacePath));

  storage::Workspace ws(context.workspacePath, storage::Workspace::OpenMode::OpenExisting);
  const StoredRun stored = openStoredRun(ws, runName);
  const storage::RunInfo& run = stored.run;
  const storage::SplitInfo& split = stored.split;
  const LoadedModel& model = stored.model;

  ProgressBar progress(context.stderrIsTerminal);
  const auto matrix =
      computeSimilarityMatrix(ws, run, model, split, options, &progress, context.stop);
  progress.finish();
  if (!matrix) {
    std::fprintf(stderr, "reco similarity: cancelled; nothing was written\n");
    return kExitCancelled;
  }
  if (path.empty()) {
    printJson(run, *matrix, options.order);
    return 0;
  }
  std::ostringstream csv;
  writeSimilarityMatrixCsv(*matrix, csv, args.flag("raw") ? CsvFormulas::Raw : CsvFormulas::Escape);
  AtomicOutputFile out(path, workspaceFiles(context.workspacePath));
  out.write(csv.str());
  out.commit();
  std::printf("Wrote the %zu x %zu matrix of run '%s' (%s) to %s\n", matrix->size(), matrix->size(),
              run.name.c_str(), matrix->measure.c_str(), path.c_str());
  for (const std::string& reason : matrix->skipped) std::printf("  left out: %s\n", reason.c_str());
  return 0;
}

}  // namespace reco::cli
