// deriveDataset: read the source's catalogue, users and lines, draw the sample user by user,
// and hand the result to the import's writer (importRecords), all in its one transaction.
#include "core/storage/dataset_derive.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <numeric>
#include <utility>
#include <vector>

#include "core/common/error.h"
#include "core/common/number_text.h"
#include "core/common/random.h"
#include "core/io/import_options.h"
#include "core/io/record_sink.h"
#include "core/storage/dataset_import.h"
#include "core/storage/dataset_shape.h"

namespace reco::storage {

namespace {

constexpr const char* kLeftByBaskets = "left out by the basket sample (--basket-fraction)";
constexpr const char* kLeftByUsers = "left out by the lines-per-user draw (--lines-per-user)";

struct SourceItem {
  std::string id, title, category;
  std::optional<double> price;
  io::Attributes attributes;
};

struct SourceUser {
  std::string id;
  io::Attributes attributes;
  std::int64_t kept = 0;
};

/// One stored line of a user, with the user and item as positions in the vectors above.
struct Line {
  std::int64_t seq = 0;
  std::int32_t user = 0, item = 0;
  std::int64_t time = io::kNoTime;
  std::int32_t event = 0;
  double value = 0;
};

/// What deriveDataset reads before it writes anything.
struct Source {
  io::Feedback feedback = io::Feedback::Binary;
  std::vector<std::string> eventNames;  ///< code -> name; [0] is "" (untyped)
  std::vector<double> eventWeights;     ///< code -> weight
  std::vector<SourceItem> items;        ///< in index order
  std::vector<std::int32_t> itemAt;     ///< stored index -> position in items, -1: none
  std::vector<SourceUser> users;
  std::vector<std::int32_t> userAt;
};

io::Feedback parseStoredFeedback(DatasetId dataset, const std::string& text) {
  for (const auto f :
       {io::Feedback::Rating, io::Feedback::Quantity, io::Feedback::Event, io::Feedback::Binary})
    if (text == io::feedbackName(f)) return f;
  throwDamaged(dataset, "has feedback '" + text + "' (expected rating, quantity, event or binary)");
}

/// Reads everything but the lines: event types, items and users with their attributes.
Source readCatalogue(Workspace& workspace, const DatasetInfo& source) {
  Database& db = workspace.db();
  const DatasetId id = source.id;
  const DatasetShape shape = datasetShape(workspace, id);
  Source s;
  s.feedback = parseStoredFeedback(id, source.feedback);
  s.eventNames.emplace_back();
  s.eventWeights.push_back(1.0);
  Statement events(db,
                   "SELECT code, name, weight FROM event_types WHERE dataset_id = ?1 "
                   "ORDER BY code");
  events.bind(1, id);
  while (events.step()) {
    if (events.columnInt(0) != std::int64_t(s.eventNames.size()))
      throwDamaged(id, "has event type code " + std::to_string(events.columnInt(0)) +
                           " where code " + std::to_string(s.eventNames.size()) + " was expected");
    s.eventNames.push_back(events.columnText(1));
    s.eventWeights.push_back(events.columnDouble(2));
  }

  s.itemAt.assign(std::size_t(shape.items), -1);
  Statement items(db,
                  "SELECT idx, external_id, title, category, price FROM items "
                  "WHERE dataset_id = ?1 ORDER BY idx");
  items.bind(1, id);
  while (items.step()) {
    const std::int64_t idx = items.columnInt(0);
    requireStoredIndex(id, idx, shape.items, "item index");
    s.itemAt[std::size_t(idx)] = std::int32_t(s.items.size());
    s.items.push_back({items.columnText(1),
                       items.columnText(2),
                       items.columnText(3),
                       items.columnOptionalDouble(4),
                       {}});
  }
  Statement itemAttributes(db,
                           "SELECT item_idx, key, value FROM item_attributes "
                           "WHERE dataset_id = ?1 ORDER BY item_idx, key");
  itemAttributes.bind(1, id);
  while (itemAttributes.step()) {
    const std::int64_t idx = itemAttributes.columnInt(0);
    requireStoredIndex(id, idx, shape.items, "item index of an attribute");
    if (s.itemAt[std::size_t(idx)] < 0) throwDamaged(id, "has attributes of a missing item");
    s.items[std::size_t(s.itemAt[std::size_t(idx)])].attributes.emplace_back(
        itemAttributes.columnText(1), itemAttributes.columnText(2));
  }

  s.userAt.assign(std::size_t(shape.users), -1);
  Statement users(db, "SELECT idx, external_id FROM users WHERE dataset_id = ?1 ORDER BY idx");
  users.bind(1, id);
  while (users.step()) {
    const std::int64_t idx = users.columnInt(0);
    requireStoredIndex(id, idx, shape.users, "user index");
    s.userAt[std::size_t(idx)] = std::int32_t(s.users.size());
    s.users.push_back({users.columnText(1), {}, 0});
  }
  Statement userAttributes(db,
                           "SELECT user_idx, key, value FROM user_attributes "
                           "WHERE dataset_id = ?1 ORDER BY user_idx, key");
  userAttributes.bind(1, id);
  while (userAttributes.step()) {
    const std::int64_t idx = userAttributes.columnInt(0);
    requireStoredIndex(id, idx, shape.users, "user index of an attribute");
    if (s.userAt[std::size_t(idx)] < 0) throwDamaged(id, "has attributes of a missing user");
    s.users[std::size_t(s.userAt[std::size_t(idx)])].attributes.emplace_back(
        userAttributes.columnText(1), userAttributes.columnText(2));
  }
  return s;
}

/// Keeps `count` of `lines` (in their order), drawn uniformly: a partial Fisher-Yates
/// shuffle of their positions.
void keepDrawn(std::vector<Line>& lines, std::size_t count, Random& random) {
  if (count >= lines.size()) return;
  std::vector<std::size_t> order(lines.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  for (std::size_t i = 0; i < count; ++i)
    std::swap(order[i], order[i + std::size_t(random.below(order.size() - i))]);
  order.resize(count);
  std::sort(order.begin(), order.end());
  std::vector<Line> kept;
  kept.reserve(count);
  for (const std::size_t at : order) kept.push_back(lines[at]);
  lines = std::move(kept);
}

/// One user's sample: its lines (in seq order) become the kept ones; the counters of lines
/// left out by each rule grow.
void sampleUser(std::vector<Line>& lines, const DeriveOptions& options, Random& random,
                std::int64_t& leftByBaskets, std::int64_t& leftByUsers) {
  if (options.samplesBaskets()) {
    // Baskets: the user's lines at one time, in seq order within each.
    std::stable_sort(lines.begin(), lines.end(),
                     [](const Line& a, const Line& b) { return a.time < b.time; });
    std::vector<Line> kept;
    for (std::size_t begin = 0; begin < lines.size();) {
      std::size_t end = begin + 1;
      while (end < lines.size() && lines[begin].time != io::kNoTime &&
             lines[end].time == lines[begin].time)
        ++end;
      const double target = options.basketFraction * double(end - begin);
      auto count = std::size_t(std::floor(target));
      if (random.uniform() < target - std::floor(target)) ++count;
      std::vector<Line> basket(lines.begin() + std::ptrdiff_t(begin),
                               lines.begin() + std::ptrdiff_t(end));
      keepDrawn(basket, count, random);
      kept.insert(kept.end(), basket.begin(), basket.end());
      begin = end;
    }
    leftByBaskets += std::int64_t(lines.size() - kept.size());
    std::sort(kept.begin(), kept.end(), [](const Line& a, const Line& b) { return a.seq < b.seq; });
    lines = std::move(kept);
  }
  if (options.thinsUsers() && !lines.empty()) {
    const auto span =
        std::uint64_t(options.linesPerUserMax) - std::uint64_t(options.linesPerUserMin) + 1;
    const auto count = std::size_t(options.linesPerUserMin) + std::size_t(random.below(span));
    const std::size_t before = lines.size();
    keepDrawn(lines, count, random);
    leftByUsers += std::int64_t(before - lines.size());
  }
}

struct Sample {
  std::vector<Line> kept;  ///< in the source's line order
  std::int64_t read = 0, leftByBaskets = 0, leftByUsers = 0;
};

/// Streams the source's lines user by user (the table's order) and samples each user.
Outcome drawSample(Workspace& workspace, const DatasetInfo& source, Source& s,
                   const DeriveOptions& options, Sample& sample, JobObserver* observer,
                   std::stop_token stop) {
  const Random base(options.seed);
  Statement st(workspace.db(),
               "SELECT user_idx, seq, item_idx, time, event, value FROM interactions "
               "WHERE dataset_id = ?1 ORDER BY user_idx, seq");
  st.bind(1, source.id);
  std::vector<Line> lines;
  std::int64_t currentIdx = -1;
  std::uint64_t usersDone = 0;
  const auto flush = [&] {
    if (lines.empty()) return;
    SourceUser& user = s.users[std::size_t(lines.front().user)];
    Random random = base.split(std::uint64_t(currentIdx));
    sampleUser(lines, options, random, sample.leftByBaskets, sample.leftByUsers);
    user.kept += std::int64_t(lines.size());
    sample.kept.insert(sample.kept.end(), lines.begin(), lines.end());
    lines.clear();
    if (++usersDone % 1024 == 0)
      report(observer, Progress{"sampling the lines of " + source.name, usersDone,
                                std::uint64_t(s.users.size())});
  };
  const auto shapeUsers = std::int64_t(s.userAt.size()), shapeItems = std::int64_t(s.itemAt.size());
  while (st.step()) {
    const std::int64_t userIdx = st.columnInt(0);
    if (userIdx != currentIdx) {
      flush();
      if (stop.stop_requested()) return Outcome::Stopped;
      currentIdx = userIdx;
    }
    requireStoredIndex(source.id, userIdx, shapeUsers, "user index of an interaction");
    const std::int64_t itemIdx = st.columnInt(2);
    requireStoredIndex(source.id, itemIdx, shapeItems, "item index of an interaction");
    Line line;
    line.seq = st.columnInt(1);
    line.user = s.userAt[std::size_t(userIdx)];
    line.item = s.itemAt[std::size_t(itemIdx)];
    if (line.user < 0 || line.item < 0)
      throwDamaged(source.id, "has an interaction of a user or item it does not list");
    line.time = st.columnOptionalInt(3).value_or(io::kNoTime);
    const std::int64_t event = st.columnInt(4);
    requireStoredIndex(source.id, event, std::int64_t(s.eventNames.size()),
                       "event code of an interaction");
    line.event = std::int32_t(event);
    line.value = st.columnDouble(5);
    lines.push_back(line);
    ++sample.read;
  }
  flush();
  if (stop.stop_requested()) return Outcome::Stopped;
  // The source's line order; seq is unique in a dataset, the user breaks ties in a
  // hand-edited one so that the order stays total.
  std::sort(sample.kept.begin(), sample.kept.end(), [](const Line& a, const Line& b) {
    return a.seq != b.seq ? a.seq < b.seq : a.user < b.user;
  });
  return Outcome::Completed;
}

/// The import stores an event line's value as its event's weight: a merged duplicate
/// (--duplicates sum) of an event dataset would change value in the copy, so it is refused.
void requireValuesSurvive(const DatasetInfo& source, const Source& s, const Sample& sample) {
  if (s.feedback != io::Feedback::Event) return;
  for (const Line& line : sample.kept) {
    if (line.event == 0 || line.value == s.eventWeights[std::size_t(line.event)]) continue;
    throw Error(ErrorKind::Data,
                "cannot derive from '" + source.name +
                    "': a derived dataset keeps each line's value, and an event dataset's "
                    "value is its event's weight; expected value " +
                    formatNumber(s.eventWeights[std::size_t(line.event)]) + " for event '" +
                    s.eventNames[std::size_t(line.event)] + "', found " + formatNumber(line.value) +
                    " (duplicates merged at import?). Derive from an import with "
                    "--duplicates keep.");
  }
}

/// Users (kept ones), items (all), then the kept lines, so that the writer numbers users
/// and items densely in the source's order.
void emit(io::RecordSink& sink, const Source& s, const Sample& sample) {
  sink.begin(s.feedback);
  for (const SourceUser& user : s.users)
    if (user.kept > 0) sink.user({user.id, user.attributes});
  for (const SourceItem& item : s.items)
    sink.item({item.id, item.title, item.category, item.price, item.attributes});
  io::InteractionRecord r;
  for (const Line& line : sample.kept) {
    r.user = s.users[std::size_t(line.user)].id;
    r.item = s.items[std::size_t(line.item)].id;
    r.time = line.time;
    r.event = s.eventNames[std::size_t(line.event)];
    r.value = line.value;
    sink.interaction(r);
  }
  for (std::int64_t i = 0; i < sample.leftByBaskets; ++i) sink.reject(kLeftByBaskets, 0, {});
  for (std::int64_t i = 0; i < sample.leftByUsers; ++i) sink.reject(kLeftByUsers, 0, {});
}

}  // namespace

void DeriveOptions::validate() const {
  if (name.empty())
    throw Error(ErrorKind::Config, "a derived dataset needs a name, found an empty one");
  const bool keepAll = linesPerUserMin == 0 && linesPerUserMax == 0;
  if (!keepAll && (linesPerUserMin < 1 || linesPerUserMax < linesPerUserMin))
    throw Error(ErrorKind::Config,
                "lines per user: expected 1 <= A <= B (or 0-0 to keep every line), found " +
                    std::to_string(linesPerUserMin) + "-" + std::to_string(linesPerUserMax));
  if (!(basketFraction > 0.0 && basketFraction <= 1.0))
    throw Error(ErrorKind::Config,
                "basket fraction: expected a number in (0, 1] (1 keeps every line), found " +
                    formatNumber(basketFraction));
}

std::string DeriveOptions::recipe(const std::string& sourceName) const {
  // A name a shell would split or expand is quoted, so that the recipe can be run as shown.
  const bool plain =
      !sourceName.empty() && std::all_of(sourceName.begin(), sourceName.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
      });
  std::string text = "derive --dataset " + (plain ? sourceName : "'" + sourceName + "'");
  if (samplesBaskets()) text += " --basket-fraction " + formatNumber(basketFraction);
  if (thinsUsers())
    text += " --lines-per-user " + std::to_string(linesPerUserMin) + "-" +
            std::to_string(linesPerUserMax);
  return text + " --seed " + std::to_string(seed);
}

DeriveResult deriveDataset(Workspace& workspace, const DatasetInfo& given,
                           const DeriveOptions& options, JobObserver* observer,
                           std::stop_token stop) {
  options.validate();
  if (workspace.findDataset(options.name))
    throw Error(ErrorKind::Config, "a derived dataset needs a new name, found '" + options.name +
                                       "' taken by a dataset of the workspace");
  const auto found = workspace.findDataset(given.id);
  if (!found || found->name != given.name)
    throw Error(ErrorKind::Config, "cannot derive from '" + given.name +
                                       "': expected it in the workspace, found it gone");
  const DatasetInfo& source = *found;

  io::ImportOptions importOptions;
  importOptions.name = options.name;
  importOptions.maxExamplesPerReason = 0;  // a left-out line has nothing to show
  DeriveResult result;
  const auto produce = [&](io::RecordSink& sink) {
    // Read inside the import's transaction: the source cannot change under the sample.
    report(observer, Progress{"reading the catalogue of " + source.name, 0, 0});
    Source s = readCatalogue(workspace, source);
    Sample sample;
    if (drawSample(workspace, source, s, options, sample, observer, stop) == Outcome::Stopped)
      return Outcome::Stopped;
    if (sample.kept.empty())
      throw Error(ErrorKind::Data,
                  "the sample of '" + source.name + "' keeps no line: expected at least one of " +
                      std::to_string(sample.read) + " lines to be drawn with " +
                      options.recipe(source.name) + ", found none; try a larger fraction");
    requireValuesSurvive(source, s, sample);
    for (const SourceUser& user : s.users) result.droppedUsers += user.kept == 0 ? 1 : 0;
    report(observer, Progress{"writing " + options.name, 0, 0});
    emit(sink, s, sample);
    return Outcome::Completed;
  };
  // The writer stores each event's weight as the source has it.
  importOptions.eventWeights.clear();
  {
    Statement events(workspace.db(), "SELECT name, weight FROM event_types WHERE dataset_id = ?1");
    events.bind(1, source.id);
    while (events.step()) importOptions.eventWeights[events.columnText(0)] = events.columnDouble(1);
  }
  const ImportResult imported = importRecords(workspace, "derived", options.recipe(source.name),
                                              importOptions, produce, observer, stop);
  result.outcome = imported.outcome;
  if (result.outcome == Outcome::Stopped) return result;
  result.dataset = imported.dataset;
  result.report = imported.report;
  Statement items(workspace.db(), "SELECT count(*) FROM items WHERE dataset_id = ?1");
  items.bind(1, result.dataset.id);
  items.step();
  result.catalogueItems = items.columnInt(0);
  return result;
}

}  // namespace reco::storage
