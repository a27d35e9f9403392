#pragma once
/// The report as one self-contained HTML file: inline CSS (with print rules: A4/Letter margins,
/// no page break inside a table row or figure), every figure as inline SVG (svg_writer.h), no
/// script, no external reference of any kind (no http, no file, no font), so it opens offline
/// in any browser and prints well. Output is well-formed: every element is closed, every
/// text and attribute escaped, so an XML parser reads it too.

#include <string>

#include "core/report/document.h"

namespace reco::report {

std::string renderHtml(const Document& document);

/// Escapes &, <, >, " and ' for text and attribute values.
std::string escapeHtml(const std::string& text);

}  // namespace reco::report
