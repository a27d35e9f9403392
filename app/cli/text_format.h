#pragma once
/// Formatting for terminal output: thousands separators, fixed decimals, dates.

#include <cstdint>
#include <optional>
#include <string>

namespace reco::cli {

std::string withThousands(std::int64_t n);      ///< 1234567 -> "1,234,567"
std::string fixed(double value, int decimals);  ///< fixed(0.12345, 3) -> "0.123"
std::string dateOrDash(const std::optional<std::int64_t>& unixSeconds);  ///< "2011-12-09" or "-"

}  // namespace reco::cli
