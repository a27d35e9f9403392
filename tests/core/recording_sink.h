#pragma once
// A RecordSink for tests: dumps every record canonically, one line per record, so that a
// reader's output can be compared with a committed expected file, and counts what it saw.
//
//   begin FEEDBACK
//   user ID key="value"...
//   item ID title="..." category="..." price=P|- key="value"...
//   interaction line=N user=U item=I time=T|- event="E" value=V
//   reject line=N reason="R" text="T"
// Strings escape \ " TAB and LF; numbers use the shortest round-trip form.

#include <charconv>
#include <map>
#include <set>
#include <string>

#include "core/io/record_sink.h"

namespace reco::test {

class RecordingSink : public io::RecordSink {
 public:
  explicit RecordingSink(bool dump = true) : dump_(dump) {}

  void begin(io::Feedback feedback) override {
    ++begins;
    this->feedback = feedback;
    if (dump_) text += std::string("begin ") + io::feedbackName(feedback) + "\n";
  }
  void interaction(const io::InteractionRecord& r) override {
    ++interactions;
    if (!dump_) return;
    text += "interaction line=" + std::to_string(r.line) + " user=" + std::string(r.user) +
            " item=" + std::string(r.item) +
            " time=" + (r.time == io::kNoTime ? std::string("-") : std::to_string(r.time)) +
            " event=" + quoted(r.event) + " value=" + number(r.value) + "\n";
  }
  void item(const io::ItemRecord& r) override {
    ++items;
    if (!dump_) return;
    text += "item " + std::string(r.id) + " title=" + quoted(r.title) +
            " category=" + quoted(r.category) + " price=" + (r.price ? number(*r.price) : "-");
    for (const auto& [key, value] : r.attributes) text += " " + key + "=" + quoted(value);
    text += "\n";
  }
  void user(const io::UserRecord& r) override {
    ++users;
    if (!dump_) return;
    text += "user " + std::string(r.id);
    for (const auto& [key, value] : r.attributes) text += " " + key + "=" + quoted(value);
    text += "\n";
  }
  void reject(std::string_view reason, std::size_t line, std::string_view raw) override {
    ++rejects[std::string(reason)];
    if (!dump_) return;
    text += "reject line=" + std::to_string(line) + " reason=" + quoted(reason) +
            " text=" + quoted(raw) + "\n";
  }

  static std::string quoted(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
      switch (c) {
        case '\\': out += "\\\\"; break;
        case '"': out += "\\\""; break;
        case '\t': out += "\\t"; break;
        case '\n': out += "\\n"; break;
        default: out += c;
      }
    }
    return out + "\"";
  }
  static std::string number(double v) {
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, end);
  }

  std::string text;
  io::Feedback feedback = io::Feedback::Binary;
  int begins = 0;
  std::size_t interactions = 0, items = 0, users = 0;
  std::map<std::string, std::size_t> rejects;

 private:
  bool dump_;
};

}  // namespace reco::test
