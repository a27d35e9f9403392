#pragma once
/// Internals of the synthetic shop generator (synthetic.cpp, synthetic_catalog.cpp); not a
/// public API. Everything here is portable bit for bit: std::mt19937_64's output is fixed
/// by the standard, and the distributions and exp/log below use only IEEE basic operations
/// (+ - * / sqrt, exact frexp/ldexp/floor), never libm's transcendentals, which differ
/// between C libraries in the last bit.

// Fused multiply-add contraction would change results between targets with and without
// FMA (x86-64 baseline has none, AArch64 has it), so it is off in every file that
// includes this header (first among the project headers).
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

#include <array>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace reco::data::detail {

inline constexpr double kLn2Hi = 6.93147180369123816490e-01;  // low bits zero: k * hi exact
inline constexpr double kLn2Lo = 1.90821492927058770002e-10;
inline constexpr double kInvLn2 = 1.44269504088896338700e+00;

/// e^x to about 1 ulp; 0 below -745, +inf above 709.78.
double portableExp(double x);
/// Natural logarithm to about 1 ulp for finite x > 0; -inf for 0, NaN below.
double portableLog(double x);

/// One seeded stream with the distributions the generator needs.
class Random {
 public:
  explicit Random(std::uint64_t seed) : engine_(seed) {}

  std::uint64_t bits() { return engine_(); }
  /// Uniform in [0, 1), 53 random bits.
  double uniform() { return double(engine_() >> 11) * 0x1.0p-53; }
  /// Uniform in (0, 1].
  double uniformPositive() { return double((engine_() >> 11) + 1) * 0x1.0p-53; }
  /// Uniform integer in [0, n) for n >= 1, unbiased.
  std::uint64_t below(std::uint64_t n) {
    if (n <= 0xFFFFFFFFull) return std::uint64_t(below32(std::uint32_t(n), engine_()));
    const std::uint64_t limit = (0 - n) % n;  // 2^64 mod n: reject the short last block
    for (;;) {
      const std::uint64_t r = engine_();
      if (r >= limit) return r % n;
    }
  }
  /// [0, n) from the high 32 bits of `r` (Lemire's multiply-shift, rejection keeps it
  /// unbiased; a rejection draws afresh). The low 32 bits of the last r drawn are left in
  /// `lowBits` for the caller.
  std::uint32_t below32(std::uint32_t n, std::uint64_t r, std::uint32_t* lowBits = nullptr) {
    std::uint64_t m = (r >> 32) * n;
    if (std::uint32_t(m) < n) {
      const std::uint32_t threshold = (0u - n) % n;
      while (std::uint32_t(m) < threshold) {
        r = engine_();
        m = (r >> 32) * n;
      }
    }
    if (lowBits) *lowBits = std::uint32_t(r);
    return std::uint32_t(m >> 32);
  }
  bool chance(double p) { return uniform() < p; }
  /// Standard normal (Marsaglia's polar method; keeps the spare value).
  double normal();
  /// median * e^(sigma * N(0,1)).
  double logNormal(double median, double sigma) { return median * portableExp(sigma * normal()); }
  /// Exponential with the given mean.
  double exponential(double mean) { return -mean * portableLog(uniformPositive()); }
  /// Gamma(shape, 1) for shape > 0 (Marsaglia and Tsang; shape < 1 boosted by U^(1/shape)).
  double gamma(double shape);

 private:
  std::mt19937_64 engine_;
  double spare_ = 0;
  bool hasSpare_ = false;
};

/// Walker/Vose alias table: O(n) to build, O(1) to sample index i with probability
/// weight[i] / sum (to 2^-32). Weights must be >= 0 with a positive sum; n < 2^32.
class AliasTable {
 public:
  AliasTable() = default;
  explicit AliasTable(const std::vector<double>& weights);
  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  /// One 64-bit draw (rarely more): the high half picks the column, the low half the coin.
  std::uint32_t sample(Random& random) const {
    std::uint32_t coin = 0;
    const std::uint32_t i = random.below32(std::uint32_t(entries_.size()), random.bits(), &coin);
    const Entry& entry = entries_[i];
    return coin < entry.threshold ? i : entry.alias;
  }

 private:
  struct Entry {
    std::uint32_t
        threshold;  ///< keep i when the coin is below; entries kept always alias themselves
    std::uint32_t alias;
  };
  std::vector<Entry> entries_;
};

/// splitmix64, to derive independent seeds for separate streams from one seed.
inline std::uint64_t mixSeed(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
std::int64_t daysFromCivil(std::int64_t year, unsigned month, unsigned day);
struct CivilDate {
  std::int64_t year;
  unsigned month;  ///< 1..12
  unsigned day;    ///< 1..31
};
CivilDate civilFromDays(std::int64_t days);
inline std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

// ---- the catalogue (synthetic_catalog.cpp) ----

struct CatalogItem {
  std::string title;
  std::uint32_t leaf = 0;
  std::int64_t cents = 0;
  std::string_view brand;
};

struct CatalogLeaf {
  std::uint32_t top = 0;
  std::string path;                  ///< "Electronics > Headphones"
  std::vector<std::uint32_t> items;  ///< item indices
  AliasTable byPopularity;           ///< over `items`
  double sessionWeight = 0;          ///< share of its top's sessions; 0 when empty
};

struct CatalogTop {
  std::string name;
  std::vector<std::uint32_t> leaves;  ///< non-empty leaves
  AliasTable leafBySessions;          ///< over `leaves`
  std::vector<std::uint32_t> items;
  AliasTable byPopularity;  ///< over `items`
  double share = 0;         ///< base share of sessions; 0 when it has no items
};

struct Catalog {
  std::vector<CatalogItem> items;
  std::string idPool;  ///< every item id ("P0001"), all of one width, back to back
  std::size_t idWidth = 0;
  /// Kept apart from `items` so that the hot loop touches a small array.
  std::string_view itemId(std::size_t index) const {
    return {idPool.data() + index * idWidth, idWidth};
  }
  std::vector<CatalogLeaf> leaves;
  std::vector<CatalogTop> tops;
  AliasTable byPopularity;  ///< over all items
};

/// Builds the category tree, the items (leaf, title, brand, price) and the popularity
/// tables, drawing from `random` in a fixed order. O(items) time and memory.
Catalog buildCatalog(std::int64_t items, double popularityExponent, Random& random);

}  // namespace reco::data::detail
