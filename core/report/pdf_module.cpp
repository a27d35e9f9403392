#include "core/report/pdf_module.h"

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <system_error>

#include "core/common/error.h"
#include "core/common/module_search.h"
#include "core/report/pdf_module_abi.h"

#ifndef RECO_PDF_MODULE_DIR
#define RECO_PDF_MODULE_DIR ""
#endif

namespace reco::report {
namespace {

namespace fs = std::filesystem;

// The loaded module's entry point, or why there is none. Loaded once per process and never
// unloaded: Qt, once started, cannot be shut down and started again.
struct LoadedModule {
  PdfWriteFunction write = nullptr;
  std::string error;
};

LoadedModule loadModule() {
  LoadedModule module;
  std::string tried;
  const std::vector<std::string> candidates = detail::pdfModuleCandidates();
  for (const auto& candidate : candidates) {
    std::error_code ec;
    if (!fs::exists(candidate, ec)) {
      tried += (tried.empty() ? "" : ", ") + candidate;
      continue;
    }
    void* handle = dlopen(candidate.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
      module.error = "PDF output needs libreco_pdf.so, which failed to load from " + candidate +
                     ": " + dynamicLoaderError() + "; write .html instead";
      return module;
    }
    auto abiVersion = reinterpret_cast<PdfAbiVersionFunction>(dlsym(handle, kPdfAbiSymbol));
    auto write = reinterpret_cast<PdfWriteFunction>(dlsym(handle, kPdfWriteSymbol));
    if (abiVersion == nullptr || write == nullptr) {
      module.error = candidate + " is not a reco_pdf module (expected the symbols " +
                     kPdfAbiSymbol + " and " + kPdfWriteSymbol + "); write .html instead";
      return module;
    }
    if (const int found = abiVersion(); found != kPdfModuleAbiVersion) {
      module.error = candidate + " was built for module ABI " + std::to_string(found) +
                     ", this program expects " + std::to_string(kPdfModuleAbiVersion) +
                     " (rebuild reco_pdf with the same sources and compiler); write .html instead";
      return module;
    }
    module.write = write;
    return module;
  }
  module.error = std::string("PDF output needs ") + kPdfModuleFileName +
                 ", built with the workbench (Qt); not found in " +
                 (tried.empty() ? std::string("any folder") : tried) + ": write .html instead";
  return module;
}

}  // namespace

namespace detail {

std::vector<std::string> pdfModuleCandidates() {
  return moduleCandidates("RECO_PDF_MODULE", kPdfModuleFileName, RECO_PDF_MODULE_DIR);
}

}  // namespace detail

PdfWriteResult writePdfThroughModule(const Document& document, const std::filesystem::path& path,
                                     PaperSize paper, std::stop_token stop) {
  static LoadedModule module;
  static std::once_flag once;
  std::call_once(once, [] { module = loadModule(); });
  if (module.write == nullptr) throw Error(ErrorKind::Config, module.error);
  PdfWriteResult result;
  int errorKind = 0;
  std::string error;
  const std::string file = path.string();
  if (module.write(&document, file.c_str(), static_cast<int>(paper), &stop, &result, &errorKind,
                   &error) != 0) {
    throw Error(static_cast<ErrorKind>(errorKind), error);
  }
  return result;
}

}  // namespace reco::report
