#pragma once
/// One field of a CSV file the workbench writes for people to open (exports, `compare
/// --csv`, the window's table exports). Quoted per RFC 4180 where needed, and, unless the
/// caller asks for raw text, guarded against formula injection as OWASP advises: a text
/// field that begins with '=', '+', '-', '@', a tab or a carriage return gets a leading
/// apostrophe and is quoted, so a spreadsheet shows it as text instead of running it.
/// Numbers the workbench formats itself are not passed through here.

#include <string>
#include <string_view>

namespace reco {

enum class CsvFormulas {
  Escape,  ///< prefix a formula-like field with '\'' (the default of every export)
  Raw,     ///< write the text as it is (`--raw`)
};

/// The field as it goes between commas: "plain", "\"a, b\"", "\"'=SUM(A1)\"".
std::string csvField(std::string_view text, CsvFormulas formulas = CsvFormulas::Escape);

}  // namespace reco
