// The end of an import: duplicate merging and k-core filtering in SQL (so that memory
// stays bounded by users and items), then users, items, event types, statistics and the
// report. All inside the caller's transaction.
#include <algorithm>
#include <cstdio>

#include "core/common/error.h"
#include "core/stats/dataset_stats.h"
#include "core/storage/dataset_writer.h"

namespace reco::storage {

void DatasetWriter::mergeDuplicates(JobObserver* observer) {
  reco::report(observer, Progress{"merging duplicates", 0, 0});
  // SQLite takes bare columns from the row that holds the max(): the latest event for
  // 'sum', the largest value for 'max'. 'last' is the latest by time, then by file order.
  std::string select;
  switch (options_.duplicates) {
    case io::DuplicatePolicy::Sum:
      select =
          "SELECT user_idx, seq, item_idx, max(time) AS time, event, sum(value) AS value FROM "
          "interactions "
          "WHERE dataset_id = ?1 GROUP BY user_idx, item_idx";
      break;
    case io::DuplicatePolicy::Max:
      select =
          "SELECT user_idx, seq, item_idx, time, event, max(value) AS value FROM interactions "
          "WHERE dataset_id = ?1 GROUP BY user_idx, item_idx";
      break;
    case io::DuplicatePolicy::Last:
      select =
          "SELECT user_idx, seq, item_idx, time, event, value FROM (SELECT user_idx, seq, "
          "item_idx, time, event, value, "
          "row_number() OVER (PARTITION BY user_idx, item_idx ORDER BY time DESC, seq DESC) AS rn "
          "FROM interactions WHERE dataset_id = ?1) WHERE rn = 1";
      break;
    case io::DuplicatePolicy::Keep: return;
  }
  const std::string id = std::to_string(datasetId_);
  db_.exec("DROP TABLE IF EXISTS temp.reco_merged");
  Statement create(db_, "CREATE TEMP TABLE reco_merged AS " + select);
  create.bind(1, datasetId_).run();
  const auto before = keptRows_;
  db_.exec("DELETE FROM interactions WHERE dataset_id = " + id);
  db_.exec(
      "INSERT INTO interactions(dataset_id, user_idx, seq, item_idx, time, event, value) SELECT " +
      id +
      ", user_idx, seq, item_idx, time, event, value FROM temp.reco_merged ORDER BY user_idx, seq");
  const auto after = db_.changes();
  db_.exec("DROP TABLE temp.reco_merged");
  report_.notes.push_back("duplicates (" +
                          std::string(io::duplicatePolicyName(options_.duplicates)) +
                          "): " + std::to_string(before) + " rows merged into " +
                          std::to_string(after) + " user-item pairs");
  tableRecountNeeded_ = true;
}

void DatasetWriter::filterCores(JobObserver* observer, std::stop_token stop) {
  const std::string id = std::to_string(datasetId_);
  // Counts are of distinct partners: a user's repeated views of one item count once.
  const std::string dropUsers = "DELETE FROM interactions WHERE dataset_id = " + id +
                                " AND user_idx IN (SELECT user_idx FROM interactions "
                                "WHERE dataset_id = " +
                                id + " GROUP BY user_idx HAVING count(DISTINCT item_idx) < " +
                                std::to_string(options_.minUserInteractions) + ")";
  const std::string dropItems = "DELETE FROM interactions WHERE dataset_id = " + id +
                                " AND item_idx IN (SELECT item_idx FROM interactions "
                                "WHERE dataset_id = " +
                                id + " GROUP BY item_idx HAVING count(DISTINCT user_idx) < " +
                                std::to_string(options_.minItemInteractions) + ")";
  for (int pass = 1;; ++pass) {
    if (stop.stop_requested()) return;
    reco::report(observer, Progress{"k-core filtering, pass " + std::to_string(pass), 0, 0});
    int removedByUsers = 0, removedByItems = 0;
    if (options_.minUserInteractions > 1) {
      db_.exec(dropUsers);
      removedByUsers = db_.changes();
    }
    if (options_.minItemInteractions > 1) {
      db_.exec(dropItems);
      removedByItems = db_.changes();
    }
    if (removedByUsers + removedByItems == 0) {
      report_.notes.push_back("k-core (users >= " + std::to_string(options_.minUserInteractions) +
                              " items, items >= " + std::to_string(options_.minItemInteractions) +
                              " users): stable after pass " + std::to_string(pass));
      break;
    }
    report_.notes.push_back("k-core pass " + std::to_string(pass) + ": removed " +
                            std::to_string(removedByUsers) + " interactions of sparse users and " +
                            std::to_string(removedByItems) + " of sparse items");
    tableRecountNeeded_ = true;
  }
}

void DatasetWriter::recountFromTable() {
  std::fill(userCounts_.begin(), userCounts_.end(), 0);
  std::fill(itemCounts_.begin(), itemCounts_.end(), 0);
  std::fill(eventCounts_.begin(), eventCounts_.end(), 0);
  const std::string id = std::to_string(datasetId_);
  Statement users(db_, "SELECT user_idx, count(*) FROM interactions WHERE dataset_id = " + id +
                           " GROUP BY user_idx");
  while (users.step()) userCounts_[std::size_t(users.columnInt(0))] = users.columnInt(1);
  Statement items(db_, "SELECT item_idx, count(*) FROM interactions WHERE dataset_id = " + id +
                           " GROUP BY item_idx");
  while (items.step()) itemCounts_[std::size_t(items.columnInt(0))] = items.columnInt(1);
  Statement events(db_, "SELECT event, count(*) FROM interactions WHERE dataset_id = " + id +
                            " AND event > 0 GROUP BY event");
  while (events.step()) eventCounts_[std::size_t(events.columnInt(0) - 1)] = events.columnInt(1);
  Statement totals(
      db_, "SELECT count(*), min(time), max(time) FROM interactions WHERE dataset_id = " + id);
  totals.step();
  keptRows_ = totals.columnInt(0);
  minTime_ = totals.columnOptionalInt(1).value_or(INT64_MAX);
  maxTime_ = totals.columnOptionalInt(2).value_or(INT64_MIN);
}

void DatasetWriter::writeUsersAndItems() {
  Statement user(
      db_,
      "INSERT INTO users(dataset_id, idx, external_id, n_interactions) VALUES (?1, ?2, ?3, ?4)");
  Statement userAttr(
      db_, "INSERT INTO user_attributes(dataset_id, user_idx, key, value) VALUES (?1, ?2, ?3, ?4)");
  for (std::size_t u = 0; u < users_.size(); ++u) {
    if (userCounts_[u] == 0) continue;  // users whose every row was filtered out
    user.bind(1, datasetId_)
        .bind(2, std::int64_t(u))
        .bind(3, users_.externalId(std::int32_t(u)))
        .bind(4, userCounts_[u])
        .run();
    for (const auto& [key, value] : userAttributes_[u])
      userAttr.bind(1, datasetId_).bind(2, std::int64_t(u)).bind(3, key).bind(4, value).run();
  }
  // Catalogue items without interactions stay (new items for cold start) unless the user
  // asked for an item k-core.
  const bool keepUnused = options_.minItemInteractions <= 1;
  Statement item(
      db_,
      "INSERT INTO items(dataset_id, idx, external_id, title, category, price, n_interactions) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  Statement itemAttr(
      db_, "INSERT INTO item_attributes(dataset_id, item_idx, key, value) VALUES (?1, ?2, ?3, ?4)");
  for (std::size_t i = 0; i < items_.size(); ++i) {
    if (itemCounts_[i] == 0 && !keepUnused) continue;
    const ItemMeta& meta = itemMeta_[i];
    item.bind(1, datasetId_)
        .bind(2, std::int64_t(i))
        .bind(3, items_.externalId(std::int32_t(i)))
        .bind(4, meta.title)
        .bind(5, meta.category)
        .bind(6, meta.price)
        .bind(7, itemCounts_[i])
        .run();
    for (const auto& [key, value] : meta.attributes)
      itemAttr.bind(1, datasetId_).bind(2, std::int64_t(i)).bind(3, key).bind(4, value).run();
  }
  Statement event(db_,
                  "INSERT INTO event_types(dataset_id, code, name, weight, n_interactions) VALUES "
                  "(?1, ?2, ?3, ?4, ?5)");
  for (std::size_t e = 0; e < eventNames_.size(); ++e)
    event.bind(1, datasetId_)
        .bind(2, std::int64_t(e + 1))
        .bind(3, eventNames_[e])
        .bind(4, eventWeights_[e])
        .bind(5, eventCounts_[e])
        .run();
}

void DatasetWriter::writeStatsAndReport(double seconds) {
  std::vector<std::int64_t> perUser, perItem;
  for (const auto c : userCounts_)
    if (c > 0) perUser.push_back(c);
  for (const auto c : itemCounts_)
    if (c > 0) perItem.push_back(c);
  const auto nUsers = std::int64_t(perUser.size());
  const auto nItems = std::int64_t(perItem.size());
  const CountSummary userSummary = summarizeCounts(perUser);
  const CountSummary itemSummary = summarizeCounts(perItem);

  Statement stat(db_, "INSERT INTO dataset_stats(dataset_id, key, value) VALUES (?1, ?2, ?3)");
  auto put = [&](const std::string& prefix, const CountSummary& s) {
    const std::pair<const char*, double> values[] = {
        {"min", s.min}, {"q25", s.q25}, {"median", s.median}, {"q75", s.q75},
        {"q90", s.q90}, {"q99", s.q99}, {"max", s.max},       {"mean", s.mean}};
    for (const auto& [key, v] : values)
      stat.bind(1, datasetId_).bind(2, prefix + key).bind(3, v).run();
  };
  put("user.", userSummary);
  put("item.", itemSummary);

  // The content hash covers the kept rows and the post-processing that shaped them.
  const std::string post = std::string(io::duplicatePolicyName(options_.duplicates)) + "/" +
                           std::to_string(options_.minUserInteractions) + "/" +
                           std::to_string(options_.minItemInteractions);
  mixHash(post.data(), post.size());
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash_));

  Statement update(db_,
                   "UPDATE datasets SET n_users = ?1, n_items = ?2, n_interactions = ?3, "
                   "first_time = ?4, last_time = ?5, "
                   "content_hash = ?6 WHERE id = ?7");
  update.bind(1, nUsers).bind(2, nItems).bind(3, keptRows_);
  if (minTime_ <= maxTime_) {
    update.bind(4, minTime_).bind(5, maxTime_);
  } else {
    update.bindNull(4).bindNull(5);
  }
  update.bind(6, std::string_view(hex)).bind(7, datasetId_).run();

  report_.rowsKept = keptRows_;
  report_.seconds = seconds;
  std::string notes;
  for (const auto& n : report_.notes) notes += n + "\n";
  Statement rep(db_,
                "INSERT INTO import_reports(dataset_id, rows_read, rows_kept, seconds, notes) "
                "VALUES (?1, ?2, ?3, ?4, ?5)");
  rep.bind(1, datasetId_)
      .bind(2, report_.rowsRead)
      .bind(3, report_.rowsKept)
      .bind(4, seconds)
      .bind(5, notes)
      .run();
  Statement reason(db_,
                   "INSERT INTO import_rejections(dataset_id, reason, count) VALUES (?1, ?2, ?3)");
  Statement example(db_,
                    "INSERT INTO import_examples(dataset_id, reason, file, line, text) VALUES (?1, "
                    "?2, ?3, ?4, ?5)");
  report_.rejected.clear();
  for (const auto& [name, tally] : rejections_) {
    reason.bind(1, datasetId_).bind(2, name).bind(3, tally.count).run();
    for (const auto& ex : tally.examples)
      example.bind(1, datasetId_)
          .bind(2, name)
          .bind(3, ex.file)
          .bind(4, std::int64_t(ex.line))
          .bind(5, ex.text)
          .run();
    report_.rejected.push_back({name, tally.count, tally.examples});
  }
  std::sort(report_.rejected.begin(), report_.rejected.end(), [](const auto& a, const auto& b) {
    return a.count != b.count ? a.count > b.count : a.reason < b.reason;
  });
}

Outcome DatasetWriter::finish(JobObserver* observer, std::stop_token stop,
                              std::chrono::steady_clock::time_point started) {
  flushPending();
  if (options_.duplicates != io::DuplicatePolicy::Keep) mergeDuplicates(observer);
  if (stop.stop_requested()) return Outcome::Stopped;
  if (options_.minUserInteractions > 1 || options_.minItemInteractions > 1)
    filterCores(observer, stop);
  if (stop.stop_requested()) return Outcome::Stopped;
  if (tableRecountNeeded_) recountFromTable();
  if (keptRows_ == 0) {
    std::string why;
    for (const auto& [name, tally] : rejections_) {
      why += "\n  " + std::to_string(tally.count) + " x " + name;
      if (!tally.examples.empty()) {
        const auto& ex = tally.examples.front();
        why += " (first at " + describeLocation(ex.file, ex.line) + ": " + ex.text.substr(0, 120) +
               ")";
      }
    }
    const std::string file = currentFile_.empty() ? std::string("the input") : currentFile_;
    std::string found;
    if (report_.rowsRead == 0) {
      found = "no data rows in " + file + " (it holds only a header line or blank lines)";
    } else if (why.empty()) {
      found = std::to_string(report_.rowsRead) + " rows read from " + file +
              ", none rejected, but the k-core filter (users >= " +
              std::to_string(options_.minUserInteractions) +
              ", items >= " + std::to_string(options_.minItemInteractions) +
              " interactions) removed every row";
    } else {
      const bool cores = options_.minUserInteractions > 1 || options_.minItemInteractions > 1;
      found = std::to_string(report_.rowsRead) + " rows read from " + file + ", none usable" +
              (cores ? " (the k-core filter removed the rows that were not rejected)" : "") + ":" +
              why;
    }
    throw Error(ErrorKind::Data,
                "no interaction could be imported: expected at least one usable row, found " +
                    found + "\nThe workspace was left unchanged.");
  }
  if (latin1Texts_ > 0)
    addNote(std::to_string(latin1Texts_) +
            " texts (ids, titles, categories or attributes) were not valid UTF-8 "
            "and were read as Latin-1 (ISO-8859-1)");
  reco::report(observer, Progress{"writing users, items and statistics", 0, 0});
  writeUsersAndItems();
  writeStatsAndReport(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  return Outcome::Completed;
}

}  // namespace reco::storage
