// reco gen-synthetic: a seeded synthetic shop, written as CSV files or imported straight
// into the workspace.
#include <cstdio>
#include <filesystem>
#include <optional>
#include <system_error>

#include "app/cli/args.h"
#include "app/cli/command.h"
#include "app/cli/new_workspace.h"
#include "app/cli/progress_bar.h"
#include "app/cli/text_format.h"
#include "app/cli/workspace_writing.h"
#include "core/common/error.h"
#include "core/data/synthetic.h"
#include "core/io/csv_record_writer.h"
#include "core/io/import_options.h"
#include "core/storage/dataset_import.h"
#include "core/storage/workspace.h"

namespace reco::cli {

const char* const kHelpGenSynthetic =
    "usage: reco [--workspace FILE] gen-synthetic --users N --items N --interactions N --seed S\n"
    "                                             (--out FILE.csv | --name NAME) [options]\n"
    "\n"
    "Generates a believable synthetic shop: 8 top categories with 4-6 leaves each, items with\n"
    "brands, titles and log-normal prices, Zipf-like item popularity, users with a few\n"
    "favourite categories and heavy-tailed activity, and sessions of views, carts and\n"
    "purchases with a daily and weekly rhythm. The same options give the same data, byte for\n"
    "byte, on every platform.\n"
    "\n"
    "  --users N         users (each gets at least one event when interactions >= users)\n"
    "  --items N         catalogue items\n"
    "  --interactions N  exactly this many events (view, cart, purchase)\n"
    "  --seed S          random seed (a non-negative integer)\n"
    "  --out FILE.csv    write the events to FILE.csv (timestamp,user_id,event,item_id) and the\n"
    "                    catalogue to FILE.items.csv beside it "
    "(item_id,title,category,price,brand);\n"
    "                    'reco import FILE.csv --items FILE.items.csv' reads them back\n"
    "  --name NAME       instead, import straight into the workspace as dataset NAME\n"
    "                    (event weights as for import: --event-weights view=1,cart=3,purchase=5)\n"
    "  --months M        calendar months covered (default 6, at most 120)\n"
    "  --start DATE      first day, YYYY-MM-DD (UTC; default 2025-01-01)\n"
    "  --popularity X    Zipf exponent of item popularity (default 1; 0 is uniform)\n"
    "  --taste X         Dirichlet alpha of user tastes (default 0.2; larger is less picky)\n"
    "  --activity X      sigma of the log-normal user activity (default 1.2)\n"
    "\n"
    "Exit codes: 0 done, 2 bad options, 3 a file that cannot be written, 4 workspace error,\n"
    "130 cancelled with Ctrl-C (partial files are deleted, the workspace is left as it was).\n";

namespace {

long long requireCount(const Args& args, const char* name) {
  const auto value = args.integer(name);
  if (!value)
    throw Error(ErrorKind::Usage, std::string("gen-synthetic needs --") + name + " (see --help)");
  return *value;
}

data::SyntheticOptions optionsFrom(const Args& args) {
  data::SyntheticOptions o;
  o.users = requireCount(args, "users");
  o.items = requireCount(args, "items");
  o.interactions = requireCount(args, "interactions");
  const long long seed = requireCount(args, "seed");
  if (seed < 0)
    throw Error(ErrorKind::Config,
                "--seed must be a non-negative integer, found " + std::to_string(seed));
  o.seed = std::uint64_t(seed);
  if (auto months = args.integer("months")) {
    if (*months < 1 || *months > 120)
      throw Error(ErrorKind::Config,
                  "--months must be between 1 and 120, found " + std::to_string(*months));
    o.months = int(*months);
  }
  if (auto start = args.value("start")) {
    const auto time = io::parseDateTime(*start);
    if (!time)
      throw Error(ErrorKind::Usage, "--start expects a date YYYY-MM-DD, found '" + *start + "'");
    o.start = *time;
  }
  if (auto x = args.number("popularity")) o.popularityExponent = *x;
  if (auto x = args.number("taste")) o.tasteConcentration = *x;
  if (auto x = args.number("activity")) o.activitySpread = *x;
  o.validate();
  return o;
}

void removeQuietly(const std::string& path) {
  std::error_code ignored;
  std::filesystem::remove(path, ignored);
}

int writeCsv(CommandContext& context, const data::SyntheticOptions& options,
             const std::string& eventsPath) {
  const std::string itemsPath = io::itemsPathBeside(eventsPath);
  ProgressBar progress(context.stderrIsTerminal);
  std::optional<io::CsvRecordWriter> writer;
  writer.emplace(eventsPath, itemsPath);
  Outcome outcome = Outcome::Completed;
  try {
    outcome = data::generateShop(options, *writer, &progress, context.stop);
    if (outcome == Outcome::Completed) writer->finish();
  } catch (...) {
    writer.reset();
    removeQuietly(eventsPath);
    removeQuietly(itemsPath);
    throw;
  }
  progress.finish();
  if (outcome == Outcome::Stopped) {
    writer.reset();
    removeQuietly(eventsPath);
    removeQuietly(itemsPath);
    std::fprintf(stderr, "reco gen-synthetic: cancelled; the partial files were deleted\n");
    return kExitCancelled;
  }
  std::printf("wrote %s interactions to %s\n",
              withThousands(std::int64_t(writer->interactionsWritten())).c_str(),
              eventsPath.c_str());
  std::printf("wrote %s items to %s\n", withThousands(std::int64_t(writer->itemsWritten())).c_str(),
              itemsPath.c_str());
  std::printf("recipe: reco %s --out %s\n", data::syntheticRecipe(options).c_str(),
              eventsPath.c_str());
  return 0;
}

int importIntoWorkspace(CommandContext& context, const data::SyntheticOptions& options,
                        const std::string& name, const Args& args) {
  io::ImportOptions importOptions;
  importOptions.format = io::Format::Events;
  importOptions.name = name;
  if (auto weights = args.value("event-weights"))
    importOptions.eventWeights = io::parseEventWeights(*weights);
  importOptions.validate();
  NewWorkspace created(context.workspacePath);  // outlives the workspace below
  std::optional<storage::Workspace> workspace;
  workspace.emplace(created.openPath(), storage::Workspace::OpenMode::CreateIfMissing);
  prepareForWriting(*workspace, context);
  ProgressBar progress(context.stderrIsTerminal);
  const auto produce = [&](io::RecordSink& sink) {
    return data::generateShop(options, sink, &progress, context.stop);
  };
  const auto result =
      storage::importRecords(*workspace, "synthetic", data::syntheticRecipe(options), importOptions,
                             produce, &progress, context.stop);
  progress.finish();
  if (result.outcome == Outcome::Stopped) {
    std::fprintf(stderr, "reco gen-synthetic: cancelled; the workspace %s was left as it was\n",
                 context.workspacePath.c_str());
    return kExitCancelled;
  }
  workspace.reset();  // closed before it moves to its name
  created.publish();
  const auto& d = result.dataset;
  std::printf("Imported '%s' (synthetic, %s feedback) into %s in %.2f s\n", d.name.c_str(),
              d.feedback.c_str(), context.workspacePath.c_str(), result.report.seconds);
  std::printf("  users %s, items %s, interactions %s, density %.5f%%\n",
              withThousands(d.users).c_str(), withThousands(d.items).c_str(),
              withThousands(d.interactions).c_str(), d.density() * 100.0);
  std::printf("  time span %s .. %s\n", dateOrDash(d.firstTime).c_str(),
              dateOrDash(d.lastTime).c_str());
  std::printf("  recipe: reco %s --name %s\n", data::syntheticRecipe(options).c_str(),
              d.name.c_str());
  return 0;
}

}  // namespace

int runGenSynthetic(CommandContext& context) {
  const Args args(context.args,
                  {"users", "items", "interactions", "seed", "out", "name", "months", "start",
                   "popularity", "taste", "activity", "event-weights"},
                  {});
  const auto out = args.value("out");
  const auto name = args.value("name");
  if (out.has_value() == name.has_value())
    throw Error(ErrorKind::Usage,
                "gen-synthetic needs exactly one of --out FILE.csv and --name NAME (see --help)");
  if (out && out->empty()) throw Error(ErrorKind::Usage, "--out expects a file name, found ''");
  if (name && name->empty())
    throw Error(ErrorKind::Usage, "--name expects a dataset name, found ''");
  if (out && args.has("event-weights"))
    throw Error(ErrorKind::Usage, "--event-weights applies to --name (an import), not to --out");
  const data::SyntheticOptions options = optionsFrom(args);
  return out ? writeCsv(context, options, *out)
             : importIntoWorkspace(context, options, *name, args);
}

}  // namespace reco::cli
