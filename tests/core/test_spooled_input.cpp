// A stream given as input is copied once to a temporary file (core/io/spooled_input.h); the
// copy never fills the disk: it stops with a clear error while a reserve is left, and
// leaves nothing behind.
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "core/common/error.h"
#include "core/io/spooled_input.h"
#include "tests/support/gtest_support.h"

namespace {

using reco::io::SpooledInput;

/// Writes `bytes` of text lines into the named pipe at `path` from a thread (a pipe's
/// writer blocks until the reader opens it).
std::jthread feedPipe(const std::string& path, std::size_t bytes) {
  // A reader that stops early closes the pipe: the writer gets an error, not a SIGPIPE that
  // ends the suite.
  ::signal(SIGPIPE, SIG_IGN);
  return std::jthread([path, bytes] {
    const int fd = ::open(path.c_str(), O_WRONLY);
    if (fd < 0) return;
    const std::string line = "u1,i1,5\n";
    std::string block;
    while (block.size() < (1u << 16)) block += line;
    for (std::size_t sent = 0; sent < bytes;) {
      const auto wrote = ::write(fd, block.data(), block.size());
      if (wrote <= 0) break;  // the reader stopped and closed its end
      sent += std::size_t(wrote);
    }
    ::close(fd);
  });
}

TEST(SpooledInput, CopiesAStreamToAFileItRemoves) {
  reco::testing::TempDir dir;
  const std::string fifo = dir.file("ratings.csv");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::jthread writer = feedPipe(fifo, 1 << 20);
  std::string copy;
  {
    SpooledInput input(fifo);
    writer.join();
    ASSERT_TRUE(input.spooled());
    copy = input.path();
    EXPECT_GE(std::filesystem::file_size(copy), std::uintmax_t(1) << 20);
    EXPECT_EQ(input.source(), fifo);
  }
  EXPECT_FALSE(std::filesystem::exists(copy)) << "the copy outlived its SpooledInput";
}

TEST(SpooledInput, StopsBeforeTheDiskFills) {
  // A reserve larger than any disk: the copy must stop at its first look at the free space,
  // after 64 MiB.
  reco::testing::TempDir dir, tmp;
  const std::string fifo = dir.file("stdin-like");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  ::setenv("TMPDIR", tmp.path().c_str(), 1);
  std::jthread writer = feedPipe(fifo, std::size_t(80) << 20);
  try {
    SpooledInput input(fifo, UINTMAX_MAX / 2);
    FAIL() << "the copy went on past the reserve";
  } catch (const reco::Error& e) {
    EXPECT_EQ(e.kind(), reco::ErrorKind::Io);
    const std::string message = e.what();
    EXPECT_NE(message.find("cannot copy " + fifo), std::string::npos) << message;
    EXPECT_NE(message.find("stopped to keep it from filling"), std::string::npos) << message;
  }
  writer.join();
  ::unsetenv("TMPDIR");
  EXPECT_TRUE(std::filesystem::is_empty(tmp.path())) << "the partial copy was left behind";
}

}  // namespace
