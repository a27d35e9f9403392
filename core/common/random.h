#pragma once
/// The one random generator of the core: xoshiro256** seeded through splitmix64, with its
/// own distributions, so that the same seed gives the same numbers on every platform and
/// standard library (std:: distributions differ between them). Not thread-safe: give each
/// thread its own, from split().

#include <cmath>
#include <cstdint>

namespace reco {

class Random {
 public:
  explicit Random(std::uint64_t seed) {
    for (auto& word : state_) word = splitmix(seed);
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  /// Uniform in [0, n), n > 0 (Lemire's multiply-shift; bias below 2^-32 for n < 2^32).
  std::uint64_t below(std::uint64_t n) {
    __extension__ typedef unsigned __int128 Wide;  // GCC/Clang's 128-bit integer
    return std::uint64_t((Wide(next()) * n) >> 64);
  }
  /// Uniform in [0, 1) with 53 random bits.
  double uniform() { return double(next() >> 11) * 0x1.0p-53; }
  /// Standard normal (Box-Muller; the second value is discarded for simplicity).
  double normal() {
    double u = uniform();
    while (u <= 0.0) u = uniform();
    return std::sqrt(-2.0 * std::log(u)) * std::cos(6.283185307179586 * uniform());
  }
  /// An independent generator for stream `stream` (a thread, a user block): the same
  /// (seed, stream) always gives the same sequence.
  Random split(std::uint64_t stream) const { return Random(state_[0] ^ splitmixConst(stream + 1)); }

  /// The whole state, for checkpoints: a generator given back its state draws on exactly as
  /// the one it was taken from.
  struct State {
    std::uint64_t words[4];
  };
  State state() const { return {{state_[0], state_[1], state_[2], state_[3]}}; }
  void setState(const State& s) {
    for (int i = 0; i < 4; ++i) state_[i] = s.words[i];
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static std::uint64_t splitmix(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  static std::uint64_t splitmixConst(std::uint64_t x) { return splitmix(x); }
  std::uint64_t state_[4];
};

}  // namespace reco
