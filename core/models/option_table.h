#pragma once
/// The option table: a model declares its options once, as a table of the fields of its
/// options struct (in the spirit of LibTorch's TORCH_ARG). A field names a member and gives
/// its key, bounds or choices and help; the member's initializer in the struct is the
/// default. Everything else follows from the table, so it cannot disagree with it:
///   - specs(): the OptionSpecs of the forms, `--set` and `reco train --help`, each default
///     written from a default-constructed struct;
///   - read(): option values (text) into the struct, checked as OptionReader checks them;
///   - check(): the same bounds and choices on a struct built in code (its validate()).
///
///   const OptionTable<BprOptions>& BprOptions::table() {
///     static const OptionTable<BprOptions> table{
///         optionField("factors", &BprOptions::factors, 1, 1024, "latent dimensions"),
///         choiceField("negative_sampling", &BprOptions::negativeSampling,
///                     {"uniform", "popularity"}, "uniform or by popularity"),
///     };
///     return table;
///   }
///
/// Checks between fields (heads must divide factors) stay in the struct's validate(), after
/// the table's check. withOptionTable (registry.h) turns a table into a model's registration.

#include <functional>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/models/model_options.h"

namespace reco {

/// A number as option text: printf's %g with 6 significant digits when that reads back
/// exactly ("0.0005", "500", "1e-06", as the specs have always written their defaults), else
/// the shortest text that does. Never consults the locale; "nan" and "inf" for non-finite.
std::string optionNumberText(double value);

/// One option: its spec (all but defaultValue, which OptionTable::specs() fills in) and the
/// member it lives in, as two functions. Built by optionField and choiceField below.
template <class Options>
struct OptionField {
  OptionSpec spec;
  std::function<std::string(const Options&)> text;  ///< the member's value as option text
  /// Sets the member from the reader's value of spec.name (the reader has checked it).
  std::function<void(const OptionReader&, Options&)> read;
};

/// The member types of Int and Double options.
template <class T>
concept OptionNumber = std::is_arithmetic_v<T> && !std::is_same_v<T, bool>;
/// The member types of Choice options held as an enum.
template <class T>
concept OptionEnum = std::is_enum_v<T>;

namespace detail {

/// Throws Internal unless both bounds of the integer option `spec` are set and lie in
/// [lowest, highest], the range of its member's type: a value the reader accepts must fit.
void checkIntegerBounds(const OptionSpec& spec, double lowest, double highest);
/// Throws Internal when `name` is one of `taken`.
void checkNewKey(const std::vector<std::string>& taken, const std::string& name);

template <class Options>
OptionField<Options> fieldOf(std::string name, OptionType type, std::string help) {
  OptionField<Options> field;
  field.spec.name = std::move(name);
  field.spec.type = type;
  field.spec.help = std::move(help);
  return field;
}

}  // namespace detail

/// An Int option on an integer member or a Double option on a floating-point one, with
/// inclusive bounds ({} for none; an integer member needs both, inside its type's range, or
/// this throws Internal).
template <class Options, OptionNumber Number>
OptionField<Options> optionField(std::string name, Number Options::*member,
                                 std::optional<double> min, std::optional<double> max,
                                 std::string help) {
  constexpr bool kInteger = std::is_integral_v<Number>;
  auto field = detail::fieldOf<Options>(
      std::move(name), kInteger ? OptionType::Int : OptionType::Double, std::move(help));
  field.spec.min = min;
  field.spec.max = max;
  const std::string key = field.spec.name;
  if constexpr (kInteger) {
    detail::checkIntegerBounds(field.spec, double(std::numeric_limits<Number>::lowest()),
                               double(std::numeric_limits<Number>::max()));
    field.text = [member](const Options& o) { return std::to_string(o.*member); };
    field.read = [member, key](const OptionReader& reader, Options& o) {
      o.*member = static_cast<Number>(reader.getInt(key));
    };
  } else {
    field.text = [member](const Options& o) { return optionNumberText(double(o.*member)); };
    field.read = [member, key](const OptionReader& reader, Options& o) {
      o.*member = static_cast<Number>(reader.getDouble(key));
    };
  }
  return field;
}

/// A Bool option ("true" / "false").
template <class Options>
OptionField<Options> optionField(std::string name, bool Options::*member, std::string help) {
  auto field = detail::fieldOf<Options>(std::move(name), OptionType::Bool, std::move(help));
  field.text = [member](const Options& o) { return std::string(o.*member ? "true" : "false"); };
  field.read = [member, key = field.spec.name](const OptionReader& reader, Options& o) {
    o.*member = reader.getBool(key);
  };
  return field;
}

/// A String option: any text, "" allowed.
template <class Options>
OptionField<Options> optionField(std::string name, std::string Options::*member, std::string help) {
  auto field = detail::fieldOf<Options>(std::move(name), OptionType::String, std::move(help));
  field.text = [member](const Options& o) { return o.*member; };
  field.read = [member, key = field.spec.name](const OptionReader& reader, Options& o) {
    o.*member = reader.getString(key);
  };
  return field;
}

/// A Choice option held as its text.
template <class Options>
OptionField<Options> choiceField(std::string name, std::string Options::*member,
                                 std::vector<std::string> choices, std::string help) {
  auto field = optionField(std::move(name), member, std::move(help));
  field.spec.type = OptionType::Choice;
  field.spec.choices = std::move(choices);
  return field;
}

/// A Choice option held as an enum: `values` in the order the forms list them, each named
/// by `nameOf(value)` (feedbackName, measureName), so the names are written once too.
template <class Options, OptionEnum Enum, class NameOf>
OptionField<Options> choiceField(std::string name, Enum Options::*member, std::vector<Enum> values,
                                 NameOf nameOf, std::string help) {
  auto field = detail::fieldOf<Options>(std::move(name), OptionType::Choice, std::move(help));
  for (Enum value : values) field.spec.choices.push_back(std::string(nameOf(value)));
  // An enum value outside `values` writes as "", which check() then refuses.
  field.text = [member, values, nameOf](const Options& o) {
    for (Enum value : values) {
      if (value == o.*member) return std::string(nameOf(value));
    }
    return std::string();
  };
  field.read = [member, values, nameOf, key = field.spec.name](const OptionReader& reader,
                                                               Options& o) {
    const std::string text = reader.getString(key);
    for (Enum value : values) {
      if (text == nameOf(value)) o.*member = value;
    }
  };
  return field;
}

/// The fields of one options struct. Immutable once built; copies are cheap enough to keep
/// in a factory. Options must be default-constructible (its defaults are the specs').
template <class Options>
class OptionTable {
 public:
  /// Throws Internal on a key given twice.
  OptionTable(std::initializer_list<OptionField<Options>> fields) {
    for (const auto& field : fields) add(field);
  }

  /// Appends the fields of `inner`, the table of the member struct `member` (the deep
  /// models' trainer options): same keys, bounds and help; the defaults are those of
  /// `member` in a default-constructed Options. Throws Internal on a key given twice.
  template <class Inner>
  OptionTable& include(Inner Options::*member, const OptionTable<Inner>& inner) {
    for (const auto& field : inner.fields()) {
      OptionField<Options> outer;
      outer.spec = field.spec;
      outer.text = [member, text = field.text](const Options& o) { return text(o.*member); };
      outer.read = [member, read = field.read](const OptionReader& reader, Options& o) {
        read(reader, o.*member);
      };
      add(std::move(outer));
    }
    return *this;
  }

  const std::vector<OptionField<Options>>& fields() const { return fields_; }

  /// The specs, in table order, each default the member's value in Options{} as text.
  std::vector<OptionSpec> specs() const {
    const Options defaults{};
    std::vector<OptionSpec> out;
    out.reserve(fields_.size());
    for (const auto& field : fields_) {
      out.push_back(field.spec);
      out.back().defaultValue = field.text(defaults);
    }
    return out;
  }

  /// `values` read into an Options, keys not given left at their defaults. Throws Config
  /// as OptionReader does (an unknown key, bad text, a value out of range or not a
  /// choice), naming the option. Runs no check between fields: that is validate()'s.
  Options read(const OptionValues& values) const {
    const std::vector<OptionSpec> specList = specs();
    const OptionReader reader(specList, values);
    Options options{};
    for (const auto& field : fields_) field.read(reader, options);
    return options;
  }

  /// The first field of `options` outside its bounds or choices, as "option 'k': expected
  /// an integer in [1, 1024], found '0'" (the reader's words); "" when all pass.
  std::string problem(const Options& options) const {
    for (const auto& field : fields_) {
      const std::string reason = checkOptionValue(field.spec, field.text(options));
      if (!reason.empty()) return "option '" + field.spec.name + "': " + reason;
    }
    return "";
  }

  /// Throws Config with problem(options) unless it is "".
  void check(const Options& options) const;

  /// Every field of `options` as option text, by key (read(texts(o)) gives o back).
  OptionValues texts(const Options& options) const {
    OptionValues out;
    for (const auto& field : fields_) out[field.spec.name] = field.text(options);
    return out;
  }

  /// Appends `field` (a table built in steps: one model's extra option). Throws Internal
  /// on a key given twice.
  void add(OptionField<Options> field) {
    std::vector<std::string> taken;
    for (const auto& existing : fields_) taken.push_back(existing.spec.name);
    detail::checkNewKey(taken, field.spec.name);
    fields_.push_back(std::move(field));
  }

 private:
  std::vector<OptionField<Options>> fields_;
};

namespace detail {
/// Throws Config with `problem` unless it is "".
void throwOptionProblem(const std::string& problem);
}  // namespace detail

template <class Options>
void OptionTable<Options>::check(const Options& options) const {
  detail::throwOptionProblem(problem(options));
}

}  // namespace reco
