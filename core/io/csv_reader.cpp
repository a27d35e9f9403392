// Delimited tables: event logs, ratings CSV, generic CSV/TSV through a column map, and the
// item catalogue file that any format may come with.

#include <algorithm>

#include "core/common/error.h"
#include "core/io/readers.h"

namespace reco::io::detail {

namespace {

const char* expectedText(TableKind kind) {
  switch (kind) {
    case TableKind::Events:
      return "a delimited event log with a header such as timestamp,visitorid,event,itemid";
    case TableKind::Ratings: return "delimited rows user,item,rating[,timestamp]";
    case TableKind::Mapped: break;
  }
  return "delimited rows with the columns named by --map user=COL,item=COL";
}

bool isNumber(const std::string& text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string aliasList(Names names) {
  std::string out;
  for (std::string_view n : names) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

[[noreturn]] void missingRole(const std::string& path, const std::string& role, Names names,
                              const TableLayout& layout, const char* flag) {
  std::string message = describeLocation(path, 1) + ": no " + role + " column: expected ";
  if (layout.header) {
    message += "a header name among " + aliasList(names) + " or " + flag + " " + role +
               "=COL; the columns are: " + listColumns(layout.names);
  } else {
    message += std::string(flag) + " " + role +
               "=COL with a 0-based column number (the file has no header line, " +
               std::to_string(layout.fieldCount) + " columns)";
  }
  throw Error(ErrorKind::Data, message);
}

}  // namespace

TableLayout layoutTable(const std::string& path, TableKind kind, const ImportOptions& options) {
  TableLayout layout;
  layout.kind = kind;
  auto lines = headRecords(path, 50, expectedText(kind));
  if (lines.empty()) {
    throw Error(ErrorKind::Data, path + " is empty: expected " + expectedText(kind));
  }
  layout.delimiter = options.delimiter ? options.delimiter : detectDelimiter(lines);
  auto first = splitToStrings(lines[0], layout.delimiter);
  layout.fieldCount = first.size();
  bool namedColumn = std::any_of(options.map.begin(), options.map.end(),
                                 [](const auto& entry) { return !isNumber(entry.second); });
  if (options.header) {
    layout.header = *options.header;
  } else {
    layout.header = namedColumn || looksLikeHeader(lines, layout.delimiter);
  }
  if (layout.header) layout.names = first;

  // Roles by header name (for a mapped CSV only when no map is given), then the map.
  bool byName = layout.header && (kind != TableKind::Mapped || options.map.empty());
  if (byName) {
    layout.user = findColumn(first, kUserNames);
    layout.item = findColumn(first, kItemNames);
    layout.time = findColumn(first, kTimeNames);
    if (kind != TableKind::Ratings) layout.event = findColumn(first, kEventNames);
    if (kind != TableKind::Events) layout.rating = findColumn(first, kRatingNames);
    if (kind == TableKind::Mapped) layout.quantity = findColumn(first, kQuantityNames);
  } else if (!layout.header && kind == TableKind::Ratings && layout.fieldCount >= 3) {
    layout.user = 0;
    layout.item = 1;
    layout.rating = 2;
    if (layout.fieldCount >= 4) layout.time = 3;
  }
  const std::vector<std::string>* names = layout.header ? &layout.names : nullptr;
  for (const auto& [role, column] : options.map) {
    int index = resolveColumn(path, role, column, names, layout.fieldCount);
    if (role == "user")
      layout.user = index;
    else if (role == "item")
      layout.item = index;
    else if (role == "time")
      layout.time = index;
    else if (role == "rating")
      layout.rating = index;
    else if (role == "event")
      layout.event = index;
    else if (role == "quantity")
      layout.quantity = index;
  }
  if (layout.user < 0) missingRole(path, "user", kUserNames, layout, "--map");
  if (layout.item < 0) missingRole(path, "item", kItemNames, layout, "--map");
  if (kind == TableKind::Events && layout.event < 0)
    missingRole(path, "event", kEventNames, layout, "--map");
  if (kind == TableKind::Ratings && layout.rating < 0)
    missingRole(path, "rating", kRatingNames, layout, "--map");

  if (kind == TableKind::Events)
    layout.feedback = Feedback::Event;
  else if (kind == TableKind::Ratings || layout.rating >= 0)
    layout.feedback = Feedback::Rating;
  else if (layout.event >= 0)
    layout.feedback = Feedback::Event;
  else if (layout.quantity >= 0)
    layout.feedback = Feedback::Quantity;
  else
    layout.feedback = Feedback::Binary;
  return layout;
}

// The loop every delimited table shares: header and blank lines skipped, progress and
// stop checked, rows of the wrong width rejected (and a file of them refused by the
// guard). onRow(fields, line, text) sees each remaining row; text is UTF-8 when
// `transcode` (latin-1 rows are converted), else the raw row.
template <class OnRow>
Outcome forEachRow(const std::string& path, const TableLayout& layout, ReadContext& ctx,
                   const char* expected, bool transcode, OnRow onRow) {
  TextReader reader(path, expected);
  ctx.beginFile(reader);
  FieldSplitter fields;
  FieldCountGuard guard(path, layout.fieldCount, describeDelimiter(layout.delimiter));
  std::string utf8;
  std::string_view record;
  bool skipHeader = layout.header;
  while (reader.nextRecord(record, layout.delimiter)) {
    if (trim(record).empty()) continue;
    if (skipHeader) {
      skipHeader = false;
      continue;
    }
    if (!ctx.tick(reader)) return Outcome::Stopped;
    const std::size_t line = reader.line();
    const std::string_view text = transcode ? ensureUtf8(record, utf8) : record;
    if (!guard.check(fields.split(text, layout.delimiter), line)) {
      ctx.sink.reject("wrong number of fields", line, text);
      continue;
    }
    onRow(fields, line, text);
  }
  guard.finish();
  ctx.endFile(reader);
  return Outcome::Completed;
}

Outcome readTable(const std::string& path, const TableLayout& layout, ReadContext& ctx) {
  RecordSink& sink = ctx.sink;
  return forEachRow(
      path, layout, ctx, expectedText(layout.kind), false,
      [&](const FieldSplitter& fields, std::size_t line, std::string_view record) {
        InteractionRecord r;
        r.line = line;
        r.user = normaliseId(trim(fields[layout.user]));
        if (r.user.empty()) {
          sink.reject("no user id", line, record);
          return;
        }
        r.item = normaliseId(trim(fields[layout.item]));
        if (r.item.empty()) {
          sink.reject("no item id", line, record);
          return;
        }
        double rating = 1.0, quantity = 1.0;
        if (layout.rating >= 0) {
          NumberStatus s = parseReal(fields[layout.rating], rating);
          if (s != NumberStatus::Ok) {
            sink.reject(s == NumberStatus::OutOfRange ? "rating out of range" : "bad rating", line,
                        record);
            return;
          }
        }
        if (layout.quantity >= 0) {
          NumberStatus s = parseReal(fields[layout.quantity], quantity);
          if (s != NumberStatus::Ok) {
            sink.reject(s == NumberStatus::OutOfRange ? "quantity out of range" : "bad quantity",
                        line, record);
            return;
          }
        }
        if (layout.event >= 0) {
          r.event = trim(fields[layout.event]);
          if (r.event.empty()) {
            sink.reject("no event", line, record);
            return;
          }
        }
        if (layout.time >= 0) {
          NumberStatus s = parseTime(fields[layout.time], r.time);
          if (s != NumberStatus::Ok) {
            sink.reject(s == NumberStatus::OutOfRange ? "timestamp out of range" : "bad timestamp",
                        line, record);
            return;
          }
        }
        switch (layout.feedback) {
          case Feedback::Rating: r.value = rating; break;
          case Feedback::Quantity: r.value = quantity; break;
          case Feedback::Event: r.value = layout.quantity >= 0 ? quantity : 1.0; break;
          case Feedback::Binary: r.value = 1.0; break;
        }
        sink.interaction(r);
      });
}

Outcome readItemsFile(const std::string& path, ReadContext& ctx) {
  static constexpr const char* kExpected =
      "an item catalogue: delimited rows with an item id column (and title, category, price)";
  static constexpr std::string_view kIdNames[] = {
      "id", "item", "item_id", "itemid", "product_id", "productid", "sku", "movieid", "movie_id"};
  auto lines = headRecords(path, 50, kExpected);
  if (lines.empty()) throw Error(ErrorKind::Data, path + " is empty: expected " + kExpected);
  const ColumnMap& map = ctx.options.itemsMap;
  TableLayout layout;  // only header, names, delimiter and fieldCount are used here
  layout.delimiter = detectDelimiter(lines);
  auto first = splitToStrings(lines[0], layout.delimiter);
  layout.fieldCount = first.size();
  bool namedColumn = std::any_of(map.begin(), map.end(),
                                 [](const auto& entry) { return !isNumber(entry.second); });
  layout.header = map.empty() || namedColumn || looksLikeHeader(lines, layout.delimiter);
  if (layout.header) layout.names = first;
  int id = -1, title = -1, category = -1, price = -1;
  if (map.empty()) {
    id = findColumn(first, kIdNames);
    title = findColumn(first, {"title", "name", "description"});
    category = findColumn(first, {"category", "genre", "category_code"});
    price = findColumn(first, {"price", "unitprice", "unit_price"});
  }
  const std::vector<std::string>* names = layout.header ? &layout.names : nullptr;
  for (const auto& [role, column] : map) {
    int index = resolveColumn(path, role, column, names, layout.fieldCount);
    if (role == "id")
      id = index;
    else if (role == "title")
      title = index;
    else if (role == "category")
      category = index;
    else if (role == "price")
      price = index;
  }
  if (id < 0) missingRole(path, "id", kIdNames, layout, "--items-map");
  std::vector<std::string> attributeNames(layout.fieldCount);
  for (std::size_t i = 0; i < layout.fieldCount; ++i) {
    attributeNames[i] = layout.header ? layout.names[i] : "column" + std::to_string(i);
  }

  ItemRecord item;
  return forEachRow(path, layout, ctx, kExpected, true,
                    [&](const FieldSplitter& fields, std::size_t line, std::string_view text) {
                      item.id = normaliseId(trim(fields[id]));
                      if (item.id.empty()) {
                        ctx.sink.reject("no item id", line, text);
                        return;
                      }
                      item.title = title >= 0 ? trim(fields[title]) : std::string_view();
                      item.category = category >= 0 ? trim(fields[category]) : std::string_view();
                      item.price.reset();
                      if (price >= 0 && !trim(fields[price]).empty()) {
                        double value = 0;
                        NumberStatus s = parseReal(fields[price], value);
                        if (s != NumberStatus::Ok) {
                          ctx.sink.reject(
                              s == NumberStatus::OutOfRange ? "price out of range" : "bad price",
                              line, text);
                          return;
                        }
                        item.price = value;
                      }
                      item.attributes.clear();
                      for (std::size_t i = 0; i < fields.size(); ++i) {
                        int c = static_cast<int>(i);
                        if (c == id || c == title || c == category || c == price) continue;
                        std::string_view value = trim(fields[i]);
                        if (!value.empty())
                          item.attributes.emplace_back(attributeNames[i], std::string(value));
                      }
                      ctx.sink.item(item);
                    });
}

}  // namespace reco::io::detail
