#pragma once
/// Command-line arguments of one `reco` command: `--name value`, `--name=value`, boolean
/// flags, repeated options and positionals. Unknown options are usage errors (exit 2).

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace reco::cli {

class Args {
 public:
  /// valueOptions take a value ("--k 10"); flags take none ("--json"). Names without "--".
  /// Throws Error(Usage) for an unknown option, a missing value or a stray positional
  /// beyond maxPositionals.
  Args(const std::vector<std::string>& argv, const std::set<std::string>& valueOptions,
       const std::set<std::string>& flags, std::size_t maxPositionals = 0);

  bool has(const std::string& name) const;
  bool flag(const std::string& name) const { return has(name); }
  std::optional<std::string> value(const std::string& name) const;  ///< the last one given
  std::vector<std::string> values(const std::string& name) const;   ///< every one given
  std::string require(const std::string& name) const;               ///< throws Error(Usage)
  std::string valueOr(const std::string& name, const std::string& fallback) const;
  /// Integer / number values, checked: throws Error(Usage) naming the option and the text.
  std::optional<long long> integer(const std::string& name) const;
  std::optional<double> number(const std::string& name) const;
  /// An integer value that must be at least `min` (a seed >= 0, a count >= 1); throws
  /// Error(Usage) naming the option, the bound and the text otherwise.
  std::optional<long long> integerAtLeast(const std::string& name, long long min) const;
  /// A text value that must not be empty (a run or split name); throws Error(Usage).
  std::optional<std::string> nonEmpty(const std::string& name) const;
  const std::vector<std::string>& positionals() const { return positionals_; }

 private:
  std::map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> positionals_;
};

/// "a,b,,c" -> {"a", "b", "c"}: the items of a comma-separated option value, empty ones
/// dropped (--runs, --users, --items).
std::vector<std::string> commaList(const std::string& text);

}  // namespace reco::cli
