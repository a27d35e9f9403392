#include "core/rerank/rerank_options.h"

#include <cmath>

#include "core/common/error.h"
#include "core/common/number_text.h"

namespace reco {

namespace {

const char* const kMethods[] = {"none", "mmr", "calibration", "popularity"};
const char* const kSimilarities[] = {"category", "embedding"};

[[noreturn]] void bad(std::string_view key, std::string_view expected, std::string_view found) {
  throw Error(ErrorKind::Config, "re-rank setting '" + std::string(key) + "': expected " +
                                     std::string(expected) + ", found '" + std::string(found) +
                                     "'");
}

double number(std::string_view key, std::string_view text, std::string_view expected) {
  const auto value = parseNumber(text);
  if (!value) bad(key, expected, text);
  return *value;
}

int integer(std::string_view key, std::string_view text, std::string_view expected) {
  const double value = number(key, text, expected);
  if (value != std::floor(value) || std::abs(value) > 1e9) bad(key, expected, text);
  return int(value);
}

std::vector<std::string> splitList(std::string_view text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(';', start);
    if (end == std::string_view::npos) end = text.size();
    if (end > start) parts.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

std::string joinList(const std::vector<std::string>& parts) {
  std::string text;
  for (const auto& part : parts) text += (text.empty() ? "" : ";") + part;
  return text;
}

AttributeMatch attributeMatch(std::string_view key, std::string_view text) {
  const std::size_t eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0)
    bad(key, "an attribute test key=value (in_stock=0)", text);
  return {std::string(text.substr(0, eq)), std::string(text.substr(eq + 1))};
}

/// "NAME:FACTOR" -> NAME and the factor (> 0); the last ':' separates them.
std::pair<std::string, double> boostOf(std::string_view key, std::string_view text) {
  const std::size_t colon = text.rfind(':');
  const std::string_view expected = "NAME:FACTOR with a factor > 0 (Books:1.5)";
  if (colon == std::string_view::npos || colon == 0) bad(key, expected, text);
  const auto factor = parseNumber(text.substr(colon + 1));
  if (!factor || *factor <= 0) bad(key, expected, text);
  return {std::string(text.substr(0, colon)), *factor};
}

void checkRange(std::string_view field, double value, double low, double high) {
  if (!(value >= low && value <= high))
    throw Error(ErrorKind::Config, "re-rank setting '" + std::string(field) +
                                       "': expected a number in [" + formatNumber(low) + ", " +
                                       formatNumber(high) + "], found " + formatNumber(value));
}

}  // namespace

const char* rerankMethodName(RerankMethod method) {
  return kMethods[int(method)];
}
const char* rerankSimilarityName(RerankSimilarity by) {
  return kSimilarities[int(by)];
}

void RerankOptions::validate() const {
  checkRange("lambda", lambda, 0, 1);
  checkRange("beta", beta, 0, 1e6);
  RECO_CHECK(depth >= 1, ErrorKind::Config,
             "re-rank setting 'depth': expected an integer >= 1, found " + std::to_string(depth));
  RECO_CHECK(candidates >= depth, ErrorKind::Config,
             "re-rank setting 'candidates': expected an integer >= depth (" +
                 std::to_string(depth) + "), found " + std::to_string(candidates));
  RECO_CHECK(capPerCategory >= 0, ErrorKind::Config,
             "re-rank setting 'cap': expected an integer >= 0 (0: no cap), found " +
                 std::to_string(capPerCategory));
  RECO_CHECK(fallback.empty() || fallback == "popular", ErrorKind::Config,
             "re-rank setting 'fallback': expected 'popular' or nothing, found '" + fallback + "'");
  for (const auto& b : categoryBoosts)
    RECO_CHECK(b.factor > 0 && std::isfinite(b.factor), ErrorKind::Config,
               "re-rank setting 'boost_category': expected a factor > 0 for '" + b.category +
                   "', found " + formatNumber(b.factor));
  for (const auto& b : attributeBoosts)
    RECO_CHECK(b.factor > 0 && std::isfinite(b.factor), ErrorKind::Config,
               "re-rank setting 'boost_attribute': expected a factor > 0 for '" + b.match.key +
                   "=" + b.match.value + "', found " + formatNumber(b.factor));
}

RerankOptions RerankOptions::fromSettings(const OptionValues& settings) {
  RerankOptions o;
  for (const auto& [key, text] : settings) {
    if (key == "method") {
      bool known = false;
      for (int m = 0; m < 4; ++m)
        if (text == kMethods[m]) o.method = RerankMethod(m), known = true;
      if (!known) bad(key, "one of none, mmr, calibration, popularity", text);
    } else if (key == "lambda") {
      o.lambda = number(key, text, "a number in [0, 1]");
      if (o.lambda < 0 || o.lambda > 1) bad(key, "a number in [0, 1]", text);
    } else if (key == "by") {
      if (text == "category")
        o.by = RerankSimilarity::Category;
      else if (text == "embedding")
        o.by = RerankSimilarity::Embedding;
      else
        bad(key, "category or embedding", text);
    } else if (key == "beta") {
      o.beta = number(key, text, "a number >= 0");
      if (o.beta < 0) bad(key, "a number >= 0", text);
    } else if (key == "depth") {
      o.depth = integer(key, text, "an integer >= 1");
      if (o.depth < 1) bad(key, "an integer >= 1", text);
    } else if (key == "candidates") {
      o.candidates = integer(key, text, "an integer >= depth");
    } else if (key == "cap") {
      o.capPerCategory = integer(key, text, "an integer >= 0 (0: no cap)");
      if (o.capPerCategory < 0) bad(key, "an integer >= 0 (0: no cap)", text);
    } else if (key == "fallback") {
      if (!text.empty() && text != "popular" && text != "none") bad(key, "popular or none", text);
      o.fallback = text == "popular" ? "popular" : "";
    } else if (key == "exclude_items") {
      o.excludeItems = splitList(text);
    } else if (key == "exclude_attribute") {
      for (const auto& part : splitList(text))
        o.excludeAttributes.push_back(attributeMatch(key, part));
    } else if (key == "exclude_category") {
      o.excludeCategories = splitList(text);
    } else if (key == "boost_category") {
      for (const auto& part : splitList(text)) {
        auto [name, factor] = boostOf(key, part);
        o.categoryBoosts.push_back({name, factor});
      }
    } else if (key == "boost_attribute") {
      for (const auto& part : splitList(text)) {
        auto [name, factor] = boostOf(key, part);
        o.attributeBoosts.push_back({attributeMatch(key, name), factor});
      }
    } else {
      std::string known;
      for (const auto& spec : rerankOptionSpecs()) known += (known.empty() ? "" : ", ") + spec.name;
      bad(key, "a known re-rank setting (" + known + ")", key);
    }
  }
  o.validate();
  return o;
}

OptionValues RerankOptions::settings() const {
  OptionValues s;
  s["method"] = rerankMethodName(method);
  s["lambda"] = formatNumber(lambda);
  s["by"] = rerankSimilarityName(by);
  s["beta"] = formatNumber(beta);
  s["depth"] = std::to_string(depth);
  s["candidates"] = std::to_string(candidates);
  s["cap"] = std::to_string(capPerCategory);
  s["fallback"] = fallback.empty() ? "none" : fallback;
  if (!excludeItems.empty()) s["exclude_items"] = joinList(excludeItems);
  if (!excludeCategories.empty()) s["exclude_category"] = joinList(excludeCategories);
  std::vector<std::string> parts;
  for (const auto& a : excludeAttributes) parts.push_back(a.key + "=" + a.value);
  if (!parts.empty()) s["exclude_attribute"] = joinList(parts);
  parts.clear();
  for (const auto& b : categoryBoosts) parts.push_back(b.category + ":" + formatNumber(b.factor));
  if (!parts.empty()) s["boost_category"] = joinList(parts);
  parts.clear();
  for (const auto& b : attributeBoosts)
    parts.push_back(b.match.key + "=" + b.match.value + ":" + formatNumber(b.factor));
  if (!parts.empty()) s["boost_attribute"] = joinList(parts);
  return s;
}

std::string RerankOptions::settingsText() const {
  std::string text;
  for (const auto& [key, value] : settings()) text += (text.empty() ? "" : ",") + key + "=" + value;
  return text;
}

bool RerankOptions::hasRules() const {
  return !excludeItems.empty() || !excludeAttributes.empty() || !excludeCategories.empty() ||
         !categoryBoosts.empty() || !attributeBoosts.empty() || capPerCategory > 0;
}

std::string RerankOptions::label() const {
  std::string text;
  switch (method) {
    case RerankMethod::Mmr:
      // No comma: run names made of labels go into `reco compare --runs A,B`.
      text = "mmr(λ=" + formatNumber(lambda) +
             (by == RerankSimilarity::Category ? ")" : "; by=embedding)");
      break;
    case RerankMethod::Calibration: text = "calibration(λ=" + formatNumber(lambda) + ")"; break;
    case RerankMethod::Popularity: text = "popularity(β=" + formatNumber(beta) + ")"; break;
    case RerankMethod::None: break;
  }
  if (hasRules()) text += text.empty() ? "rules" : " + rules";
  if (!fallback.empty()) text += text.empty() ? "fallback" : " + fallback";
  return text.empty() ? "none" : text;
}

const std::vector<OptionSpec>& rerankOptionSpecs() {
  static const std::vector<OptionSpec> kSpecs = [] {
    std::vector<OptionSpec> s;
    auto add = [&](std::string name, OptionType type, std::string def, std::optional<double> min,
                   std::optional<double> max, std::vector<std::string> choices, std::string help) {
      s.push_back(
          {std::move(name), type, std::move(def), min, max, std::move(choices), std::move(help)});
    };
    add("method", OptionType::Choice, "none", {}, {}, {"none", "mmr", "calibration", "popularity"},
        "mmr: diversity; calibration: the history's category mix; popularity: novelty");
    add("lambda", OptionType::Double, "0.5", 0.0, 1.0, {},
        "mmr: 1 = plain list, 0 = most diverse; calibration: 0 = plain list, 1 = most calibrated");
    add("by", OptionType::Choice, "category", {}, {}, {"category", "embedding"},
        "mmr's similarity: same category, or the model's item vectors / item similarities");
    add("beta", OptionType::Double, "0.5", 0.0, {}, {},
        "popularity: relevance - beta * log(1+pop)/log(1+max pop)");
    add("depth", OptionType::Int, "50", 1.0, {}, {},
        "items re-ranked per user (>= the evaluation's largest K)");
    add("candidates", OptionType::Int, "200", 1.0, {}, {},
        "pool taken from the base model's top (>= depth)");
    add("cap", OptionType::Int, "0", 0.0, {}, {}, "at most this many items per category (0: none)");
    add("fallback", OptionType::Choice, "none", {}, {}, {"none", "popular"},
        "items the model has no signal for: ranked by popularity below the rest");
    add("exclude_items", OptionType::String, "", {}, {}, {}, "item ids never listed: ID;ID;...");
    add("exclude_attribute", OptionType::String, "", {}, {}, {},
        "items with an attribute never listed: in_stock=0;...");
    add("exclude_category", OptionType::String, "", {}, {}, {},
        "categories never listed: Books;Toys");
    add("boost_category", OptionType::String, "", {}, {}, {},
        "relevance factor per category: Books:1.5;Toys:0.8");
    add("boost_attribute", OptionType::String, "", {}, {}, {},
        "relevance factor per attribute: brand=Acme:1.3");
    return s;
  }();
  return kSpecs;
}

}  // namespace reco
