// reco derive: a sampled dataset (sparse or basket stand-in) made from one of the workspace.
#include <cstdio>

#include "app/cli/args.h"
#include "app/cli/command.h"
#include "app/cli/progress_bar.h"
#include "app/cli/text_format.h"
#include "app/cli/workspace_writing.h"
#include "core/common/error.h"
#include "core/common/json.h"
#include "core/common/number_text.h"
#include "core/storage/dataset_derive.h"

namespace reco::cli {

const char* const kHelpDerive =
    "usage: reco [--workspace FILE] derive --dataset SRC --name NEW [--lines-per-user A-B]\n"
    "                                      [--basket-fraction F] [--seed S] [--json]\n"
    "\n"
    "Makes NEW, a sample of the dataset SRC, to see how models do on a shop of another shape.\n"
    "A basket is a user's lines at one timestamp (an Online Retail invoice: one customer's\n"
    "lines at one InvoiceDate; a line without a time is a basket of its own).\n"
    "\n"
    "  --dataset SRC        the dataset to sample (may be left out when there is only one)\n"
    "  --name NEW           the new dataset's name (must not be taken)\n"
    "  --basket-fraction F  keep about F of each basket's lines, 0 < F <= 1: a basket of n\n"
    "                       lines keeps floor(F*n), plus one with probability frac(F*n), so\n"
    "                       each line is kept with probability F\n"
    "  --lines-per-user A-B then each user keeps k of its lines, k drawn uniformly from A..B\n"
    "                       (1 <= A <= B; 'A' alone means A-A; every line when it has fewer)\n"
    "  --seed S             the seed of the draws (default 42); the same options give the\n"
    "                       same dataset, byte for byte\n"
    "  --json               print the counts as JSON\n"
    "\n"
    "At least one of --basket-fraction and --lines-per-user is needed. Users left with no\n"
    "line are dropped; every item of SRC stays an item of NEW with its title, category,\n"
    "price and attributes, bought or not (the full catalogue). Lines keep their time, event\n"
    "and value. NEW's source records the recipe (reco datasets --json shows it).\n"
    "The stand-ins of issue 18, from Online Retail imported as 'retail':\n"
    "  reco derive --dataset retail --name retail-sparse --lines-per-user 1-2 --seed 42\n"
    "  reco derive --dataset retail --name retail-basket --basket-fraction 0.05 --seed 42\n"
    "\n"
    "Exit codes: 0 done, 2 bad options, 3 a sample that keeps no line, 4 workspace error,\n"
    "130 cancelled with Ctrl-C (the workspace is left as it was).\n";

namespace {

/// "A-B" or "A" -> {A, B}; throws Error(Usage) for anything else. The range's bounds are
/// checked by DeriveOptions::validate.
std::pair<int, int> parseLinesPerUser(const std::string& text) {
  const auto fail = [&]() -> std::pair<int, int> {
    throw Error(ErrorKind::Usage,
                "--lines-per-user expects A-B or A with whole numbers 1 <= A <= B (e.g. 1-2), "
                "found '" +
                    text + "'");
  };
  const auto whole = [&](std::string_view part) -> int {
    if (part.empty() || part.size() > 9) fail();
    int value = 0;
    for (const char c : part) {
      if (c < '0' || c > '9') fail();
      value = value * 10 + (c - '0');
    }
    return value;
  };
  const auto dash = text.find('-');
  if (dash == std::string::npos) {
    const int k = whole(text);
    return {k, k};
  }
  return {whole(std::string_view(text).substr(0, dash)),
          whole(std::string_view(text).substr(dash + 1))};
}

storage::DeriveOptions optionsFrom(const Args& args) {
  storage::DeriveOptions o;
  o.name = args.nonEmpty("name").value_or("");
  if (o.name.empty()) throw Error(ErrorKind::Usage, "derive needs --name NEW (see --help)");
  const auto lines = args.value("lines-per-user");
  const auto fraction = args.value("basket-fraction");
  if (!lines && !fraction)
    throw Error(ErrorKind::Usage,
                "derive expects --lines-per-user A-B or --basket-fraction F (or both), found "
                "neither (see --help)");
  if (lines) {
    const auto [min, max] = parseLinesPerUser(*lines);
    if (min < 1 || max < min)
      throw Error(ErrorKind::Usage, "--lines-per-user expects 1 <= A <= B, found '" + *lines + "'");
    o.linesPerUserMin = min;
    o.linesPerUserMax = max;
  }
  if (fraction) {
    const auto f = parseNumber(*fraction);
    if (!f || !(*f > 0.0 && *f <= 1.0))
      throw Error(ErrorKind::Usage,
                  "--basket-fraction expects a number F with 0 < F <= 1 (e.g. 0.05), found '" +
                      *fraction + "'");
    o.basketFraction = *f;
  }
  o.seed = std::uint64_t(args.integerAtLeast("seed", 0).value_or(42));
  o.validate();
  return o;
}

}  // namespace

int runDerive(CommandContext& context) {
  const Args args(context.args, {"dataset", "name", "lines-per-user", "basket-fraction", "seed"},
                  {"json"});
  const storage::DeriveOptions options = optionsFrom(args);
  storage::Workspace workspace(context.workspacePath, storage::Workspace::OpenMode::OpenExisting);
  const DatasetInfo source = workspace.resolveDataset(args.valueOr("dataset", ""));
  prepareForWriting(workspace, context);
  ProgressBar progress(context.stderrIsTerminal);
  const auto result = storage::deriveDataset(workspace, source, options, &progress, context.stop);
  progress.finish();
  if (result.outcome == Outcome::Stopped) {
    std::fprintf(stderr, "reco derive: cancelled; the workspace %s was left as it was\n",
                 context.workspacePath.c_str());
    return kExitCancelled;
  }
  const DatasetInfo& d = result.dataset;
  const double perUser = d.users > 0 ? double(d.interactions) / double(d.users) : 0.0;
  if (args.flag("json")) {
    JsonWriter json(true);
    json.beginObject()
        .field("dataset", d.name)
        .field("source", d.source)
        .field("users", d.users)
        .field("items", result.catalogueItems)
        .field("items_with_interactions", d.items)
        .field("interactions", d.interactions)
        .field("interactions_per_user", perUser)
        .field("source_interactions", result.report.rowsRead)
        .field("dropped_users", result.droppedUsers)
        .field("content_hash", d.contentHash);
    std::printf("%s\n", json.endObject().str().c_str());
    return 0;
  }
  std::printf("Derived '%s' from '%s' in %.2f s\n", d.name.c_str(), source.name.c_str(),
              result.report.seconds);
  std::printf("  users %s (%s dropped with no line left), interactions %s of %s, %s per user\n",
              withThousands(d.users).c_str(), withThousands(result.droppedUsers).c_str(),
              withThousands(d.interactions).c_str(), withThousands(result.report.rowsRead).c_str(),
              fixed(perUser, 2).c_str());
  std::printf("  items %s in the catalogue, %s with an interaction\n",
              withThousands(result.catalogueItems).c_str(), withThousands(d.items).c_str());
  std::printf("  recipe: reco %s --name %s\n", d.source.c_str(), d.name.c_str());
  return 0;
}

}  // namespace reco::cli
