#pragma once
/// Numbers as text, independent of the C locale. The workbench's Qt side switches the
/// process to the user's locale (LC_ALL from the environment), after which strtod, printf's
/// %f/%g and std::to_string(double) read and write a decimal comma in, say, de_DE. Every
/// number the core writes to a file, the workspace, JSON, a message or a command line, and
/// every number it parses, goes through these functions instead (std::to_chars and
/// std::from_chars, which never consult a locale). The window still *displays* numbers in
/// the user's locale through QLocale.

#include <optional>
#include <string>
#include <string_view>

namespace reco {

/// The shortest text that reads back as exactly `value` ("0.01", "64", "1e-06"); "nan",
/// "inf" and "-inf" for non-finite values.
std::string formatNumber(double value);

/// `value` with exactly `decimals` digits after the point ("0.450" for 3), rounded half to
/// even as printf does.
std::string formatFixed(double value, int decimals);

/// `value` with `significant` significant digits in printf's %g style ("0.0123", "1.2e+06").
std::string formatSignificant(double value, int significant);

/// `value` rounded to `significant` significant digits, as the double that
/// formatSignificant's text reads back as (0.0206105 -> 0.0206 for 3). Non-finite values
/// are returned as they are.
double roundToSignificant(double value, int significant);

/// A whole decimal number: optional sign, digits, an optional fraction and exponent
/// ("0.25", "-1e-3", "+2"). Nothing before or after it, no hex, no "nan" or "inf", and a
/// result that is finite; anything else is nullopt. Always reads '.' as the decimal point.
std::optional<double> parseNumber(std::string_view text);

}  // namespace reco
