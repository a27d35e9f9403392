#include "core/storage/dataset_writer.h"

#include <chrono>
#include <cmath>
#include <cstdio>

#include "core/common/clock.h"
#include "core/common/error.h"
#include "core/common/json.h"
#include "core/common/number_text.h"
#include "core/io/text_reader.h"
#include "core/stats/dataset_stats.h"

namespace reco::storage {

namespace {

std::string describeRecord(const io::InteractionRecord& r) {
  std::string text = "user " + std::string(r.user) + ", item " + std::string(r.item);
  if (!r.event.empty()) text += ", event " + std::string(r.event);
  text += ", value " + formatSignificant(r.value, 6);
  if (r.time != io::kNoTime) text += ", time " + io::formatDateTime(r.time);
  return text;
}

std::string optionsJson(const io::ImportOptions& o, const std::string& format) {
  JsonWriter json;
  json.beginObject().field("format", format);
  if (!o.itemsPath.empty()) json.field("items", o.itemsPath);
  if (o.ratingThreshold) json.field("rating_threshold", *o.ratingThreshold);
  if (o.since) json.field("since", io::formatDateTime(*o.since));
  if (o.until) json.field("until", io::formatDateTime(*o.until));
  json.field("min_user_interactions", o.minUserInteractions)
      .field("min_item_interactions", o.minItemInteractions)
      .field("duplicates", io::duplicatePolicyName(o.duplicates));
  json.key("event_weights").beginObject();
  for (const auto& [event, weight] : o.eventWeights) json.field(event, weight);
  json.endObject();
  if (!o.map.empty()) {
    json.key("map").beginObject();
    for (const auto& [role, column] : o.map) json.field(role, column);
    json.endObject();
  }
  if (!o.itemsMap.empty()) {
    json.key("items_map").beginObject();
    for (const auto& [role, column] : o.itemsMap) json.field(role, column);
    json.endObject();
  }
  return json.endObject().str();
}

}  // namespace

DatasetWriter::DatasetWriter(Database& db, const std::string& name, const std::string& format,
                             const std::string& source, const io::ImportOptions& options)
    : db_(db), options_(options) {
  // feedback is fixed in begin(); 'binary' is a placeholder the CHECK constraint accepts.
  Statement st(db_,
               "INSERT INTO datasets(name, format, source, feedback, options, created_at) VALUES "
               "(?1, ?2, ?3, 'binary', ?4, ?5)");
  st.bind(1, name)
      .bind(2, format)
      .bind(3, source)
      .bind(4, optionsJson(options, format))
      .bind(5, unixNow())
      .run();
  datasetId_ = db_.lastInsertRowId();
  const std::string insert =
      "INSERT INTO interactions(dataset_id, user_idx, seq, item_idx, time, event, value) VALUES ";
  std::string values;
  for (std::size_t i = 0; i < kBatchRows; ++i) values += i ? ",(?,?,?,?,?,?,?)" : "(?,?,?,?,?,?,?)";
  insertBatch_ = std::make_unique<Statement>(db_, insert + values);
  insertOne_ = std::make_unique<Statement>(db_, insert + "(?,?,?,?,?,?,?)");
  pending_.reserve(kBatchRows);
}

void DatasetWriter::begin(io::Feedback feedback) {
  feedback_ = feedback;
  begun_ = true;
  Statement st(db_, "UPDATE datasets SET feedback = ?1 WHERE id = ?2");
  st.bind(1, io::feedbackName(feedback)).bind(2, datasetId_).run();
}

std::int32_t DatasetWriter::eventCode(std::string_view name, std::size_t line, bool& known) {
  if (auto it = eventCodes_.find(name); it != eventCodes_.end()) {
    known = true;
    return it->second;
  }
  const auto weight = options_.eventWeights.find(std::string(name));
  known = weight != options_.eventWeights.end();
  // An event without a weight can only be kept when the value is not the weight.
  if (!known && feedback_ == io::Feedback::Event) return 0;
  const auto code = static_cast<std::int32_t>(eventNames_.size() + 1);
  eventCodes_.emplace(std::string(name), code);
  eventNames_.emplace_back(name);
  eventWeights_.push_back(known ? weight->second : 1.0);
  eventCounts_.push_back(0);
  known = true;
  return code;
}

void DatasetWriter::mixHash(const void* data, std::size_t size) {
  const auto* bytes = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < size; ++i) {
    hash_ ^= bytes[i];
    hash_ *= 1099511628211ull;
  }
}

std::string_view DatasetWriter::utf8(std::string_view text, std::string& storage) {
  const std::string_view out = io::ensureUtf8(text, storage);
  if (out.data() != text.data()) ++latin1Texts_;  // ensureUtf8 read it as Latin-1
  return out;
}

void DatasetWriter::interaction(const io::InteractionRecord& given) {
  RECO_CHECK(begun_, ErrorKind::Internal, "a reader sent an interaction before begin()");
  // Every text the workspace keeps is UTF-8: a reader's raw bytes that are not are read
  // as Latin-1 here, whatever the reader, and the report counts them.
  io::InteractionRecord r = given;
  std::string userText, itemText, eventText;
  r.user = utf8(given.user, userText);
  r.item = utf8(given.item, itemText);
  r.event = utf8(given.event, eventText);
  ++report_.rowsRead;
  auto drop = [&](std::string_view reason) {
    --report_.rowsRead;  // reject() counts the row again
    reject(reason, r.line, describeRecord(r));
  };
  if (r.user.empty()) return drop("empty user id");
  if (r.item.empty()) return drop("empty item id");
  if (!std::isfinite(r.value)) return drop("value is not a finite number");

  std::int32_t event = 0;
  double value = r.value;
  if (!r.event.empty()) {
    bool known = false;
    event = eventCode(r.event, r.line, known);
    if (!known) return drop("unknown event type (not in --event-weights)");
    if (feedback_ == io::Feedback::Event) value = eventWeights_[std::size_t(event - 1)];
  }
  if (options_.ratingThreshold && value < *options_.ratingThreshold)
    return drop("below the rating threshold");
  if (options_.since || options_.until) {
    if (r.time == io::kNoTime) return drop("no time, but a date range was given");
    if (options_.since && r.time < *options_.since) return drop("before --since");
    if (options_.until && r.time >= *options_.until) return drop("on or after --until");
  }

  const std::int32_t user = users_.getOrAdd(r.user);
  if (std::size_t(user) >= userCounts_.size()) {
    userCounts_.resize(std::size_t(user) + 1, 0);
    userAttributes_.resize(std::size_t(user) + 1);
  }
  const std::int32_t item = items_.getOrAdd(r.item);
  if (std::size_t(item) >= itemCounts_.size()) {
    itemCounts_.resize(std::size_t(item) + 1, 0);
    itemMeta_.resize(std::size_t(item) + 1);
  }

  pending_.push_back({user, keptRows_, item, r.time, event, value});
  if (pending_.size() == kBatchRows) flushPending();

  ++keptRows_;
  ++userCounts_[std::size_t(user)];
  ++itemCounts_[std::size_t(item)];
  if (event > 0) ++eventCounts_[std::size_t(event - 1)];
  if (r.time != io::kNoTime) {
    minTime_ = std::min(minTime_, r.time);
    maxTime_ = std::max(maxTime_, r.time);
  }
  mixHash(r.user.data(), r.user.size());
  mixHash("\t", 1);
  mixHash(r.item.data(), r.item.size());
  mixHash(&r.time, sizeof r.time);
  mixHash(r.event.data(), r.event.size());
  mixHash(&value, sizeof value);
}

void DatasetWriter::flushPending() {
  Statement& st = pending_.size() == kBatchRows ? *insertBatch_ : *insertOne_;
  auto bindRow = [&](int base, const PendingRow& row) {
    st.bind(base + 1, datasetId_)
        .bind(base + 2, row.user)
        .bind(base + 3, row.seq)
        .bind(base + 4, row.item);
    if (row.time == io::kNoTime) {
      st.bindNull(base + 5);
    } else {
      st.bind(base + 5, row.time);
    }
    st.bind(base + 6, std::int64_t(row.event)).bind(base + 7, row.value);
  };
  if (&st == insertBatch_.get()) {
    for (std::size_t i = 0; i < pending_.size(); ++i) bindRow(int(i) * 7, pending_[i]);
    st.run();
  } else {
    for (const auto& row : pending_) {
      bindRow(0, row);
      st.run();
    }
  }
  pending_.clear();
}

void DatasetWriter::item(const io::ItemRecord& given) {
  if (given.id.empty()) return;
  io::ItemRecord r = given;
  std::string idText, titleText, categoryText;
  r.id = utf8(given.id, idText);
  r.title = utf8(given.title, titleText);
  r.category = utf8(given.category, categoryText);
  for (auto& [key, value] : r.attributes) {
    std::string keyText, valueText;
    key = std::string(utf8(key, keyText));
    value = std::string(utf8(value, valueText));
  }
  const std::int32_t idx = items_.getOrAdd(r.id);
  if (std::size_t(idx) >= itemMeta_.size()) {
    itemMeta_.resize(std::size_t(idx) + 1);
    itemCounts_.resize(std::size_t(idx) + 1, 0);
  }
  ItemMeta& meta = itemMeta_[std::size_t(idx)];
  if (!r.title.empty()) meta.title.assign(r.title);
  if (!r.category.empty()) meta.category.assign(r.category);
  if (r.price) meta.price = r.price;
  for (const auto& [key, value] : r.attributes) {
    bool replaced = false;
    for (auto& [k, v] : meta.attributes) {
      if (k == key) {
        v = value;
        replaced = true;
      }
    }
    if (!replaced) meta.attributes.emplace_back(key, value);
  }
}

void DatasetWriter::user(const io::UserRecord& given) {
  if (given.id.empty()) return;
  io::UserRecord r = given;
  std::string idText;
  r.id = utf8(given.id, idText);
  for (auto& [key, value] : r.attributes) {
    std::string keyText, valueText;
    key = std::string(utf8(key, keyText));
    value = std::string(utf8(value, valueText));
  }
  const std::int32_t idx = users_.getOrAdd(r.id);
  if (std::size_t(idx) >= userAttributes_.size()) {
    userAttributes_.resize(std::size_t(idx) + 1);
    userCounts_.resize(std::size_t(idx) + 1, 0);
  }
  auto& attrs = userAttributes_[std::size_t(idx)];
  for (const auto& [key, value] : r.attributes) {
    bool replaced = false;
    for (auto& [k, v] : attrs) {
      if (k == key) {
        v = value;
        replaced = true;
      }
    }
    if (!replaced) attrs.emplace_back(key, value);
  }
}

void DatasetWriter::reject(std::string_view reason, std::size_t line, std::string_view text) {
  ++report_.rowsRead;
  auto it = rejections_.find(reason);
  if (it == rejections_.end()) it = rejections_.emplace(std::string(reason), ReasonTally{}).first;
  ++it->second.count;
  if (it->second.examples.size() < options_.maxExamplesPerReason) {
    std::string storage;
    std::string snippet(utf8(text.substr(0, 300), storage));
    it->second.examples.push_back({currentFile_, line, std::move(snippet)});
  }
}

}  // namespace reco::storage
