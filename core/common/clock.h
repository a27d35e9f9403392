#pragma once
/// Wall-clock time as the workspace stores it.

#include <chrono>
#include <cstdint>

namespace reco {

/// Now, in Unix seconds (UTC).
inline std::int64_t unixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace reco
