#include "core/common/json.h"

#include <cctype>
#include <cmath>
#include <cstdio>

#include "core/common/error.h"
#include "core/common/number_text.h"
#include "core/common/utf8.h"

namespace reco {

std::string jsonEscape(std::string_view raw) {
  // JSON is UTF-8: a byte that starts no valid sequence (a workspace imported before the
  // importer read such input as Latin-1) becomes U+FFFD instead of breaking the document.
  std::string repaired;
  const std::string_view text = validUtf8(raw, repaired);
  std::string out;
  out.reserve(text.size() + 2);
  out += '"';
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += ch;
        }
    }
  }
  out += '"';
  return out;
}

void JsonWriter::newline() {
  if (!pretty_) return;
  out_ += '\n';
  out_.append(stack_.size() * 2, ' ');
}

void JsonWriter::beforeValue() {
  if (afterKey_) {
    afterKey_ = false;
    return;
  }
  RECO_CHECK(stack_.empty() || stack_.back() == '[', ErrorKind::Internal,
             "JSON value inside an object needs a key");
  if (!stack_.empty()) {
    if (hasItems_.back()) out_ += ',';
    hasItems_.back() = true;
    newline();
  }
}

JsonWriter& JsonWriter::beginObject() {
  beforeValue();
  out_ += '{';
  stack_.push_back('{');
  hasItems_.push_back(false);
  return *this;
}

JsonWriter& JsonWriter::endObject() {
  RECO_CHECK(!stack_.empty() && stack_.back() == '{' && !afterKey_, ErrorKind::Internal,
             "unbalanced JSON object");
  const bool had = hasItems_.back();
  stack_.pop_back();
  hasItems_.pop_back();
  if (had) newline();
  out_ += '}';
  return *this;
}

JsonWriter& JsonWriter::beginArray() {
  beforeValue();
  out_ += '[';
  stack_.push_back('[');
  hasItems_.push_back(false);
  return *this;
}

JsonWriter& JsonWriter::endArray() {
  RECO_CHECK(!stack_.empty() && stack_.back() == '[', ErrorKind::Internal, "unbalanced JSON array");
  const bool had = hasItems_.back();
  stack_.pop_back();
  hasItems_.pop_back();
  if (had) newline();
  out_ += ']';
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
  RECO_CHECK(!stack_.empty() && stack_.back() == '{' && !afterKey_, ErrorKind::Internal,
             "JSON key outside an object");
  if (hasItems_.back()) out_ += ',';
  hasItems_.back() = true;
  newline();
  out_ += jsonEscape(name);
  out_ += pretty_ ? ": " : ":";
  afterKey_ = true;
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view text) {
  beforeValue();
  out_ += jsonEscape(text);
  return *this;
}

JsonWriter& JsonWriter::value(double number) {
  beforeValue();
  if (!std::isfinite(number)) {
    out_ += "null";
  } else {
    out_ += formatNumber(number);  // shortest text that reads back the same, in any locale
  }
  return *this;
}

JsonWriter& JsonWriter::value(std::int64_t number) {
  beforeValue();
  out_ += std::to_string(number);
  return *this;
}

JsonWriter& JsonWriter::value(bool flag) {
  beforeValue();
  out_ += flag ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::null() {
  beforeValue();
  out_ += "null";
  return *this;
}

JsonWriter& JsonWriter::raw(std::string_view json) {
  beforeValue();
  out_ += json;
  return *this;
}

const std::string& JsonWriter::str() const {
  RECO_CHECK(stack_.empty(), ErrorKind::Internal, "JSON document has unclosed objects or arrays");
  return out_;
}

namespace {

/// A recursive-descent syntax check of JSON (RFC 8259), for jsonObjectProblem.
class JsonChecker {
 public:
  explicit JsonChecker(std::string_view text) : text_(text) {}

  std::string objectProblem() {
    skipBlanks();
    if (!at('{')) {
      fail("expected a JSON object starting with '{'");
      return problem_;
    }
    if (!value(0)) return problem_;
    skipBlanks();
    if (pos_ != text_.size()) fail("expected nothing after the object");
    return problem_;
  }

 private:
  static constexpr int kMostDepth = 256;

  bool at(char c) const { return pos_ < text_.size() && text_[pos_] == c; }
  bool digitHere() const { return pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9'; }
  bool eat(char c) {
    if (!at(c)) return false;
    ++pos_;
    return true;
  }
  void skipBlanks() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r'))
      ++pos_;
  }
  bool fail(const std::string& expected) {
    std::string found = "the end";
    if (pos_ < text_.size()) {
      const auto c = static_cast<unsigned char>(text_[pos_]);
      found = c >= 0x20 && c < 0x7f ? "'" + std::string(1, char(c)) + "'"
                                    : "byte " + std::to_string(int(c));
    }
    problem_ = expected + " at offset " + std::to_string(pos_) + ", found " + found;
    return false;
  }
  bool literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return fail("expected a JSON value");
    pos_ += word.size();
    return true;
  }
  bool string() {
    ++pos_;  // the opening quote
    while (pos_ < text_.size()) {
      const auto c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c < 0x20) return fail("expected no control character inside a string");
      if (c == '\\') {
        ++pos_;
        if (eat('u')) {
          for (int i = 0; i < 4; ++i, ++pos_)
            if (pos_ >= text_.size() || !std::isxdigit(static_cast<unsigned char>(text_[pos_])))
              return fail("expected 4 hex digits after \\u");
          continue;
        }
        if (pos_ >= text_.size() ||
            std::string_view("\"\\/bfnrt").find(text_[pos_]) == std::string_view::npos)
          return fail("expected an escape (\\\" \\\\ / b f n r t u)");
      }
      ++pos_;
    }
    return fail("expected the string's closing quote");
  }
  bool digits() {
    if (!digitHere()) return fail("expected a digit");
    while (digitHere()) ++pos_;
    return true;
  }
  bool number() {
    eat('-');
    if (!eat('0') && !digits()) return false;
    if (eat('.') && !digits()) return false;
    if (eat('e') || eat('E')) {
      if (!eat('+')) eat('-');
      if (!digits()) return false;
    }
    return true;
  }
  bool value(int depth) {
    if (depth > kMostDepth) return fail("expected at most 256 levels of nesting");
    skipBlanks();
    if (eat('{')) {
      skipBlanks();
      if (eat('}')) return true;
      for (;;) {
        skipBlanks();
        if (!at('"')) return fail("expected a string key");
        if (!string()) return false;
        skipBlanks();
        if (!eat(':')) return fail("expected ':'");
        if (!value(depth + 1)) return false;
        skipBlanks();
        if (eat(',')) continue;
        if (eat('}')) return true;
        return fail("expected ',' or '}'");
      }
    }
    if (eat('[')) {
      skipBlanks();
      if (eat(']')) return true;
      for (;;) {
        if (!value(depth + 1)) return false;
        skipBlanks();
        if (eat(',')) continue;
        if (eat(']')) return true;
        return fail("expected ',' or ']'");
      }
    }
    if (at('"')) return string();
    if (at('t')) return literal("true");
    if (at('f')) return literal("false");
    if (at('n')) return literal("null");
    if (at('-') || digitHere()) return number();
    return fail("expected a JSON value");
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::string problem_;
};

}  // namespace

std::string jsonObjectProblem(std::string_view text) {
  return JsonChecker(text).objectProblem();
}

}  // namespace reco
