#include "core/common/csv_text.h"

#include "core/common/utf8.h"

namespace reco {

std::string csvField(std::string_view raw, CsvFormulas formulas) {
  // The file is UTF-8 throughout, whatever an old workspace holds (see utf8.h).
  std::string repaired;
  const std::string_view text = validUtf8(raw, repaired);
  const bool formula = formulas == CsvFormulas::Escape && !text.empty() &&
                       (text.front() == '=' || text.front() == '+' || text.front() == '-' ||
                        text.front() == '@' || text.front() == '\t' || text.front() == '\r');
  const bool quote = formula || text.find_first_of(",\"\r\n") != std::string_view::npos;
  if (!quote) return std::string(text);
  std::string out = "\"";
  if (formula) out += '\'';
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

}  // namespace reco
