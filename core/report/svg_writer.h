#pragma once
/// A Drawing as an inline SVG element (<svg xmlns=... viewBox=...>...</svg>), text escaped,
/// numbers written with number_text.h (never a decimal comma).

#include <string>

#include "core/report/drawing.h"

namespace reco::report {

/// `title` (may be empty) becomes the SVG's <title>, read by screen readers and shown as a
/// tooltip.
std::string renderSvg(const Drawing& drawing, const std::string& title = {});

}  // namespace reco::report
