#pragma once
// A fuzz target is a plain function of the input bytes that returns normally for every
// input a user could give (a reco::Error of an allowed kind included) and aborts on
// anything else. RECO_FUZZ_TARGET(name, function) registers it:
// - in a fuzz_<name> executable (the fuzz preset, RECO_LIBFUZZER) it becomes libFuzzer's
//   entry point, so that tools/fuzz.sh can run it;
// - in core_test_fuzz_regressions (every other build) it is listed by name, and the test
//   replays tests/data/fuzz/<name>/ through it: every input that once crashed a target
//   stays a test, under the sanitizer lane too.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace reco::fuzz {

using Bytes = std::span<const std::uint8_t>;
using TargetFunction = void (*)(Bytes input);

struct Target {
  const char* name;
  TargetFunction run;
};

/// The targets registered in this executable, in no particular order.
std::vector<Target>& registeredTargets();

struct Registration {
  Registration(const char* name, TargetFunction run) { registeredTargets().push_back({name, run}); }
};

}  // namespace reco::fuzz

#ifdef RECO_LIBFUZZER
#define RECO_FUZZ_TARGET(name, function)                                              \
  extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) { \
    function(::reco::fuzz::Bytes(data, size));                                        \
    return 0;                                                                         \
  }
#else
#define RECO_FUZZ_TARGET(name, function) \
  static const ::reco::fuzz::Registration registration_##function(name, function);
#endif
