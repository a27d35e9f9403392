#include "app/cli/args.h"

#include <charconv>
#include <cstdlib>
#include <sstream>

#include "core/common/error.h"
#include "core/common/number_text.h"

namespace reco::cli {

Args::Args(const std::vector<std::string>& argv, const std::set<std::string>& valueOptions,
           const std::set<std::string>& flags, std::size_t maxPositionals) {
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (arg.size() > 2 && arg.rfind("--", 0) == 0) {
      std::string name = arg.substr(2);
      std::optional<std::string> inlineValue;
      if (const auto eq = name.find('='); eq != std::string::npos) {
        inlineValue = name.substr(eq + 1);
        name = name.substr(0, eq);
      }
      if (flags.count(name)) {
        if (inlineValue) throw Error(ErrorKind::Usage, "option --" + name + " takes no value");
        values_[name].push_back("");
      } else if (valueOptions.count(name)) {
        if (inlineValue) {
          values_[name].push_back(*inlineValue);
        } else {
          if (i + 1 >= argv.size())
            throw Error(ErrorKind::Usage,
                        "option --" + name + " expects a value, found the end of the command line");
          values_[name].push_back(argv[++i]);
        }
      } else {
        throw Error(ErrorKind::Usage, "unknown option --" + name + " (see --help)");
      }
    } else if (arg.size() == 2 && arg[0] == '-' && arg[1] != '-' &&
               valueOptions.count(std::string(1, arg[1]))) {
      const std::string name(1, arg[1]);
      if (i + 1 >= argv.size())
        throw Error(ErrorKind::Usage, "option -" + name + " expects a value");
      values_[name].push_back(argv[++i]);
    } else if (arg.size() > 1 && arg[0] == '-' && arg != "-") {
      throw Error(ErrorKind::Usage, "unknown option " + arg + " (see --help)");
    } else {
      if (positionals_.size() >= maxPositionals)
        throw Error(ErrorKind::Usage, "unexpected argument '" + arg + "' (see --help)");
      positionals_.push_back(arg);
    }
  }
}

bool Args::has(const std::string& name) const {
  return values_.count(name) > 0;
}

std::optional<std::string> Args::value(const std::string& name) const {
  const auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> Args::values(const std::string& name) const {
  const auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

std::string Args::require(const std::string& name) const {
  auto v = value(name);
  if (!v) throw Error(ErrorKind::Usage, "missing required option --" + name + " (see --help)");
  return *v;
}

std::string Args::valueOr(const std::string& name, const std::string& fallback) const {
  return value(name).value_or(fallback);
}

std::optional<long long> Args::integer(const std::string& name) const {
  auto v = value(name);
  if (!v) return std::nullopt;
  long long out = 0;
  const auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || ptr != v->data() + v->size() || v->empty())
    throw Error(ErrorKind::Usage, "option --" + name + " expects an integer, found '" + *v + "'");
  return out;
}

std::optional<double> Args::number(const std::string& name) const {
  auto v = value(name);
  if (!v) return std::nullopt;
  const auto out = parseNumber(*v);
  if (!out)
    throw Error(ErrorKind::Usage,
                "option --" + name + " expects a finite number, found '" + *v + "'");
  return *out;
}

std::optional<long long> Args::integerAtLeast(const std::string& name, long long min) const {
  const auto out = integer(name);
  if (out && *out < min)
    throw Error(ErrorKind::Usage, "option --" + name + " expects a whole number >= " +
                                      std::to_string(min) + ", found '" + *value(name) + "'");
  return out;
}

std::optional<std::string> Args::nonEmpty(const std::string& name) const {
  auto out = value(name);
  if (out && out->empty())
    throw Error(ErrorKind::Usage, "option --" + name + " expects a non-empty text, found ''");
  return out;
}

std::vector<std::string> commaList(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ','))
    if (!item.empty()) out.push_back(item);
  return out;
}

}  // namespace reco::cli
