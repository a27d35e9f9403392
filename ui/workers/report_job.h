#pragma once
/// The Export report dialog's background work: building the report (core/report/
/// report_builder.h buildReport) on a Workspace of its own, laying it out on pages for the
/// preview (ReportPages) and, for an export, writing the HTML or PDF file and the CSV tables.
/// The dialog runs it through a ProgressTask (progress, Cancel, a newer request stopping an
/// older one); this is the part that runs in the pool, callable from any thread (the pages
/// are laid out here, and painted on the GUI thread from the finished result).

#include <QString>
#include <filesystem>
#include <memory>
#include <stop_token>
#include <string>
#include <vector>

#include "core/common/progress.h"
#include "core/report/document.h"
#include "core/report/pdf_module.h"
#include "core/report/report_builder.h"

namespace reco::ui {

class ReportPages;
class RunModelCache;

/// Which file an export writes, from the name's suffix (case-insensitive): ".pdf" a PDF,
/// anything else HTML.
enum class ReportFormat { Html, Pdf };
ReportFormat reportFormatOf(const QString& path);

/// One request of the dialog: the preview (outPath empty) or an export.
struct ReportRequest {
  std::string workspacePath;
  reco::report::ReportOptions options;
  reco::report::PaperSize paper = reco::report::PaperSize::A4;
  std::string outPath;  ///< the HTML or PDF file to write; empty: preview only
  bool csv = false;     ///< also write every table as CSV beside outPath
  /// The document already built for these options (the dialog's preview): written as it is,
  /// not built again. Null: built here.
  std::shared_ptr<const reco::report::Document> document;
  /// An export that also lays out the pages (it stands in for a preview it stopped).
  bool pages = false;
  /// The panels' loaded models, used where they hold a run's (null: each read anew).
  std::shared_ptr<RunModelCache> models;
};

/// What a request made.
struct ReportResult {
  reco::report::Document document;
  /// The document laid out on pages (preview requests, and exports with `pages`; else null).
  std::shared_ptr<const ReportPages> pages;
  std::filesystem::path written;            ///< the report file (exports)
  std::vector<std::filesystem::path> csvs;  ///< the CSV files, in table order
  int pdfPages = 0;                         ///< pages of a written PDF
};

/// Opens the workspace at `request.workspacePath` (it only reads) and runs the request (the
/// machine's CPU is filled in when the options leave it empty). Returns
/// null when `stop` fired; then nothing was written (the files of an export are written
/// beside their targets and renamed into place, the CSVs only after the report, so a Cancel
/// or a failure leaves an earlier export's files as they were). Throws reco::Error: Config for bad
/// options (an unknown run, user or item; buildReport's message), Io when a file cannot be written
/// or is the workspace.
std::shared_ptr<const ReportResult> runReportRequest(const ReportRequest& request,
                                                     reco::JobObserver* observer,
                                                     std::stop_token stop);

}  // namespace reco::ui
