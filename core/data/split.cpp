#include "core/data/split.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/common/error.h"
#include "core/common/json.h"
#include "core/common/number_text.h"
#include "core/common/random.h"

namespace reco {

const char* splitProtocolName(SplitProtocol protocol) {
  switch (protocol) {
    case SplitProtocol::Random: return "random";
    case SplitProtocol::Temporal: return "temporal";
    case SplitProtocol::LeaveLast: return "leave-last";
  }
  return "random";
}

SplitProtocol parseSplitProtocol(const std::string& text) {
  if (text == "random") return SplitProtocol::Random;
  if (text == "temporal") return SplitProtocol::Temporal;
  if (text == "leave-last") return SplitProtocol::LeaveLast;
  throw Error(ErrorKind::Config,
              "unknown split protocol '" + text + "': expected random, temporal or leave-last");
}

void SplitOptions::validate() const {
  auto fraction = [](double v, const char* name, bool zeroAllowed) {
    if (!(v > 0.0 || (zeroAllowed && v == 0.0)) || !(v < 1.0))
      throw Error(ErrorKind::Config, std::string("--") + name + " expects a fraction in " +
                                         (zeroAllowed ? "[0, 1)" : "(0, 1)") +
                                         " for this protocol, found " + formatNumber(v));
  };
  auto count = [](double v, const char* name, bool zeroAllowed) {
    if (v != std::floor(v) || v < (zeroAllowed ? 0 : 1))
      throw Error(ErrorKind::Config, std::string("--") + name +
                                         " expects a whole count >= " + (zeroAllowed ? "0" : "1") +
                                         " for leave-last, found " + formatNumber(v));
  };
  if (protocol == SplitProtocol::LeaveLast) {
    count(test, "test", false);
    count(valid, "valid", true);
  } else {
    if (!(protocol == SplitProtocol::Temporal && cutoff)) fraction(test, "test", false);
    fraction(valid, "valid", true);
  }
  if (cutoff && protocol != SplitProtocol::Temporal)
    throw Error(ErrorKind::Config, "a cut-off date applies to the temporal protocol only");
  if (weighting != "binary" && weighting != "weighted")
    throw Error(ErrorKind::Config,
                "--weighting expects binary or weighted, found '" + weighting + "'");
}

std::string SplitOptions::toJson() const {
  JsonWriter json;
  json.beginObject()
      .field("protocol", splitProtocolName(protocol))
      .field("test", test)
      .field("valid", valid)
      .field("seed", std::int64_t(seed))
      .field("weighting", weighting);
  if (cutoff) json.field("cutoff", *cutoff);
  if (ratingThreshold) json.field("rating_threshold", *ratingThreshold);
  return json.endObject().str();
}

namespace {

std::size_t roundedShare(double fraction, std::size_t n) {
  return std::size_t(std::llround(fraction * double(n)));
}

// Per user: the pairs in [begin, end) get parts by `pick`, which returns the positions
// (relative to begin) that leave training, in order of preference.
template <class Pick>
void perUser(const std::vector<Pair>& pairs, std::vector<Part>& parts, Pick pick) {
  std::size_t begin = 0;
  while (begin < pairs.size()) {
    std::size_t end = begin;
    while (end < pairs.size() && pairs[end].user == pairs[begin].user) ++end;
    pick(begin, end);
    begin = end;
  }
}

void randomHoldout(const std::vector<Pair>& pairs, const SplitOptions& o,
                   std::vector<Part>& parts) {
  const Random root(o.seed);
  perUser(pairs, parts, [&](std::size_t begin, std::size_t end) {
    const std::size_t n = end - begin;
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), begin);
    Random rng = root.split(std::uint64_t(pairs[begin].user));
    for (std::size_t i = n; i > 1; --i)
      std::swap(order[i - 1], order[rng.below(i)]);  // Fisher-Yates
    const std::size_t nTest = std::min(roundedShare(o.test, n), n - 1);
    const std::size_t nValid =
        std::min(roundedShare(o.valid, n - nTest), n - nTest - (n - nTest > 0 ? 1 : 0));
    for (std::size_t i = 0; i < nTest; ++i) parts[order[i]] = Part::Test;
    for (std::size_t i = nTest; i < nTest + nValid; ++i) parts[order[i]] = Part::Valid;
  });
}

void leaveLast(const std::vector<Pair>& pairs, const SplitOptions& o, std::vector<Part>& parts) {
  perUser(pairs, parts, [&](std::size_t begin, std::size_t end) {
    std::vector<std::size_t> order(end - begin);
    std::iota(order.begin(), order.end(), begin);
    // Latest first; unknown times count as oldest; ties by item index, the later index first.
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      if (pairs[a].time != pairs[b].time) return pairs[a].time > pairs[b].time;
      return pairs[a].item > pairs[b].item;
    });
    const std::size_t n = order.size();
    const std::size_t nTest = std::min(std::size_t(o.test), n - 1);
    const std::size_t nValid = std::min(std::size_t(o.valid), n - nTest - (n - nTest > 0 ? 1 : 0));
    for (std::size_t i = 0; i < nTest; ++i) parts[order[i]] = Part::Test;
    for (std::size_t i = nTest; i < nTest + nValid; ++i) parts[order[i]] = Part::Valid;
  });
}

// The time t such that the pairs with time >= t are about `fraction` of `times` (sorted).
std::int64_t quantileCutoff(const std::vector<std::int64_t>& sorted, double fraction) {
  const std::size_t keep =
      sorted.size() - std::min(sorted.size(), roundedShare(fraction, sorted.size()));
  return keep >= sorted.size() ? INT64_MAX : sorted[keep];
}

void temporal(const std::vector<Pair>& pairs, const SplitOptions& o, std::vector<Part>& parts) {
  std::vector<std::int64_t> times;
  times.reserve(pairs.size());
  for (const auto& p : pairs) {
    if (p.time == kNoPairTime)
      throw Error(ErrorKind::Config, "a temporal split needs times, but user " +
                                         std::to_string(p.user) +
                                         " has an interaction without one: use --protocol random");
    times.push_back(p.time);
  }
  std::sort(times.begin(), times.end());
  const std::int64_t testCut = o.cutoff ? *o.cutoff : quantileCutoff(times, o.test);
  std::int64_t validCut = INT64_MAX;
  if (o.valid > 0) {
    std::vector<std::int64_t> before(times.begin(),
                                     std::lower_bound(times.begin(), times.end(), testCut));
    if (!before.empty()) validCut = quantileCutoff(before, o.valid);
  }
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    if (pairs[i].time >= testCut)
      parts[i] = Part::Test;
    else if (pairs[i].time >= validCut)
      parts[i] = Part::Valid;
  }
}

}  // namespace

std::vector<Part> assignParts(const std::vector<Pair>& pairs, const SplitOptions& options) {
  options.validate();
  std::vector<Part> parts(pairs.size(), Part::Train);
  switch (options.protocol) {
    case SplitProtocol::Random: randomHoldout(pairs, options, parts); break;
    case SplitProtocol::LeaveLast: leaveLast(pairs, options, parts); break;
    case SplitProtocol::Temporal: temporal(pairs, options, parts); break;
  }
  return parts;
}

}  // namespace reco
