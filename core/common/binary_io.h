#pragma once
/// Little helpers for models' save()/load(): a tagged header and length-prefixed arrays of
/// trivially copyable values, in the machine's byte order (files are for this machine's
/// workspace; the header records the layout so a foreign file is refused, never misread).

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <istream>
#include <ostream>
#include <string>
#include <type_traits>
#include <vector>

#include "core/common/error.h"

namespace reco::binary {

template <class T>
void write(std::ostream& out, const T& value) {
  static_assert(std::is_trivially_copyable_v<T>);
  out.write(reinterpret_cast<const char*>(&value), sizeof value);
}

template <class T>
T read(std::istream& in, const char* what) {
  static_assert(std::is_trivially_copyable_v<T>);
  T value{};
  in.read(reinterpret_cast<char*>(&value), sizeof value);
  if (!in) throw Error(ErrorKind::Model, std::string("model file ends early: expected ") + what);
  return value;
}

template <class T>
void writeVector(std::ostream& out, const std::vector<T>& values) {
  static_assert(std::is_trivially_copyable_v<T>);
  write<std::uint64_t>(out, values.size());
  out.write(reinterpret_cast<const char*>(values.data()),
            std::streamsize(values.size() * sizeof(T)));
}

/// The bytes left in a stream that can seek (a model file read from the workspace is a
/// string stream); UINT64_MAX when it cannot tell.
inline std::uint64_t bytesLeft(std::istream& in) {
  const auto at = in.tellg();
  if (at < 0) return UINT64_MAX;
  in.seekg(0, std::ios::end);
  const auto end = in.tellg();
  in.seekg(at);
  return end < at ? UINT64_MAX : std::uint64_t(end - at);
}

/// Throws Error(Model) when a length field claims more bytes than the stream holds: a
/// damaged length must not allocate what it claims before the read finds the end.
inline void requireBytes(std::istream& in, std::uint64_t count, std::uint64_t size,
                         const char* what) {
  const std::uint64_t left = bytesLeft(in);
  if (left != UINT64_MAX && (size != 0 && count > left / size))
    throw Error(ErrorKind::Model, std::string("model file is corrupt or cut short: ") + what +
                                      " claims " + std::to_string(count) + " values, the file " +
                                      "holds " + std::to_string(left) + " more bytes");
}

/// Reads what writeVector wrote; refuses a length above maxCount or above what the stream
/// still holds (a corrupt file must not allocate terabytes).
template <class T>
std::vector<T> readVector(std::istream& in, const char* what,
                          std::uint64_t maxCount = (1ull << 36)) {
  const auto n = read<std::uint64_t>(in, what);
  if (n > maxCount)
    throw Error(ErrorKind::Model, std::string("model file is corrupt: ") + what + " claims " +
                                      std::to_string(n) + " values");
  requireBytes(in, n, sizeof(T), what);
  // Read through a small buffer and appended, not into a vector sized first: sizing zeroes
  // every page before the read writes it again, a whole extra pass over a 256 MB factor
  // matrix (about a fifth of loading a million-user model).
  std::vector<T> values;
  values.reserve(std::size_t(n));
  constexpr std::size_t kChunk = std::max<std::size_t>(1, (std::size_t(64) << 10) / sizeof(T));
  std::array<T, kChunk> chunk;
  for (std::uint64_t left = n; left > 0;) {
    const std::size_t count = std::size_t(std::min<std::uint64_t>(left, kChunk));
    in.read(reinterpret_cast<char*>(chunk.data()), std::streamsize(count * sizeof(T)));
    if (!in) throw Error(ErrorKind::Model, std::string("model file ends early: expected ") + what);
    values.insert(values.end(), chunk.begin(), chunk.begin() + std::ptrdiff_t(count));
    left -= count;
  }
  return values;
}

inline void writeString(std::ostream& out, const std::string& s) {
  write<std::uint64_t>(out, s.size());
  out.write(s.data(), std::streamsize(s.size()));
}

inline std::string readString(std::istream& in, const char* what) {
  const auto n = read<std::uint64_t>(in, what);
  if (n > (1ull << 30))
    throw Error(ErrorKind::Model, std::string("model file is corrupt: ") + what + " too long");
  requireBytes(in, n, 1, what);
  std::string s(n, '\0');
  in.read(s.data(), std::streamsize(n));
  if (!in) throw Error(ErrorKind::Model, std::string("model file ends early: expected ") + what);
  return s;
}

/// Writes "RECO" + the model's name + a format version; checkHeader refuses anything else,
/// naming what it expected and what it found.
inline void writeHeader(std::ostream& out, const std::string& model, std::uint32_t version) {
  out.write("RECO", 4);
  writeString(out, model);
  write<std::uint32_t>(out, version);
  write<std::uint32_t>(out, sizeof(void*) * 8);  // layout check: pointer width
}

inline void checkHeader(std::istream& in, const std::string& model, std::uint32_t version) {
  char magic[4] = {};
  in.read(magic, 4);
  if (!in || std::string(magic, 4) != "RECO")
    throw Error(ErrorKind::Model, "not a Reco model file: expected it to start with 'RECO'");
  const std::string found = readString(in, "the model name");
  if (found != model)
    throw Error(ErrorKind::Model,
                "model file holds a '" + found + "' model, expected '" + model + "'");
  const auto v = read<std::uint32_t>(in, "the format version");
  if (v != version)
    throw Error(ErrorKind::Model, "model file has format version " + std::to_string(v) + " of '" +
                                      model + "', this build reads version " +
                                      std::to_string(version));
  const auto bits = read<std::uint32_t>(in, "the layout");
  if (bits != sizeof(void*) * 8)
    throw Error(ErrorKind::Model, "model file was written on a machine of another word size");
}

}  // namespace reco::binary
