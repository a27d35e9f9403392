#include "core/common/json.h"

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

}  // namespace reco
