#pragma once
/// A small streaming JSON writer for `--json` outputs and stored options. It escapes
/// strings, writes numbers with up to 17 significant digits (non-finite as null), and
/// inserts commas itself; nesting mistakes are caught by RECO_CHECK.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace reco {

class JsonWriter {
 public:
  explicit JsonWriter(bool pretty = false) : pretty_(pretty) {}

  JsonWriter& beginObject();
  JsonWriter& endObject();
  JsonWriter& beginArray();
  JsonWriter& endArray();
  /// The key of the next value; only inside an object.
  JsonWriter& key(std::string_view name);
  JsonWriter& value(std::string_view text);
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  JsonWriter& value(const std::string& text) { return value(std::string_view(text)); }
  JsonWriter& value(double number);
  JsonWriter& value(std::int64_t number);
  JsonWriter& value(int number) { return value(std::int64_t(number)); }
  JsonWriter& value(bool flag);
  JsonWriter& null();
  /// A value that is already a JSON document (another JsonWriter's str()), written as is.
  JsonWriter& raw(std::string_view json);
  template <class T>
  JsonWriter& field(std::string_view name, const T& v) {
    key(name);
    return value(v);
  }

  /// The document; every object and array must be closed.
  const std::string& str() const;

 private:
  void beforeValue();
  void newline();
  bool pretty_;
  std::string out_;
  std::vector<char> stack_;  // '{' or '['
  std::vector<bool> hasItems_;
  bool afterKey_ = false;
};

std::string jsonEscape(std::string_view text);

/// Checks that `text` is one JSON object (RFC 8259 syntax; blanks around it allowed), as
/// stored states are: empty when it is, else what was expected, where and what was found
/// ("expected ',' or '}' at offset 12, found 'x'"). Syntax only: no values are built.
std::string jsonObjectProblem(std::string_view text);

}  // namespace reco
