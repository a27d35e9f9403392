#pragma once
/// Splitting a range over threads. Work is cut into contiguous chunks by index, so which
/// thread does which chunk never changes a result that is computed per index.

#include <algorithm>
#include <cstdint>
#include <exception>
#include <thread>
#include <vector>

namespace reco {

/// threads <= 0 means the hardware concurrency (at least 1).
inline int resolveThreads(int threads) {
  if (threads > 0) return threads;
  return std::max(1, int(std::thread::hardware_concurrency()));
}

/// Calls fn(begin, end, threadIndex) on `threads` threads over [0, n) in contiguous chunks;
/// the first exception thrown by any chunk is rethrown here after every thread joined.
template <class Fn>
void parallelFor(std::int64_t n, int threads, Fn&& fn) {
  threads = std::max(1, std::min<int>(resolveThreads(threads), int(std::max<std::int64_t>(n, 1))));
  if (threads == 1) {
    fn(std::int64_t{0}, n, 0);
    return;
  }
  std::vector<std::thread> pool;
  std::vector<std::exception_ptr> errors{std::size_t(threads)};
  const std::int64_t chunk = (n + threads - 1) / threads;
  for (int t = 0; t < threads; ++t) {
    const std::int64_t begin = std::min(n, chunk * t), end = std::min(n, begin + chunk);
    pool.emplace_back([&, begin, end, t] {
      try {
        fn(begin, end, t);
      } catch (...) {
        errors[std::size_t(t)] = std::current_exception();
      }
    });
  }
  for (auto& thread : pool) thread.join();
  for (auto& error : errors)
    if (error) std::rethrow_exception(error);
}

}  // namespace reco
