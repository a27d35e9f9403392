#pragma once
/// PDF output for a program that links the core only (`reco report --out F.pdf`). The PDF
/// writer paints with Qt (QPdfWriter, QPainter; ui/report/pdf_report.h), which `reco` does
/// not link: like the deep models (torch_module.h) it lives in a module, libreco_pdf.so,
/// loaded with dlopen on first use, so every other command still starts without Qt. The
/// module starts an offscreen QGuiApplication when the process has none, so no display is
/// needed. The workbench links the writer directly and never loads the module.

#include <filesystem>
#include <stop_token>
#include <string>

#include "core/common/progress.h"
#include "core/report/document.h"

namespace reco::report {

enum class PaperSize { A4, Letter };

struct PdfWriteResult {
  Outcome outcome = Outcome::Completed;  ///< Stopped: no file was written
  int pages = 0;
};

/// Writes `document` as a PDF at `path` (beside it, then renamed into place) through the
/// module. Throws Config when the module cannot be loaded ("PDF output needs libreco_pdf.so,
/// built with the workbench (Qt); not found in <folders>: write .html instead"), Io when the
/// file cannot be written. Module search: $RECO_PDF_MODULE (a file), the folder of the
/// running executable and its ../lib, then the build's library folder.
PdfWriteResult writePdfThroughModule(const Document& document, const std::filesystem::path& path,
                                     PaperSize paper, std::stop_token stop = {});

}  // namespace reco::report
