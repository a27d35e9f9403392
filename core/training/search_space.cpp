#include "core/training/search_space.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "core/common/error.h"
#include "core/common/json.h"
#include "core/common/number_text.h"
#include "core/common/random.h"
#include "core/models/option_table.h"
#include "core/training/tuning.h"

namespace reco {
namespace {

using Kind = SearchDimension::Kind;

// A row of the table of default ranges. model "" applies to any model with the option (the
// generic rows, after the model's own). Choices: the option's own (a Choice's values, or
// true/false for a Bool). Sources: Rendle et al. 2022 (revisiting iALS: factors, lambda,
// alpha on log grids), Dacrema et al. 2019 (kNN: k 5..1000, shrink 0..1000, similarity),
// Steck 2019 (EASE: lambda in the hundreds to thousands), Rendle 2009 / cornac (BPR).
struct DefaultRange {
  const char* model;
  const char* option;
  bool choice;
  double low, high;
  bool log;
};

constexpr DefaultRange kDefaults[] = {
    {"bpr", "factors", false, 16, 256, true},
    {"bpr", "epochs", false, 20, 200, true},
    {"bpr", "learning_rate", false, 1e-3, 0.2, true},
    {"bpr", "regularization", false, 1e-5, 0.1, true},
    {"bpr", "negative_sampling", true, 0, 0, false},
    {"bpr", "item_bias", true, 0, 0, false},
    {"als", "factors", false, 16, 256, true},
    {"als", "iterations", false, 5, 30, false},
    {"als", "regularization", false, 1e-3, 100, true},
    {"als", "alpha", false, 0.1, 100, true},
    {"biasedmf", "factors", false, 8, 256, true},
    {"biasedmf", "epochs", false, 10, 100, true},
    {"biasedmf", "learning_rate", false, 1e-3, 0.1, true},
    {"biasedmf", "regularization", false, 1e-4, 1, true},
    {"puresvd", "factors", false, 8, 512, true},
    {"ease", "lambda", false, 1, 10000, true},
    {"itemknn", "k", false, 5, 1000, true},
    {"itemknn", "similarity", true, 0, 0, false},
    {"itemknn", "shrink", false, 0, 100, false},
    {"userknn", "k", false, 5, 1000, true},
    {"userknn", "similarity", true, 0, 0, false},
    {"userknn", "shrink", false, 0, 100, false},
    {"popcontent", "popularity", false, 0, 2, false},
    {"popcontent", "blend", false, 0, 1, false},
    // Models whose ranges are not listed above (the deep ones: Adam's step size and L2
    // penalty, dropout): the usual names. Their epochs stay as set, as they cost the most.
    {"", "factors", false, 16, 256, true},
    {"", "learning_rate", false, 1e-4, 1e-2, true},
    {"", "weight_decay", false, 1e-7, 1e-2, true},
    {"", "regularization", false, 1e-6, 0.1, true},
    {"", "dropout", false, 0, 0.5, false},
};

// Models that are tuned only through rows of their own: a generic row would give pop,
// random or content a dimension they do not have anyway, but a listed model must not pick
// up a generic range it was deliberately left without (bpr's epochs are its own row).
bool hasOwnRows(const std::string& model) {
  return std::any_of(std::begin(kDefaults), std::end(kDefaults),
                     [&](const DefaultRange& row) { return model == row.model; });
}

const OptionSpec* specOf(const ModelInfo& info, const std::string& option) {
  for (const auto& spec : info.options) {
    if (spec.name == option) return &spec;
  }
  return nullptr;
}

std::vector<std::string> choicesOf(const OptionSpec& spec) {
  if (spec.type == OptionType::Bool) return {"true", "false"};
  return spec.choices;
}

// 3 significant digits, correctly rounded: integer times (or over) an exact power of ten.
double roundSignificant(double value) {
  if (value == 0 || !std::isfinite(value)) return value;
  const int exponent = int(std::floor(std::log10(std::fabs(value))));
  const int shift = 2 - exponent;
  if (shift >= 0) {
    const double scale = std::pow(10.0, shift);
    return std::round(value * scale) / scale;
  }
  const double scale = std::pow(10.0, -shift);
  return std::round(value / scale) * scale;
}

std::string modelPrefix(const ModelInfo& info) {
  return "model '" + info.name + "': ";
}

}  // namespace

std::optional<std::uint64_t> SearchSpace::size() const {
  std::uint64_t total = 1;
  for (const auto& d : dimensions) {
    std::uint64_t n = 1;
    if (d.kind == Kind::Choice) n = d.choices.size();
    if (d.kind == Kind::Int) n = std::uint64_t(std::llround(d.high) - std::llround(d.low) + 1);
    if (d.kind == Kind::Real && d.high > d.low) return std::nullopt;
    if (n != 0 && total > (std::uint64_t(1) << 62) / n) return std::nullopt;  // as good as infinite
    total *= n;
  }
  return total;
}

SearchSpace defaultSearchSpace(const ModelInfo& info, const OptionValues& fixed) {
  SearchSpace space;
  const bool own = hasOwnRows(info.name);
  for (const auto& row : kDefaults) {
    if (own ? info.name != row.model : row.model[0] != '\0') continue;
    const OptionSpec* spec = specOf(info, row.option);
    if (!spec || fixed.contains(row.option)) continue;
    SearchDimension d;
    d.option = row.option;
    if (row.choice) {
      d.choices = choicesOf(*spec);
      if (d.choices.size() < 2) continue;
    } else {
      if (spec->type != OptionType::Int && spec->type != OptionType::Double) continue;
      d.kind = spec->type == OptionType::Int ? Kind::Int : Kind::Real;
      d.low = std::max(row.low, spec->min.value_or(row.low));
      d.high = std::min(row.high, spec->max.value_or(row.high));
      d.log = row.log;
      if (d.low > d.high || (d.log && d.low <= 0)) continue;
    }
    space.dimensions.push_back(std::move(d));
  }
  return space;
}

void applyAxes(SearchSpace& space, const ModelInfo& info, const OptionValues& fixed,
               const std::vector<TuningAxis>& axes) {
  std::set<std::string> seen;
  for (const auto& axis : axes) {
    const OptionSpec* spec = specOf(info, axis.option);
    if (!spec) {
      std::string known;
      for (const auto& s : info.options) known += (known.empty() ? "" : ", ") + s.name;
      throw Error(ErrorKind::Config, modelPrefix(info) + "unknown option '" + axis.option +
                                         "'; expected one of: " + known);
    }
    RECO_CHECK(!fixed.contains(axis.option), ErrorKind::Config,
               modelPrefix(info) + "option '" + axis.option +
                   "' is both fixed (--set) and tuned (--grid)");
    RECO_CHECK(seen.insert(axis.option).second, ErrorKind::Config,
               modelPrefix(info) + "option '" + axis.option +
                   "' is tuned twice (--grid): expected its values once, as " + axis.option +
                   "=v1,v2,...");
    RECO_CHECK(!axis.values.empty(), ErrorKind::Config,
               modelPrefix(info) + "option '" + axis.option + "' has no values to try");
    for (const auto& value : axis.values) {
      const std::string problem = checkOptionValue(*spec, value);
      RECO_CHECK(problem.empty(), ErrorKind::Config,
                 modelPrefix(info) + "option '" + axis.option + "': " + problem);
    }
    SearchDimension d;
    d.option = axis.option;
    d.choices = axis.values;
    auto at = std::find_if(space.dimensions.begin(), space.dimensions.end(),
                           [&](const SearchDimension& e) { return e.option == axis.option; });
    if (at != space.dimensions.end())
      *at = std::move(d);
    else
      space.dimensions.push_back(std::move(d));
  }
}

void checkSearchSpace(const SearchSpace& space, const ModelInfo& info) {
  std::set<std::string> seen;
  for (const auto& d : space.dimensions) {
    const OptionSpec* spec = specOf(info, d.option);
    RECO_CHECK(spec != nullptr, ErrorKind::Config,
               modelPrefix(info) + "no option '" + d.option + "' to search");
    RECO_CHECK(seen.insert(d.option).second, ErrorKind::Config,
               modelPrefix(info) + "option '" + d.option + "' is searched twice");
    const std::string where = modelPrefix(info) + "option '" + d.option + "': ";
    if (d.kind == Kind::Choice) {
      RECO_CHECK(!d.choices.empty(), ErrorKind::Config, where + "no values to try");
      for (const auto& value : d.choices) {
        const std::string problem = checkOptionValue(*spec, value);
        RECO_CHECK(problem.empty(), ErrorKind::Config, where + problem);
      }
      continue;
    }
    const bool numeric = spec->type == (d.kind == Kind::Int ? OptionType::Int : OptionType::Double);
    RECO_CHECK(numeric, ErrorKind::Config,
               where + "a range needs a numeric option, found a " + optionTypeName(spec->type));
    RECO_CHECK(d.low <= d.high && std::isfinite(d.low) && std::isfinite(d.high), ErrorKind::Config,
               where + "expected a range low <= high, found " + formatNumber(d.low) + ".." +
                   formatNumber(d.high));
    RECO_CHECK(!d.log || d.low > 0, ErrorKind::Config,
               where + "a log range needs low > 0, found " + formatNumber(d.low));
    for (double bound : {d.low, d.high}) {
      const std::string problem = checkOptionValue(*spec, dimensionText(d, bound));
      RECO_CHECK(problem.empty(), ErrorKind::Config, where + problem);
    }
  }
}

std::string dimensionText(const SearchDimension& d, double value) {
  value = std::clamp(value, d.low, d.high);
  if (d.kind == Kind::Int) return std::to_string(std::llround(value));
  const double rounded = roundSignificant(value);
  // Rounding may step past a bound (0.2 of [0.01, 0.199]): the bound itself then.
  if (rounded > d.high) return optionNumberText(d.high);
  if (rounded < d.low) return optionNumberText(d.low);
  return optionNumberText(rounded);
}

std::string drawValue(const SearchDimension& d, Random& random) {
  if (d.kind == Kind::Choice) return d.choices[random.below(d.choices.size())];
  const double u = random.uniform();
  if (d.log) return dimensionText(d, std::exp(std::log(d.low) + u * std::log(d.high / d.low)));
  if (d.kind == Kind::Int)  // each integer equally likely, the bounds included
    return dimensionText(d, std::floor(d.low + u * (d.high - d.low + 1)));
  return dimensionText(d, d.low + u * (d.high - d.low));
}

std::string pointText(const OptionValues& point) {
  std::string text;
  for (const auto& [key, value] : point) text += (text.empty() ? "" : " ") + key + "=" + value;
  return text;
}

std::optional<OptionValues> drawUntried(const SearchSpace& space, Random& random,
                                        std::set<std::string>& seen) {
  const auto size = space.size();
  if (size && seen.size() >= *size) return std::nullopt;
  OptionValues point;
  for (int attempt = 0; attempt < 64; ++attempt) {
    point.clear();
    for (const auto& d : space.dimensions) point[d.option] = drawValue(d, random);
    if (seen.insert(pointText(point)).second) return point;
  }
  return point;
}

std::vector<std::string> gridValues(const SearchDimension& d, int count) {
  if (d.kind == Kind::Choice) return d.choices;
  std::vector<std::string> out;
  for (int i = 0; i < count; ++i) {
    const double t = count == 1 ? 0.5 : double(i) / double(count - 1);
    const double value = d.log ? std::exp(std::log(d.low) + t * std::log(d.high / d.low))
                               : d.low + t * (d.high - d.low);
    std::string text = dimensionText(d, value);
    if (std::find(out.begin(), out.end(), text) == out.end()) out.push_back(std::move(text));
  }
  return out;
}

std::string searchSpaceJson(const SearchSpace& space) {
  JsonWriter json;
  json.beginArray();
  for (const auto& d : space.dimensions) {
    json.beginObject().field("option", d.option);
    if (d.kind == Kind::Choice) {
      json.field("kind", "choice").key("choices").beginArray();
      for (const auto& choice : d.choices) json.value(choice);
      json.endArray();
    } else {
      json.field("kind", d.kind == Kind::Int ? "int" : "real")
          .field("low", d.low)
          .field("high", d.high)
          .field("log", d.log);
    }
    json.endObject();
  }
  return json.endArray().str();
}

}  // namespace reco
