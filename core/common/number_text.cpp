#include "core/common/number_text.h"

#include <charconv>
#include <cmath>
#include <system_error>

namespace reco {
namespace {

std::string nonFinite(double value) {
  if (std::isnan(value)) return "nan";
  return value < 0 ? "-inf" : "inf";
}

template <class... Format>
std::string toChars(double value, Format... format) {
  if (!std::isfinite(value)) return nonFinite(value);
  // 1e308 in fixed notation needs 309 digits plus the decimals; 400 covers every double
  // with up to 80 decimals, which is more than any caller asks for.
  char buffer[400];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value, format...);
  if (result.ec != std::errc()) return std::to_string(value);  // unreachable in practice
  return std::string(buffer, result.ptr);
}

}  // namespace

std::string formatNumber(double value) {
  return toChars(value);
}

std::string formatFixed(double value, int decimals) {
  return toChars(value, std::chars_format::fixed,
                 decimals < 0 ? 0 : (decimals > 80 ? 80 : decimals));
}

std::string formatSignificant(double value, int significant) {
  return toChars(value, std::chars_format::general,
                 significant < 1 ? 1 : (significant > 17 ? 17 : significant));
}

double roundToSignificant(double value, int significant) {
  if (!std::isfinite(value)) return value;
  return parseNumber(formatSignificant(value, significant)).value_or(value);
}

std::optional<double> parseNumber(std::string_view text) {
  if (text.empty()) return std::nullopt;
  // from_chars takes no leading '+'; a number written as "+2" is still a number.
  if (text.front() == '+') {
    text.remove_prefix(1);
    if (text.empty() || text.front() == '-' || text.front() == '+') return std::nullopt;
  }
  const char first = text.front() == '-' && text.size() > 1 ? text[1] : text.front();
  // from_chars accepts "inf", "nan" and "infinity"; no option or data column means those.
  if (!(first >= '0' && first <= '9') && first != '.') return std::nullopt;
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
    return std::nullopt;
  return value;
}

}  // namespace reco
