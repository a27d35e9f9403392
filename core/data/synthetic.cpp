#include "core/data/synthetic.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "core/common/error.h"
#include "core/data/synthetic_detail.h"

namespace reco::data {

using detail::AliasTable;
using detail::Random;

namespace {

constexpr std::int64_t kSecondsPerDay = 86400;

std::string shortest(double value) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

void requireRange(bool ok, const char* option, const std::string& limit, const std::string& found) {
  if (!ok)
    throw Error(ErrorKind::Config, std::string("synthetic shop: ") + option + " must be " + limit +
                                       ", found " + found);
}

// Time of day (0..23, the shop's clock is UTC) -> relative traffic: quiet nights, an
// evening peak.
constexpr std::array<double, 24> kHourWeight{0.35, 0.2,  0.12, 0.08, 0.07, 0.1, 0.25, 0.5,
                                             0.75, 0.9,  1.0,  1.05, 1.15, 1.1, 1.0,  1.0,
                                             1.05, 1.15, 1.3,  1.5,  1.65, 1.6, 1.2,  0.7};
// Day of the week, Sunday first: weekends are busier.
constexpr std::array<double, 7> kWeekdayWeight{1.15, 0.95, 0.93, 0.95, 1.0, 1.05, 1.2};

/// The shop's traffic over the period as a cumulative distribution over hourly bins, and
/// its inverse: a position in [0, 1] of the traffic mass -> a Unix time.
class TrafficClock {
 public:
  TrafficClock(std::int64_t start, std::int64_t end, Random& random) : start_(start), end_(end) {
    const std::int64_t bins = (end - start + 3599) / 3600;
    cumulative_.resize(std::size_t(bins) + 1, 0.0);
    std::int64_t lastDay = INT64_MIN;
    double dayNoise = 1.0;
    for (std::int64_t b = 0; b < bins; ++b) {
      const std::int64_t t = start + b * 3600;
      const std::int64_t length = std::min<std::int64_t>(3600, end - t);
      const std::int64_t day = detail::floorDiv(t, kSecondsPerDay);
      if (day != lastDay) {
        lastDay = day;
        dayNoise = random.logNormal(1.0, 0.12);
      }
      const detail::CivilDate date = detail::civilFromDays(day);
      double season = 1.0;
      if (date.month == 11 && date.day >= 24) season = 1.6;   // Black Friday week
      if (date.month == 12 && date.day <= 20) season = 1.35;  // gifts
      const double trend = 1.0 + 0.25 * double(t - start) / double(end - start);
      const auto hour = std::size_t((t - day * kSecondsPerDay) / 3600);
      const auto weekday = std::size_t(((day + 4) % 7 + 7) % 7);  // 1970-01-01 was a Thursday
      const double w = kHourWeight[hour] * kWeekdayWeight[weekday] * season * trend * dayNoise *
                       double(length) / 3600.0;
      cumulative_[std::size_t(b) + 1] = cumulative_[std::size_t(b)] + w;
    }
    const double total = cumulative_.back();
    for (double& c : cumulative_) c /= total;
    cumulative_.back() = 1.0;
  }

  /// Monotone: a larger mass never gives an earlier time. Always in [start, end).
  std::int64_t timeAt(double mass) const {
    const auto it = std::upper_bound(cumulative_.begin() + 1, cumulative_.end(), mass);
    const auto b = std::size_t(std::min<std::ptrdiff_t>(it - cumulative_.begin(),
                                                        std::ptrdiff_t(cumulative_.size()) - 1)) -
                   1;
    const double inBin = cumulative_[b + 1] - cumulative_[b];
    const double fraction = inBin > 0 ? std::clamp((mass - cumulative_[b]) / inBin, 0.0, 1.0) : 0.0;
    const std::int64_t binStart = start_ + std::int64_t(b) * 3600;
    const std::int64_t length = std::min<std::int64_t>(3600, end_ - binStart);
    return std::min(end_ - 1, binStart + std::int64_t(fraction * double(length)));
  }

 private:
  std::int64_t start_, end_;
  std::vector<double> cumulative_;
};

// Funnel behaviour within a session (per event step).
constexpr double kCheckoutChance = 0.4;  // a pending cart item is bought now
constexpr double kCartChance = 0.11;     // the item just viewed goes to the cart
constexpr double kBuyNowChance = 0.004;  // bought straight from a view
constexpr double kRevisitChance = 0.18;  // a view returns to an item seen this session
constexpr double kInLeafChance = 0.78;   // otherwise: the session's leaf category...
constexpr double kInTopChance = 0.95;    // ...its top category, or anything popular
constexpr double kExploreChance = 0.1;   // a session outside the user's tastes

constexpr std::string_view kView = "view";
constexpr std::string_view kCart = "cart";
constexpr std::string_view kPurchase = "purchase";

/// Streams the events of all users into the sink.
class ShopSimulator {
 public:
  ShopSimulator(const SyntheticOptions& options, const detail::Catalog& catalog,
                io::RecordSink& sink, JobObserver* observer, std::stop_token stop)
      : options_(options),
        catalog_(catalog),
        sink_(sink),
        observer_(observer),
        stop_(std::move(stop)),
        random_(detail::mixSeed(options.seed ^ 0x5E55104Eull)),
        clock_(options.start, options.end(), random_),
        end_(options.end()) {
    std::vector<double> shares;
    for (const auto& top : catalog_.tops) {
      shares.push_back(top.share);
      shareSum_ += top.share;
    }
    topByShare_ = AliasTable(shares);
    taste_.resize(catalog_.tops.size());
    userWidth_ = 5;
    for (std::int64_t m = options.users; m >= 100000; m /= 10) ++userWidth_;
  }

  Outcome run() {
    const auto total = std::uint64_t(options_.interactions);
    const auto users = std::uint64_t(options_.users);
    // Every user gets one event when there are enough; the rest is shared in proportion
    // to a log-normal activity, rounded systematically so the counts add up exactly.
    // The activity stream is replayed, so no per-user array is needed.
    const std::uint64_t base = total >= users ? 1 : 0;
    const std::uint64_t rest = total - base * users;
    const std::uint64_t activitySeed = detail::mixSeed(options_.seed ^ 0xAC71F17Eull);
    double weightSum = 0;
    {
      Random activity(activitySeed);
      for (std::uint64_t u = 0; u < users; ++u) {
        weightSum += activity.logNormal(1.0, options_.activitySpread);
        if ((u & 0xFFFF) == 0xFFFF && stop_.stop_requested()) return Outcome::Stopped;
      }
    }
    Random activity(activitySeed);
    const double offset = random_.uniform();
    const double scale = double(rest) / weightSum;
    double cumulative = 0;
    std::uint64_t assigned = 0;  // of `rest`
    for (std::uint64_t u = 0; u < users; ++u) {
      cumulative += activity.logNormal(1.0, options_.activitySpread) * scale;
      std::uint64_t share = 0;
      if (u + 1 == users) {
        share = rest - assigned;
      } else {
        const auto target =
            std::min(rest, std::uint64_t(std::max(0.0, std::floor(cumulative + offset))));
        share = target > assigned ? target - assigned : 0;
      }
      assigned += share;
      // Users without events cost no check below; many of them must not delay a stop.
      if ((u & 0xFFFF) == 0xFFFF && stop_.stop_requested()) return Outcome::Stopped;
      if (simulateUser(u, base + share) == Outcome::Stopped) return Outcome::Stopped;
    }
    report(observer_, Progress{"generating", done_, total});
    return Outcome::Completed;
  }

 private:
  Outcome simulateUser(std::uint64_t user, std::uint64_t events) {
    if (events == 0) return Outcome::Completed;
    userId_ = std::to_string(user + 1);
    if (int(userId_.size()) < userWidth_)
      userId_.insert(0, std::size_t(userWidth_) - userId_.size(), '0');
    userId_.insert(0, 1, 'U');

    // Tastes: a Dirichlet over the top categories with a small alpha puts most of the
    // mass on one to three of them.
    double sum = 0;
    for (std::size_t t = 0; t < taste_.size(); ++t) {
      const double share = catalog_.tops[t].share / shareSum_;
      taste_[t] = share > 0
                      ? random_.gamma(options_.tasteConcentration * double(taste_.size()) * share)
                      : 0.0;
      sum += taste_[t];
    }
    for (std::size_t t = 0; t < taste_.size(); ++t)
      taste_[t] = sum > 0 ? taste_[t] / sum : catalog_.tops[t].share / shareSum_;

    // Active over the whole period, or joined late, or churned early (in traffic mass).
    double windowStart = 0, windowWidth = 1;
    const double lifetime = random_.uniform();
    if (lifetime < 0.3) {
      windowStart = 0.85 * random_.uniform();
      windowWidth = 1.0 - windowStart;
    } else if (lifetime < 0.6) {
      windowWidth = 0.15 + 0.85 * random_.uniform();
    }
    const double perSession = 1.0 + random_.logNormal(3.5, 0.5);
    const std::uint64_t sessions = std::clamp<std::uint64_t>(
        std::uint64_t(double(events) / perSession + random_.uniform()), 1, events);

    // Session starts are sorted uniforms (generated in order) mapped through the traffic
    // clock, so they come out in time order without being stored.
    double position = 0;
    std::int64_t last = INT64_MIN;
    std::uint64_t left = events;
    for (std::uint64_t s = 0; s < sessions; ++s) {
      const double remainingSessions = double(sessions - s);
      position = 1.0 - (1.0 - position) * detail::portableExp(logOfUniform() / remainingSessions);
      const std::int64_t start = clock_.timeAt(windowStart + windowWidth * position);
      std::uint64_t length = left;
      if (s + 1 < sessions) {
        const double mean = double(left) / remainingSessions;
        length = 1 + std::uint64_t(std::llround(random_.exponential(std::max(0.0, mean - 1.0))));
        length = std::min(length, left - (sessions - s - 1));
      }
      if (simulateSession(std::max(start, last == INT64_MIN ? start : last + 60), length, last) ==
          Outcome::Stopped)
        return Outcome::Stopped;
      left -= length;
    }
    return Outcome::Completed;
  }

  double logOfUniform() { return detail::portableLog(random_.uniformPositive()); }

  std::uint32_t pickTop() {
    if (random_.chance(kExploreChance)) return topByShare_.sample(random_);
    double u = random_.uniform();
    for (std::size_t t = 0; t < taste_.size(); ++t) {
      if (u < taste_[t] && catalog_.tops[t].share > 0) return std::uint32_t(t);
      u -= taste_[t];
    }
    return topByShare_.sample(random_);
  }

  Outcome simulateSession(std::int64_t time, std::uint64_t length, std::int64_t& last) {
    const std::uint32_t topIndex = pickTop();
    const detail::CatalogTop& top = catalog_.tops[topIndex];
    const detail::CatalogLeaf& leaf =
        catalog_.leaves[top.leaves[top.leafBySessions.sample(random_)]];
    constexpr std::size_t kMemory = 8;
    std::array<std::uint32_t, kMemory> seen{};
    std::size_t seenCount = 0;
    std::array<std::uint32_t, 4> cart{};
    std::size_t cartCount = 0;
    bool lastWasView = false;
    std::uint32_t lastItem = 0;

    for (std::uint64_t e = 0; e < length; ++e) {
      std::string_view event = kView;
      std::uint32_t item = 0;
      double gap = 0;
      if (cartCount > 0 && random_.chance(kCheckoutChance)) {
        const std::size_t k = random_.below(cartCount);
        item = cart[k];
        cart[k] = cart[--cartCount];
        event = kPurchase;
        gap = random_.logNormal(70.0, 0.6);
      } else if (lastWasView && random_.chance(kCartChance)) {
        item = lastItem;
        if (cartCount == cart.size())
          cart[random_.below(cart.size())] = item;  // one abandoned
        else
          cart[cartCount++] = item;
        event = kCart;
        gap = random_.logNormal(20.0, 0.6);
      } else if (lastWasView && random_.chance(kBuyNowChance)) {
        item = lastItem;
        event = kPurchase;
        gap = random_.logNormal(60.0, 0.6);
      } else {
        const double u = random_.uniform();
        if (seenCount > 0 && u < kRevisitChance)
          item = seen[random_.below(std::min(seenCount, kMemory))];
        else if (u < kInLeafChance)
          item = leaf.items[leaf.byPopularity.sample(random_)];
        else if (u < kInTopChance)
          item = top.items[top.byPopularity.sample(random_)];
        else
          item = catalog_.byPopularity.sample(random_);
        seen[seenCount++ % kMemory] = item;
        gap = random_.logNormal(35.0, 0.8);
      }
      lastWasView = event == kView;
      lastItem = item;
      if (e > 0) time += std::int64_t(gap);
      time = std::min(std::max(time, last), end_ - 1);
      last = time;

      io::InteractionRecord record;
      record.user = userId_;
      record.item = catalog_.itemId(item);
      record.time = time;
      record.event = event;
      record.value = 1.0;
      sink_.interaction(record);
      if ((++done_ & 4095) == 0) {
        if ((done_ & 65535) == 0)
          report(observer_, Progress{"generating", done_, std::uint64_t(options_.interactions)});
        if (stop_.stop_requested()) return Outcome::Stopped;
      }
    }
    return Outcome::Completed;
  }

  const SyntheticOptions& options_;
  const detail::Catalog& catalog_;
  io::RecordSink& sink_;
  JobObserver* observer_;
  std::stop_token stop_;
  Random random_;
  TrafficClock clock_;
  std::int64_t end_;
  AliasTable topByShare_;
  double shareSum_ = 0;
  std::vector<double> taste_;
  std::string userId_;
  int userWidth_ = 5;
  std::uint64_t done_ = 0;
};

}  // namespace

void SyntheticOptions::validate() const {
  requireRange(users >= 1 && users <= 1'000'000'000, "users", "between 1 and 1000000000",
               std::to_string(users));
  requireRange(items >= 1 && items <= 10'000'000, "items", "between 1 and 10000000",
               std::to_string(items));
  requireRange(interactions >= 0 && interactions <= 100'000'000'000, "interactions",
               "between 0 and 100000000000", std::to_string(interactions));
  requireRange(months >= 1 && months <= 120, "months", "between 1 and 120", std::to_string(months));
  requireRange(start >= 0 && start < detail::daysFromCivil(9000, 1, 1) * kSecondsPerDay, "start",
               "a time between 1970 and 9000", std::to_string(start));
  requireRange(popularityExponent >= 0 && popularityExponent <= 3, "popularity exponent",
               "between 0 and 3", shortest(popularityExponent));
  requireRange(tasteConcentration > 0 && tasteConcentration <= 100, "taste concentration",
               "above 0 and at most 100", shortest(tasteConcentration));
  requireRange(activitySpread >= 0 && activitySpread <= 4, "activity spread", "between 0 and 4",
               shortest(activitySpread));
}

std::int64_t SyntheticOptions::end() const {
  const std::int64_t day = detail::floorDiv(start, kSecondsPerDay);
  const detail::CivilDate date = detail::civilFromDays(day);
  const std::int64_t monthIndex = date.year * 12 + (date.month - 1) + months;
  const std::int64_t year = detail::floorDiv(monthIndex, 12);
  const auto month = unsigned(monthIndex - year * 12 + 1);
  // Jan 31 + 1 month is the last day of February.
  const unsigned monthDays = unsigned(
      detail::daysFromCivil(month == 12 ? year + 1 : year, month == 12 ? 1 : month + 1, 1) -
      detail::daysFromCivil(year, month, 1));
  const std::int64_t endDay = detail::daysFromCivil(year, month, std::min(date.day, monthDays));
  return endDay * kSecondsPerDay + (start - day * kSecondsPerDay);
}

std::string syntheticRecipe(const SyntheticOptions& options) {
  const SyntheticOptions defaults;
  std::string recipe = "gen-synthetic --users " + std::to_string(options.users) + " --items " +
                       std::to_string(options.items) + " --interactions " +
                       std::to_string(options.interactions) + " --seed " +
                       std::to_string(options.seed) + " --months " + std::to_string(options.months);
  if (options.start != defaults.start) {
    if (options.start % kSecondsPerDay == 0) {
      const detail::CivilDate date = detail::civilFromDays(options.start / kSecondsPerDay);
      char buffer[32];
      std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02u", static_cast<long long>(date.year),
                    date.month, date.day);
      recipe += std::string(" --start ") + buffer;
    } else {
      recipe += " --start " + std::to_string(options.start);
    }
  }
  if (options.popularityExponent != defaults.popularityExponent)
    recipe += " --popularity " + shortest(options.popularityExponent);
  if (options.tasteConcentration != defaults.tasteConcentration)
    recipe += " --taste " + shortest(options.tasteConcentration);
  if (options.activitySpread != defaults.activitySpread)
    recipe += " --activity " + shortest(options.activitySpread);
  return recipe;
}

Outcome generateShop(const SyntheticOptions& options, io::RecordSink& sink, JobObserver* observer,
                     std::stop_token stop) {
  options.validate();
  Random random(detail::mixSeed(options.seed));
  report(observer, Progress{"building the catalogue", 0, std::uint64_t(options.interactions)});
  const detail::Catalog catalog =
      detail::buildCatalog(options.items, options.popularityExponent, random);
  if (stop.stop_requested()) return Outcome::Stopped;

  sink.begin(io::Feedback::Event);
  for (std::size_t i = 0; i < catalog.items.size(); ++i) {
    const detail::CatalogItem& item = catalog.items[i];
    io::ItemRecord record;
    record.id = catalog.itemId(i);
    record.title = item.title;
    record.category = catalog.leaves[item.leaf].path;
    record.price = double(item.cents) / 100.0;
    record.attributes.emplace_back("brand", std::string(item.brand));
    sink.item(record);
    if ((i & 4095) == 4095 && stop.stop_requested()) return Outcome::Stopped;
  }
  ShopSimulator simulator(options, catalog, sink, observer, std::move(stop));
  return simulator.run();
}

}  // namespace reco::data
