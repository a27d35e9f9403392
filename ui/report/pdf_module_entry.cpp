// The entry points of libreco_pdf.so, the PDF writer as a module for programs that link the
// core only (`reco report --out F.pdf`; core/report/pdf_module.cpp loads it). The contract
// is core/report/pdf_module_abi.h. Nothing leaves here as an exception.
#include <QCoreApplication>
#include <QGuiApplication>
#include <exception>
#include <memory>

#include "core/common/error.h"
#include "core/report/pdf_module_abi.h"
#include "ui/report/pdf_report.h"

#define RECO_PDF_EXPORT extern "C" __attribute__((visibility("default")))

namespace {

// Painting text needs a QGuiApplication. A program without one gets an offscreen one,
// created once and kept for the process (Qt cannot be started twice); reco calls the
// module from its one thread, so Qt stays on the thread that started it.
// reco's stderr is the user's: Qt's note that XDG_RUNTIME_DIR is unset (usual outside a
// desktop session, harmless offscreen) would read like a problem with the report. Every
// other message goes on to Qt's own handler.
QtMessageHandler qtHandler = nullptr;
void quietMessages(QtMsgType type, const QMessageLogContext& context, const QString& message) {
  if (type == QtWarningMsg && message.startsWith(QLatin1String("QStandardPaths:"))) return;
  if (qtHandler != nullptr) qtHandler(type, context, message);
}

void ensureGuiApplication() {
  if (QCoreApplication::instance() != nullptr) return;
  qtHandler = qInstallMessageHandler(quietMessages);
  static int argc = 3;
  static char arg0[] = "reco";
  static char arg1[] = "-platform";
  static char arg2[] = "offscreen";
  static char* argv[] = {arg0, arg1, arg2, nullptr};
  static const auto* app = new QGuiApplication(argc, argv);  // never deleted (see above)
  (void)app;
}

}  // namespace

// NOLINTNEXTLINE(readability-identifier-naming): a C symbol named by pdf_module_abi.h
RECO_PDF_EXPORT int reco_pdf_abi_version() {
  return reco::report::kPdfModuleAbiVersion;
}

// NOLINTNEXTLINE(readability-identifier-naming): a C symbol named by pdf_module_abi.h
RECO_PDF_EXPORT int reco_pdf_write(const reco::report::Document* document, const char* path,
                                   int paper, const std::stop_token* stop,
                                   reco::report::PdfWriteResult* result, int* errorKind,
                                   std::string* error) {
  try {
    ensureGuiApplication();
    *result = reco::ui::writePdf(*document, QString::fromUtf8(path),
                                 static_cast<reco::report::PaperSize>(paper),
                                 stop != nullptr ? *stop : std::stop_token{});
    return 0;
  } catch (const reco::Error& e) {
    *errorKind = static_cast<int>(e.kind());
    *error = e.what();
  } catch (const std::exception& e) {
    *errorKind = static_cast<int>(reco::ErrorKind::Internal);
    *error = std::string("writing the PDF failed: ") + e.what();
  } catch (...) {
    *errorKind = static_cast<int>(reco::ErrorKind::Internal);
    *error = "writing the PDF failed with an unknown exception";
  }
  return 1;
}
