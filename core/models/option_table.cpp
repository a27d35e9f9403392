#include "core/models/option_table.h"

#include "core/common/error.h"
#include "core/common/number_text.h"

namespace reco {

std::string optionNumberText(double value) {
  // %g's 6 digits first: the defaults have always been written that way ("0.0005", where
  // the shortest exact text would be "5e-04"), and forms, stored runs and `--help` show them.
  const std::string general = formatSignificant(value, 6);
  const auto back = parseNumber(general);
  if (back && *back == value) return general;
  return formatNumber(value);
}

namespace detail {

void checkIntegerBounds(const OptionSpec& spec, double lowest, double highest) {
  RECO_CHECK(spec.min && spec.max && *spec.min >= lowest && *spec.max <= highest,
             ErrorKind::Internal,
             "integer option '" + spec.name + "' needs both bounds, inside its member's type");
}

void checkNewKey(const std::vector<std::string>& taken, const std::string& name) {
  for (const auto& key : taken) {
    RECO_CHECK(key != name, ErrorKind::Internal,
               "option '" + name + "' is declared twice in one table");
  }
}

void throwOptionProblem(const std::string& problem) {
  if (!problem.empty()) throw Error(ErrorKind::Config, problem);
}

}  // namespace detail
}  // namespace reco
