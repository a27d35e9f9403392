// reco report: the stakeholder report of stored runs, as one self-contained HTML file or a
// PDF, without a display. Everything comes from core/report (buildReport, then a writer).
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include "app/cli/args.h"
#include "app/cli/command.h"
#include "app/cli/progress_bar.h"
#include "core/common/error.h"
#include "core/common/output_file.h"
#include "core/models/registry.h"
#include "core/models/torch_module.h"
#include "core/report/csv_tables.h"
#include "core/report/html_writer.h"
#include "core/report/pdf_module.h"
#include "core/report/report_builder.h"
#include "core/storage/workspace.h"

namespace reco::cli {

const char* const kHelpReport =
    "usage: reco [--workspace FILE] report --runs A,B,... --out FILE.html|FILE.pdf\n"
    "                                   [--baseline A] [--k 10] [--metric ndcg]\n"
    "                                   [--users ID,ID] [--items ID,ID] [--parts LIST]\n"
    "                                   [--paper a4|letter] [--csv] [--title TEXT]\n"
    "\n"
    "A report a stakeholder reads without the app: a protocol card (dataset, split,\n"
    "evaluation, machine, version, date), a generated summary, the comparison table with 95%\n"
    "CIs and paired significance against the baseline (the numbers of `reco compare`), plots\n"
    "(metric bars, accuracy against training time, segments, training curves, the dataset's\n"
    "long tail and activity), user stories (each run's list for --users, test hits marked) and\n"
    "item stories (nearest items and who is shown each of --items).\n"
    "\n"
    "  --metric NAME   the headline metric of the summary, bars and segments, at K\n"
    "  --parts LIST    the parts, comma-separated, from: protocol, summary, comparison,\n"
    "                  plots (or some of bars, accuracy-time, segments, curves, long-tail,\n"
    "                  activity), users, items, heatmap, item-map. Default: everything but\n"
    "                  heatmap and item-map (the similarity heatmap of the chosen items and\n"
    "                  their nearest, and the item map of the first run with item vectors).\n"
    "  --csv           also write every table as FILE.<table>.csv beside the report\n"
    "  --paper         the PDF's page size (default a4)\n"
    "\n"
    "FILE.html is one file with inline CSS and SVG plots: no script, no external reference,\n"
    "readable offline, prints well. It is written by the core alone, so it needs no Qt and no\n"
    "display. FILE.pdf is painted by Qt (the same document, page numbers, vector plots)\n"
    "through the libreco_pdf.so module, loaded only for a PDF (offscreen: no display needed),\n"
    "so every other command starts without Qt. Files are written beside the target and\n"
    "renamed into place; Ctrl-C stops and writes nothing.\n";

namespace {

/// --parts: every named part on, every other off.
report::ReportParts parseParts(const std::string& text) {
  report::ReportParts parts;
  parts = report::ReportParts{false, false, false, false, false, false, false,
                              false, false, false, false, false, false};
  for (const std::string& name : commaList(text)) {
    if (name == "protocol")
      parts.protocol = true;
    else if (name == "summary")
      parts.summary = true;
    else if (name == "comparison")
      parts.comparison = true;
    else if (name == "plots")
      parts.metricBars = parts.accuracyTime = parts.segments = parts.trainingCurves =
          parts.longTail = parts.activity = true;
    else if (name == "bars")
      parts.metricBars = true;
    else if (name == "accuracy-time")
      parts.accuracyTime = true;
    else if (name == "segments")
      parts.segments = true;
    else if (name == "curves")
      parts.trainingCurves = true;
    else if (name == "long-tail")
      parts.longTail = true;
    else if (name == "activity")
      parts.activity = true;
    else if (name == "users")
      parts.userStories = true;
    else if (name == "items")
      parts.itemStories = true;
    else if (name == "heatmap")
      parts.heatmap = true;
    else if (name == "item-map")
      parts.itemMap = true;
    else
      throw Error(ErrorKind::Usage,
                  "--parts: unknown part '" + name +
                      "'; expected protocol, summary, comparison, plots, bars, accuracy-time, "
                      "segments, curves, long-tail, activity, users, items, heatmap, item-map");
  }
  return parts;
}

bool endsWith(const std::string& text, const std::string& suffix) {
  if (text.size() < suffix.size()) return false;
  std::string tail = text.substr(text.size() - suffix.size());
  for (char& c : tail) c = char(std::tolower(static_cast<unsigned char>(c)));
  return tail == suffix;
}

}  // namespace

int runReport(CommandContext& context) {
  const Args args(
      context.args,
      {"runs", "baseline", "k", "metric", "users", "items", "parts", "paper", "title", "out"},
      {"csv"});
  const std::string out = args.require("out");
  const bool pdf = endsWith(out, ".pdf");
  if (!pdf && !endsWith(out, ".html") && !endsWith(out, ".htm"))
    throw Error(ErrorKind::Usage, "--out expects FILE.html or FILE.pdf, found '" + out + "'");
  const std::string paper = args.valueOr("paper", "a4");
  if (paper != "a4" && paper != "letter")
    throw Error(ErrorKind::Usage, "--paper expects a4 or letter, found '" + paper + "'");
  if (args.has("paper") && !pdf) throw Error(ErrorKind::Usage, "--paper applies to .pdf only");

  report::ReportOptions options;
  options.runs = commaList(args.require("runs"));
  if (options.runs.empty())
    throw Error(ErrorKind::Usage, "--runs expects run names separated by commas");
  options.baseline = args.valueOr("baseline", "");
  options.k = int(args.integerAtLeast("k", 1).value_or(10));
  options.headlineMetric = args.valueOr("metric", "ndcg");
  options.users = commaList(args.valueOr("users", ""));
  options.items = commaList(args.valueOr("items", ""));
  if (args.has("parts")) options.parts = parseParts(args.require("parts"));
  options.title = args.valueOr("title", "");
  options.version = RECO_VERSION;
  // Before the workspace is opened: its -wal and -shm must not be the target either.
  const auto protectedPaths = workspaceFiles(context.workspacePath);
  checkOutputTarget(out, protectedPaths);

  storage::Workspace ws(context.workspacePath, storage::Workspace::OpenMode::OpenExisting);
  // The machine on the card; loading the torch module (~0.5 s) also lets deep runs' models
  // be read for the stories.
  options.machine = report::describeThisMachine();
  options.machine.gpu = describeComputeDevice(loadTorchModule(defaultRegistry()));

  ProgressBar progress(context.stderrIsTerminal);
  const report::BuiltReport built = report::buildReport(ws, options, &progress, context.stop);
  progress.finish();
  if (built.outcome == Outcome::Stopped || context.stop.stop_requested()) {
    std::fprintf(stderr, "reco report: cancelled; nothing was written\n");
    return kExitCancelled;
  }

  // The CSVs first, the report last: a CSV that cannot be written leaves no report, and a
  // report that fails (or is cancelled) takes the CSVs back, so nothing is left half-done.
  std::vector<std::filesystem::path> written{out};
  std::vector<std::filesystem::path> csvs;
  if (args.flag("csv")) csvs = report::writeTableCsvs(built.document, out);
  const auto removeCsvs = [&csvs] {
    for (const auto& path : csvs) {
      std::error_code ignored;
      std::filesystem::remove(path, ignored);
    }
  };
  int pages = 0;
  try {
    if (pdf) {
      const auto result = report::writePdfThroughModule(
          built.document, out,
          paper == "letter" ? report::PaperSize::Letter : report::PaperSize::A4, context.stop);
      if (result.outcome == Outcome::Stopped) {
        removeCsvs();
        std::fprintf(stderr, "reco report: cancelled; nothing was written\n");
        return kExitCancelled;
      }
      pages = result.pages;
    } else {
      AtomicOutputFile file(out, protectedPaths);
      file.write(report::renderHtml(built.document));
      file.commit();
    }
  } catch (...) {
    removeCsvs();
    throw;
  }
  written.insert(written.end(), csvs.begin(), csvs.end());

  if (pdf)
    std::printf("Wrote %s (%d %s)\n", out.c_str(), pages, pages == 1 ? "page" : "pages");
  else
    std::printf("Wrote %s\n", out.c_str());
  for (std::size_t i = 1; i < written.size(); ++i)
    std::printf("Wrote %s\n", written[i].string().c_str());
  return 0;
}

}  // namespace reco::cli
