#pragma once
/// Option metadata of the models. Every model has a plain options struct with defaults and
/// `validate()`; the registry describes its fields with OptionSpec, from which the GUI builds
/// its forms and the CLI parses `--set key=value`. A model declares both once, in an option
/// table (option_table.h), from which its specs, reading and checks are derived. Values
/// travel as text (what a user typed, what a run stores), and OptionReader turns them into
/// typed values, failing loudly with ErrorKind::Config on unknown keys, bad text and values
/// out of range (no silent fix-ups).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace reco {

enum class OptionType { Int, Double, Bool, Choice, String };

/// "int", "double", "bool", "choice", "string".
const char* optionTypeName(OptionType type);

/// One field of a model's options.
struct OptionSpec {
  std::string name;  ///< the key: "factors", "learning_rate" (snake_case, as on the CLI)
  OptionType type = OptionType::Int;
  std::string defaultValue;   ///< as text: "64", "0.01", "true", "cosine"
  std::optional<double> min;  ///< inclusive bounds for Int and Double; unset means unbounded
  std::optional<double> max;
  std::vector<std::string> choices;  ///< the allowed values of a Choice
  std::string help;                  ///< one line for tooltips and `reco train --help`
};

/// Option values as text by key (`--set factors=64`). Keys not given take the default.
using OptionValues = std::map<std::string, std::string, std::less<>>;

/// Parses "a=1,b=2" or several "a=1" items into values; throws Config on an item without '='.
OptionValues parseOptionValues(const std::vector<std::string>& items);

/// Checks a value's text against its spec; returns an empty string when valid, otherwise the
/// reason ("expected an integer in [1, 1024], found '0'").
std::string checkOptionValue(const OptionSpec& spec, std::string_view text);

/// Typed access to option values under their specs. The constructor throws Config when a
/// key is unknown (naming the known keys) or a value does not pass checkOptionValue, so a
/// model's fromValues() only reads. Specs must outlive the reader.
class OptionReader {
 public:
  OptionReader(const std::vector<OptionSpec>& specs, const OptionValues& values);

  std::int64_t getInt(std::string_view name) const;
  double getDouble(std::string_view name) const;
  bool getBool(std::string_view name) const;
  /// A Choice or String value.
  std::string getString(std::string_view name) const;

  /// Every option with its effective value (given or default), for storing with a run.
  OptionValues effectiveValues() const;

 private:
  const OptionSpec& spec(std::string_view name, OptionType expected) const;
  const std::string& text(const OptionSpec& spec) const;

  const std::vector<OptionSpec>& specs_;
  OptionValues values_;
};

}  // namespace reco
