#include "ui/workers/report_job.h"

#include <QTemporaryDir>
#include <optional>
#include <system_error>

#include "core/common/error.h"
#include "core/common/output_file.h"
#include "core/report/csv_tables.h"
#include "core/report/html_writer.h"
#include "core/storage/workspace.h"
#include "ui/report/pdf_report.h"
#include "ui/workers/run_model_cache.h"

namespace reco::ui {

namespace {

/// Writes the report file itself; false when `stop` fired first (nothing written).
bool writeReportFile(const ReportRequest& request, const reco::report::Document& document,
                     std::stop_token stop, ReportResult& out) {
  const QString path = QString::fromStdString(request.outPath);
  if (reportFormatOf(path) == ReportFormat::Pdf) {
    const auto written = writePdf(document, path, request.paper, stop);
    if (written.outcome == reco::Outcome::Stopped) return false;
    out.pdfPages = written.pages;
  } else {
    reco::AtomicOutputFile file(request.outPath, reco::workspaceFiles(request.workspacePath));
    file.write(reco::report::renderHtml(document));
    // The last moment a Cancel can still leave the target untouched.
    if (stop.stop_requested()) return false;
    file.commit();
  }
  out.written = request.outPath;
  return true;
}

}  // namespace

ReportFormat reportFormatOf(const QString& path) {
  return path.endsWith(QStringLiteral(".pdf"), Qt::CaseInsensitive) ? ReportFormat::Pdf
                                                                    : ReportFormat::Html;
}

std::shared_ptr<const ReportResult> runReportRequest(const ReportRequest& request,
                                                     reco::JobObserver* observer,
                                                     std::stop_token stop) {
  reco::storage::Workspace workspace(request.workspacePath,
                                     reco::storage::Workspace::OpenMode::OpenExisting);
  auto options = request.options;
  if (options.machine.cpu.empty()) {
    // Read here, off the GUI thread; the GPU line is the window's.
    const std::string gpu = options.machine.gpu;
    options.machine = reco::report::describeThisMachine();
    if (!gpu.empty()) options.machine.gpu = gpu;
  }
  auto out = std::make_shared<ReportResult>();
  if (request.document) {
    out->document = *request.document;
  } else {
    reco::report::ReportModelSource source;
    if (request.models) {
      source = [cache = request.models](reco::storage::Workspace& ws,
                                        const reco::storage::RunInfo& run) {
        return cache->getOrRead(ws, run);
      };
    }
    auto built = reco::report::buildReport(workspace, options, observer, stop, std::move(source));
    if (built.outcome == reco::Outcome::Stopped || stop.stop_requested()) return nullptr;
    out->document = std::move(built.document);
  }
  // Layout measures text only; painting happens on the GUI thread from these pages.
  if (request.pages || request.outPath.empty())
    out->pages = std::make_shared<const ReportPages>(out->document, request.paper);
  if (request.outPath.empty()) return stop.stop_requested() ? nullptr : out;
  // Refused before anything is opened: the workspace (and its -wal...) is never a target.
  reco::checkOutputTarget(request.outPath, reco::workspaceFiles(request.workspacePath));
  if (stop.stop_requested()) return nullptr;
  // Nothing is committed before the report's last stop check: the CSVs are written into a
  // folder of their own beside the report and moved into place only once the report is, so a
  // Cancel or a failure leaves the folder as it was (an earlier export's CSVs included).
  std::optional<QTemporaryDir> staging;
  std::vector<std::filesystem::path> staged;
  if (request.csv) {
    const std::filesystem::path target(request.outPath);
    const QString stagingName =
        QStringLiteral(".%1.csv-XXXXXX").arg(QString::fromStdString(target.stem().string()));
    staging.emplace(QString::fromStdString(target.parent_path().string()) +
                    (target.has_parent_path() ? QStringLiteral("/") : QString()) + stagingName);
    if (!staging->isValid()) {
      throw reco::Error(reco::ErrorKind::Io,
                        "cannot write the CSV tables beside " + request.outPath + ": " +
                            staging->errorString().toStdString() + " (is the folder writable?)");
    }
    const std::filesystem::path stagedReport =
        std::filesystem::path(staging->path().toStdString()) / target.filename();
    staged = reco::report::writeTableCsvs(out->document, stagedReport);
    auto protectedPaths = reco::workspaceFiles(request.workspacePath);
    protectedPaths.push_back(request.outPath);
    for (const auto& file : staged) {
      out->csvs.push_back(target.parent_path() / file.filename());
      reco::checkOutputTarget(out->csvs.back().string(), protectedPaths);
    }
  }
  if (!writeReportFile(request, out->document, stop, *out)) return nullptr;
  for (std::size_t i = 0; i < staged.size(); ++i) {
    std::error_code ec;
    std::filesystem::rename(staged[i], out->csvs[i], ec);
    if (ec) {
      throw reco::Error(reco::ErrorKind::Io, "wrote " + request.outPath +
                                                 " but cannot move its CSV table into place at " +
                                                 out->csvs[i].string() + ": " +
                                                 reco::errorCodeText(ec));
    }
  }
  return out;
}

}  // namespace reco::ui
