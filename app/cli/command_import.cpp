// reco import: a shop file becomes a new dataset of the workspace, in one transaction.
#include <cstdio>
#include <optional>

#include "app/cli/args.h"
#include "app/cli/command.h"
#include "app/cli/new_workspace.h"
#include "app/cli/progress_bar.h"
#include "app/cli/text_format.h"
#include "app/cli/workspace_writing.h"
#include "core/common/error.h"
#include "core/common/json.h"
#include "core/io/import_options.h"
#include "core/storage/dataset_import.h"

namespace reco::cli {

const char* const kHelpImport =
    "usage: reco [--workspace FILE] import PATH [options]\n"
    "\n"
    "Imports PATH as a new dataset (a second import of the same file makes a second dataset).\n"
    "PATH is a file, a folder (MovieLens), '-' for standard input or a named pipe (read once);\n"
    "gzip-compressed files (.csv.gz) are read as they are. A failed or cancelled import leaves\n"
    "the workspace exactly as it was.\n"
    "\n"
    "  --format F        auto (default), movielens (100K folder or u.data; 1M/10M ratings.dat),\n"
    "                    online-retail, events (timestamp,visitorid,event,itemid), ratings-csv\n"
    "                    (user,item,rating[,timestamp]), csv (any CSV/TSV with --map)\n"
    "  --name NAME       dataset name (default: from the file or folder name; -2, -3... when "
    "taken)\n"
    "  --map ROLE=COL,...        columns for csv: user, item (required), time, rating, event,\n"
    "                    quantity; COL is a header name or a 0-based column number\n"
    "  --no-header       the file has no header line (default: detected)\n"
    "  --delimiter C     field separator: ',', 'tab', ';', '|' (default: detected)\n"
    "  --items PATH      an item catalogue file; --items-map "
    "id=COL,title=COL,category=COL,price=COL\n"
    "                    (other columns are kept as attributes)\n"
    "  --event-weights view=1,cart=3,purchase=5   weight of each event type (value of event rows)\n"
    "  --rating-threshold X      keep rows whose rating (or weight) is >= X\n"
    "  --since DATE --until DATE keep rows with since <= time < until (YYYY-MM-DD[ HH:MM:SS], "
    "UTC)\n"
    "  --min-user-interactions N --min-item-interactions N\n"
    "                    k-core: drop users with fewer than N distinct items and items with\n"
    "                    fewer than N distinct users, repeated until stable\n"
    "  --duplicates P    keep (default) | sum | max | last: merge rows of the same user and item\n"
    "  --json            print the report as JSON\n"
    "\n"
    "The report lists rows read, kept and rejected by reason with the first examples (file:line).\n"
    "Exit codes: 0 done, 2 bad options, 3 a file that cannot be imported, 4 workspace error,\n"
    "130 cancelled with Ctrl-C.\n";

namespace {

io::ImportOptions optionsFrom(const Args& args) {
  static const char* const kInteractionRoles[] = {"user",  "item",     "time", "rating",
                                                  "event", "quantity", nullptr};
  static const char* const kItemRoles[] = {"id", "title", "category", "price", nullptr};
  io::ImportOptions o;
  if (auto v = args.value("format")) o.format = io::parseFormat(*v);
  o.name = args.nonEmpty("name").value_or("");  // '' would silently mean the default name
  if (auto v = args.value("map")) o.map = io::parseColumnMap(*v, kInteractionRoles);
  if (args.flag("no-header")) o.header = false;
  if (auto v = args.value("delimiter")) {
    if (*v == "tab" || *v == "\\t" || *v == "\t")
      o.delimiter = '\t';
    else if (v->size() == 1)
      o.delimiter = (*v)[0];
    else
      throw Error(ErrorKind::Usage,
                  "--delimiter expects one character or 'tab', found '" + *v + "'");
  }
  o.itemsPath = args.valueOr("items", "");
  if (auto v = args.value("items-map")) {
    if (o.itemsPath.empty()) throw Error(ErrorKind::Usage, "--items-map needs --items PATH");
    o.itemsMap = io::parseColumnMap(*v, kItemRoles);
  }
  if (auto v = args.value("event-weights")) o.eventWeights = io::parseEventWeights(*v);
  o.ratingThreshold = args.number("rating-threshold");
  auto date = [&](const char* name) -> std::optional<std::int64_t> {
    auto v = args.value(name);
    if (!v) return std::nullopt;
    auto t = io::parseDateTime(*v);
    if (!t)
      throw Error(
          ErrorKind::Usage,
          std::string("--") + name + " expects a date YYYY-MM-DD[ HH:MM:SS], found '" + *v + "'");
    return t;
  };
  o.since = date("since");
  o.until = date("until");
  o.minUserInteractions = int(args.integerAtLeast("min-user-interactions", 0).value_or(0));
  o.minItemInteractions = int(args.integerAtLeast("min-item-interactions", 0).value_or(0));
  if (auto v = args.value("duplicates")) o.duplicates = io::parseDuplicatePolicy(*v);
  o.validate();
  return o;
}

void printReport(const storage::ImportResult& result) {
  const auto& d = result.dataset;
  const auto& r = result.report;
  std::printf("Imported '%s' (%s, %s feedback) in %.2f s\n", d.name.c_str(), d.format.c_str(),
              d.feedback.c_str(), r.seconds);
  std::printf("  users %s, items %s, interactions %s, density %.5f%%\n",
              withThousands(d.users).c_str(), withThousands(d.items).c_str(),
              withThousands(d.interactions).c_str(), d.density() * 100.0);
  std::printf("  time span %s .. %s\n", dateOrDash(d.firstTime).c_str(),
              dateOrDash(d.lastTime).c_str());
  std::int64_t rejected = 0;
  for (const auto& reason : r.rejected) rejected += reason.count;
  std::printf("  rows read %s, kept %s, rejected or filtered %s\n",
              withThousands(r.rowsRead).c_str(), withThousands(r.rowsKept).c_str(),
              withThousands(rejected).c_str());
  for (const auto& reason : r.rejected) {
    std::printf("    %10s  %s\n", withThousands(reason.count).c_str(), reason.reason.c_str());
    for (const auto& ex : reason.examples)
      std::printf("                %s: %s\n", describeLocation(ex.file, ex.line).c_str(),
                  ex.text.c_str());
  }
  for (const auto& note : r.notes) std::printf("  %s\n", note.c_str());
}

void printJson(const storage::ImportResult& result) {
  const auto& d = result.dataset;
  const auto& r = result.report;
  JsonWriter json(true);
  json.beginObject()
      .field("dataset", d.name)
      .field("format", d.format)
      .field("feedback", d.feedback)
      .field("users", d.users)
      .field("items", d.items)
      .field("interactions", d.interactions)
      .field("rows_read", r.rowsRead)
      .field("rows_kept", r.rowsKept)
      .field("seconds", r.seconds);
  json.key("rejected").beginArray();
  for (const auto& reason : r.rejected) {
    json.beginObject().field("reason", reason.reason).field("count", reason.count);
    json.key("examples").beginArray();
    for (const auto& ex : reason.examples)
      json.beginObject()
          .field("file", ex.file)
          .field("line", std::int64_t(ex.line))
          .field("text", ex.text)
          .endObject();
    json.endArray().endObject();
  }
  json.endArray();
  json.key("notes").beginArray();
  for (const auto& note : r.notes) json.value(note);
  json.endArray().endObject();
  std::printf("%s\n", json.str().c_str());
}

}  // namespace

int runImport(CommandContext& context) {
  const Args args(context.args,
                  {"format", "name", "map", "delimiter", "items", "items-map", "event-weights",
                   "rating-threshold", "since", "until", "min-user-interactions",
                   "min-item-interactions", "duplicates"},
                  {"no-header", "json"}, 1);
  if (args.positionals().empty())
    throw Error(ErrorKind::Usage, "import expects a PATH (see reco import --help)");
  const io::ImportOptions options = optionsFrom(args);
  NewWorkspace created(context.workspacePath);  // outlives the workspace below
  std::optional<storage::Workspace> workspace;
  workspace.emplace(created.openPath(), storage::Workspace::OpenMode::CreateIfMissing);
  prepareForWriting(*workspace, context);
  ProgressBar progress(context.stderrIsTerminal);
  const auto result =
      storage::importFile(*workspace, args.positionals()[0], options, &progress, context.stop);
  progress.finish();
  if (result.outcome == Outcome::Stopped) {
    std::fprintf(stderr, "reco import: cancelled; the workspace %s was left as it was\n",
                 context.workspacePath.c_str());
    return kExitCancelled;
  }
  workspace.reset();  // closed before it moves to its name
  created.publish();
  if (args.flag("json")) {
    printJson(result);
  } else {
    printReport(result);
  }
  return 0;
}

}  // namespace reco::cli
