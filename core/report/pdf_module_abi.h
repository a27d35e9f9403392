#pragma once
/// The binary contract between the loader (pdf_module.cpp, in reco_core) and the reco_pdf
/// module (ui/report/pdf_module_entry.cpp), and the loader's internals that tests call.
/// Callers use pdf_module.h only.
///
/// The module exports two C functions:
///   int reco_pdf_abi_version(void);   -> must equal kPdfModuleAbiVersion
///   int reco_pdf_write(const Document*, const char* path, int paper, const std::stop_token*,
///                      PdfWriteResult*, int* errorKind, std::string* error);  -> 0 on success
/// The document crosses the boundary as a C++ object, so the module must come from the same
/// build (compiler, standard library, sources): the version folds in the sizes of the shared
/// types, and kPdfModuleAbiRevision is raised on any other change to them.

#include <stop_token>
#include <string>
#include <vector>

#include "core/report/document.h"
#include "core/report/pdf_module.h"

namespace reco::report {

inline constexpr int kPdfModuleAbiRevision = 1;

inline constexpr int kPdfModuleAbiVersion =
    kPdfModuleAbiRevision * 100000 +
    int((sizeof(Document) * 7 + sizeof(Section) * 11 + sizeof(Table) * 13 + sizeof(TableCell) * 17 +
         sizeof(Block) * 19 + sizeof(Drawing) * 23 + sizeof(Shape) * 29 + sizeof(TextShape) * 31 +
         sizeof(PdfWriteResult) * 37 + sizeof(std::stop_token) * 41 + sizeof(std::string) * 43) %
        100000);

inline constexpr const char* kPdfModuleFileName = "libreco_pdf.so";
inline constexpr const char* kPdfAbiSymbol = "reco_pdf_abi_version";
inline constexpr const char* kPdfWriteSymbol = "reco_pdf_write";

using PdfAbiVersionFunction = int (*)();
/// Returns 0 on success (result filled); otherwise the error's kind (reco::ErrorKind as an
/// int) in *errorKind and its message in *error. Never throws across the boundary.
using PdfWriteFunction = int (*)(const Document*, const char*, int, const std::stop_token*,
                                 PdfWriteResult*, int*, std::string*);

namespace detail {

/// The files writePdfThroughModule tries, in order: only $RECO_PDF_MODULE when it is set and
/// not empty; otherwise libreco_pdf.so in the executable's folder, in its ../lib, and in
/// RECO_PDF_MODULE_DIR (the build's library folder), without duplicates.
std::vector<std::string> pdfModuleCandidates();

}  // namespace detail
}  // namespace reco::report
