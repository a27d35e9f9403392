// MovieLens: 100K (u.data, u.item, u.user, u.genre) and 1M/10M (ratings.dat, movies.dat,
// users.dat with "::" separators). Titles are Latin-1 in 100K (and in some 1M copies).

#include <filesystem>

#include "core/common/error.h"
#include "core/io/readers.h"

namespace reco::io::detail {

namespace fs = std::filesystem;

namespace {

constexpr const char* kBuiltinGenres[] = {
    "unknown",     "Action", "Adventure", "Animation", "Children's", "Comedy",  "Crime",
    "Documentary", "Drama",  "Fantasy",   "Film-Noir", "Horror",     "Musical", "Mystery",
    "Romance",     "Sci-Fi", "Thriller",  "War",       "Western"};

bool isFile(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

std::string sibling(const fs::path& file, const char* name) {
  fs::path p = file.parent_path() / name;
  return isFile(p) ? p.string() : std::string();
}

/// The first non-blank line of a file, or empty (never throws for unreadable files).
std::string firstLine(const std::string& path) {
  try {
    auto lines = headRecords(path, 1, "text");
    return lines.empty() ? std::string() : lines.front();
  } catch (const Error&) {
    return {};
  }
}

/// "196\t242\t3\t881250949": four tab-separated integers.
bool isTabRatingLine(const std::string& line) {
  auto fields = splitToStrings(line, '\t');
  if (fields.size() != 4) return false;
  for (const auto& f : fields) {
    std::int64_t v;
    if (parseInteger(f, v) != NumberStatus::Ok) return false;
  }
  return true;
}

MovieLensFiles hundredK(const fs::path& ratings) {
  MovieLensFiles files;
  files.ratings = ratings.string();
  files.items = sibling(ratings, "u.item");
  files.users = sibling(ratings, "u.user");
  files.genres = sibling(ratings, "u.genre");
  return files;
}

MovieLensFiles datFiles(const fs::path& ratings) {
  MovieLensFiles files;
  files.dat = true;
  files.ratings = ratings.string();
  files.items = sibling(ratings, "movies.dat");
  files.users = sibling(ratings, "users.dat");
  return files;
}

std::vector<std::string> readGenreNames(const std::string& path) {
  std::vector<std::string> names;
  if (path.empty()) return names;
  TextReader reader(path, "lines 'genre|index'");
  std::string_view line;
  while (reader.nextLine(line)) {
    auto fields = splitToStrings(line, '|');
    std::int64_t index;
    if (fields.size() != 2 || parseInteger(fields[1], index) != NumberStatus::Ok || index < 0 ||
        index > 1000)
      continue;
    if (names.size() <= static_cast<std::size_t>(index)) names.resize(index + 1);
    names[index] = fields[0];
  }
  return names;
}

Outcome readUsers(const MovieLensFiles& files, ReadContext& ctx) {
  const char* expected = files.dat ? "lines 'UserID::Gender::Age::Occupation::Zip-code'"
                                   : "lines 'user id|age|gender|occupation|zip code'";
  TextReader reader(files.users, expected);
  ctx.beginFile(reader);
  FieldSplitter f;
  FieldCountGuard guard(files.users, 5, files.dat ? "'::'" : "'|'");
  UserRecord user;
  std::string_view line;
  // 100K: id|age|gender|occupation|zip; 1M: id::gender::age::occupation::zip.
  const int age = files.dat ? 2 : 1, gender = files.dat ? 1 : 2;
  while (reader.nextLine(line)) {
    if (trim(line).empty()) continue;
    if (!ctx.tick(reader)) return Outcome::Stopped;
    std::size_t n = files.dat ? f.split(line, std::string_view("::")) : f.split(line, '|');
    if (!guard.check(n, reader.line())) {
      ctx.sink.reject("wrong number of fields", reader.line(), line);
      continue;
    }
    user.id = trim(f[0]);
    if (user.id.empty()) {
      ctx.sink.reject("no user id", reader.line(), line);
      continue;
    }
    user.attributes.clear();
    const std::pair<const char*, int> keys[] = {
        {"age", age}, {"gender", gender}, {"occupation", 3}, {"zip", 4}};
    for (auto [key, index] : keys) {
      std::string_view value = trim(f[index]);
      if (!value.empty()) user.attributes.emplace_back(key, std::string(value));
    }
    ctx.sink.user(user);
  }
  guard.finish();
  ctx.endFile(reader);
  return Outcome::Completed;
}

Outcome readItems(const MovieLensFiles& files, ReadContext& ctx) {
  const char* expected =
      files.dat ? "lines 'MovieID::Title::Genres'"
                : "lines 'movie id|title|release date|video release date|IMDb URL|19 genre flags'";
  std::vector<std::string> genres;
  if (!files.dat) {
    genres = readGenreNames(files.genres);
    if (genres.size() != 19) genres.assign(std::begin(kBuiltinGenres), std::end(kBuiltinGenres));
  }
  const std::size_t expectedFields = files.dat ? 3 : 5 + genres.size();
  TextReader reader(files.items, expected);
  ctx.beginFile(reader);
  FieldSplitter f;
  FieldCountGuard guard(files.items, expectedFields, files.dat ? "'::'" : "'|'");
  ItemRecord item;
  std::string utf8, genreList;
  std::string_view raw;
  while (reader.nextLine(raw)) {
    if (trim(raw).empty()) continue;
    if (!ctx.tick(reader)) return Outcome::Stopped;
    std::string_view line = ensureUtf8(raw, utf8);
    std::size_t n = files.dat ? f.split(line, std::string_view("::")) : f.split(line, '|');
    if (!guard.check(n, reader.line())) {
      ctx.sink.reject("wrong number of fields", reader.line(), line);
      continue;
    }
    item.id = trim(f[0]);
    if (item.id.empty()) {
      ctx.sink.reject("no item id", reader.line(), line);
      continue;
    }
    item.title = trim(f[1]);
    item.attributes.clear();
    genreList.clear();
    if (files.dat) {
      std::string_view list = trim(f[2]);
      if (list == "(no genres listed)") list = {};
      genreList.assign(list);
      item.category = list.substr(0, list.find('|'));
    } else {
      item.category = {};
      for (std::size_t g = 0; g < genres.size(); ++g) {
        if (trim(f[5 + g]) != "1") continue;
        if (item.category.empty()) item.category = genres[g];
        if (!genreList.empty()) genreList += '|';
        genreList += genres[g];
      }
    }
    if (!genreList.empty()) item.attributes.emplace_back("genres", genreList);
    if (!files.dat) {
      if (!trim(f[2]).empty())
        item.attributes.emplace_back("release_date", std::string(trim(f[2])));
      if (!trim(f[4]).empty()) item.attributes.emplace_back("imdb_url", std::string(trim(f[4])));
    }
    ctx.sink.item(item);
  }
  guard.finish();
  ctx.endFile(reader);
  return Outcome::Completed;
}

Outcome readRatings(const MovieLensFiles& files, ReadContext& ctx) {
  const std::string& path = files.ratings;
  TextReader reader(path, files.dat ? "lines 'UserID::MovieID::Rating::Timestamp'"
                                    : "tab-separated lines 'user id, item id, rating, timestamp'");
  ctx.beginFile(reader);
  FieldSplitter f;
  FieldCountGuard guard(path, 4, files.dat ? "'::'" : "tab");
  RecordSink& sink = ctx.sink;
  InteractionRecord r;
  std::string_view line;
  while (reader.nextLine(line)) {
    if (!ctx.tick(reader)) return Outcome::Stopped;
    if (line.empty()) continue;
    const std::size_t number = reader.line();
    std::size_t n = files.dat ? f.split(line, std::string_view("::")) : f.split(line, '\t');
    if (!guard.check(n, number)) {
      sink.reject("wrong number of fields", number, line);
      continue;
    }
    r.line = number;
    r.user = trim(f[0]);
    r.item = trim(f[1]);
    if (r.user.empty()) {
      sink.reject("no user id", number, line);
      continue;
    }
    if (r.item.empty()) {
      sink.reject("no item id", number, line);
      continue;
    }
    NumberStatus s = parseReal(f[2], r.value);
    if (s != NumberStatus::Ok) {
      sink.reject(s == NumberStatus::OutOfRange ? "rating out of range" : "bad rating", number,
                  line);
      continue;
    }
    s = parseInteger(f[3], r.time);
    if (s != NumberStatus::Ok) {
      sink.reject(s == NumberStatus::OutOfRange ? "timestamp out of range" : "bad timestamp",
                  number, line);
      continue;
    }
    sink.interaction(r);
  }
  guard.finish();
  ctx.endFile(reader);
  return Outcome::Completed;
}

}  // namespace

MovieLensFiles locateMovieLens(const std::string& path) {
  std::error_code ec;
  fs::path p(path);
  if (fs::is_directory(p, ec)) {
    if (isFile(p / "u.data")) return hundredK(p / "u.data");
    if (isFile(p / "ratings.dat")) return datFiles(p / "ratings.dat");
    return {};
  }
  if (!isFile(p)) return {};
  std::string name = p.filename().string();
  if (name == "u.data") return hundredK(p);
  std::string first = firstLine(path);
  if (first.find("::") != std::string::npos &&
      (name == "ratings.dat" || !sibling(p, "movies.dat").empty()))
    return datFiles(p);
  // u1.base, ua.test...: the 100K layout beside a u.item.
  if (!sibling(p, "u.item").empty() && isTabRatingLine(first)) return hundredK(p);
  return {};
}

Outcome readMovieLens(const MovieLensFiles& files, ReadContext& ctx) {
  if (!files.users.empty() && readUsers(files, ctx) == Outcome::Stopped) return Outcome::Stopped;
  if (!files.items.empty() && readItems(files, ctx) == Outcome::Stopped) return Outcome::Stopped;
  return readRatings(files, ctx);
}

}  // namespace reco::io::detail
