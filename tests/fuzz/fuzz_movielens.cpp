// A MovieLens folder, as `reco import --format movielens FOLDER` reads it. The input is
// "LAYOUT\0RATINGS\0ITEMS\0USERS\0GENRES": LAYOUT "1m" writes ratings.dat, movies.dat and
// users.dat (the "::" layout of 1M and 10M), anything else u.data, u.item, u.user and
// u.genre (100K). An empty part leaves its file out, as a user's incomplete download does.
#include "core/io/import_options.h"
#include "tests/fuzz/support.h"

namespace {

void fuzzMovieLens(reco::fuzz::Bytes input) {
  using namespace reco;
  const auto parts = fuzz::splitParts(input, 5);
  const bool dat = parts[0] == "1m";
  const char* const names100k[] = {"u.data", "u.item", "u.user", "u.genre"};
  const char* const names1m[] = {"ratings.dat", "movies.dat", "users.dat", nullptr};
  fuzz::ImportCase c;
  c.options.format = io::Format::MovieLens;
  c.folder = fuzz::freshScratchFolder();
  for (int i = 0; i < 4; ++i) {
    const char* name = dat ? names1m[i] : names100k[i];
    if (name != nullptr && !parts[i + 1].empty())
      fuzz::writeScratchFile(c.folder, name, parts[i + 1]);
  }
  c.path = c.folder;
  fuzz::checkImport(c);
}

}  // namespace

RECO_FUZZ_TARGET("movielens", fuzzMovieLens)
