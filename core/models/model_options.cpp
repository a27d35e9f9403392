#include "core/models/model_options.h"

#include <charconv>
#include <cmath>

#include "core/common/error.h"
#include "core/common/number_text.h"

namespace reco {
namespace {

std::optional<std::int64_t> parseInt(std::string_view text) {
  std::int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

std::optional<bool> parseBool(std::string_view text) {
  if (text == "true" || text == "1" || text == "yes" || text == "on") return true;
  if (text == "false" || text == "0" || text == "no" || text == "off") return false;
  return std::nullopt;
}

std::string describeRange(const OptionSpec& spec) {
  if (!spec.min && !spec.max) return "";
  return " in [" + (spec.min ? formatNumber(*spec.min) : std::string("-inf")) + ", " +
         (spec.max ? formatNumber(*spec.max) : std::string("inf")) + "]";
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

}  // namespace

const char* optionTypeName(OptionType type) {
  switch (type) {
    case OptionType::Int: return "int";
    case OptionType::Double: return "double";
    case OptionType::Bool: return "bool";
    case OptionType::Choice: return "choice";
    case OptionType::String: return "string";
  }
  return "?";
}

OptionValues parseOptionValues(const std::vector<std::string>& items) {
  OptionValues values;
  for (const auto& item : items) {
    std::size_t start = 0;
    while (start <= item.size()) {
      std::size_t comma = item.find(',', start);
      if (comma == std::string::npos) comma = item.size();
      const std::string part = item.substr(start, comma - start);
      start = comma + 1;
      if (part.empty()) continue;
      const std::size_t eq = part.find('=');
      RECO_CHECK(eq != std::string::npos && eq > 0, ErrorKind::Config,
                 "expected key=value, found '" + part + "'");
      values[part.substr(0, eq)] = part.substr(eq + 1);
    }
  }
  return values;
}

std::string checkOptionValue(const OptionSpec& spec, std::string_view text) {
  const std::string found = "found '" + std::string(text) + "'";
  auto inRange = [&](double value) {
    return (!spec.min || value >= *spec.min) && (!spec.max || value <= *spec.max);
  };
  switch (spec.type) {
    case OptionType::Int: {
      auto value = parseInt(text);
      if (!value || !inRange(double(*value))) {
        return "expected an integer" + describeRange(spec) + ", " + found;
      }
      return "";
    }
    case OptionType::Double: {
      auto value = parseNumber(text);
      if (!value || !inRange(*value))
        return "expected a number" + describeRange(spec) + ", " + found;
      return "";
    }
    case OptionType::Bool: return parseBool(text) ? "" : "expected true or false, " + found;
    case OptionType::Choice:
      for (const auto& choice : spec.choices) {
        if (choice == text) return "";
      }
      return "expected one of " + joined(spec.choices) + ", " + found;
    case OptionType::String: return "";
  }
  return "unknown option type";
}

OptionReader::OptionReader(const std::vector<OptionSpec>& specs, const OptionValues& values)
    : specs_(specs), values_(values) {
  std::vector<std::string> known;
  for (const auto& spec : specs_) known.push_back(spec.name);
  for (const auto& [key, value] : values_) {
    const OptionSpec* match = nullptr;
    for (const auto& spec : specs_) {
      if (spec.name == key) match = &spec;
    }
    RECO_CHECK(match != nullptr, ErrorKind::Config,
               "unknown option '" + key + "'; expected one of: " +
                   (known.empty() ? std::string("(none)") : joined(known)));
    const std::string problem = checkOptionValue(*match, value);
    RECO_CHECK(problem.empty(), ErrorKind::Config, "option '" + key + "': " + problem);
  }
}

const OptionSpec& OptionReader::spec(std::string_view name, OptionType expected) const {
  for (const auto& spec : specs_) {
    if (spec.name == name) {
      const bool compatible = spec.type == expected ||
                              (expected == OptionType::String && spec.type == OptionType::Choice);
      RECO_CHECK(compatible, ErrorKind::Internal,
                 "option '" + spec.name + "' is a " + optionTypeName(spec.type) + ", read as a " +
                     optionTypeName(expected));
      return spec;
    }
  }
  detail::failCheck(ErrorKind::Internal, "known option",
                    "no option named '" + std::string(name) + "'", __FILE__, __LINE__);
}

const std::string& OptionReader::text(const OptionSpec& spec) const {
  auto it = values_.find(spec.name);
  return it != values_.end() ? it->second : spec.defaultValue;
}

std::int64_t OptionReader::getInt(std::string_view name) const {
  const OptionSpec& s = spec(name, OptionType::Int);
  auto value = parseInt(text(s));
  RECO_CHECK(value.has_value(), ErrorKind::Internal, "bad default of option '" + s.name + "'");
  return *value;
}

double OptionReader::getDouble(std::string_view name) const {
  const OptionSpec& s = spec(name, OptionType::Double);
  auto value = parseNumber(text(s));
  RECO_CHECK(value.has_value(), ErrorKind::Internal, "bad default of option '" + s.name + "'");
  return *value;
}

bool OptionReader::getBool(std::string_view name) const {
  const OptionSpec& s = spec(name, OptionType::Bool);
  auto value = parseBool(text(s));
  RECO_CHECK(value.has_value(), ErrorKind::Internal, "bad default of option '" + s.name + "'");
  return *value;
}

std::string OptionReader::getString(std::string_view name) const {
  return text(spec(name, OptionType::String));
}

OptionValues OptionReader::effectiveValues() const {
  OptionValues out;
  for (const auto& spec : specs_) out[spec.name] = text(spec);
  return out;
}

}  // namespace reco
