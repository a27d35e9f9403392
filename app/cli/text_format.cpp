#include "app/cli/text_format.h"

#include <cstdio>

#include "core/io/import_options.h"

namespace reco::cli {

std::string withThousands(std::int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

std::string fixed(double value, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  return buf;
}

std::string dateOrDash(const std::optional<std::int64_t>& unixSeconds) {
  if (!unixSeconds) return "-";
  return io::formatDateTime(*unixSeconds).substr(0, 10);
}

}  // namespace reco::cli
