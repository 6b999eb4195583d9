// Inflating gzip data as it streams by, checking what libarchive's own gzip
// filter leaves unchecked: each member's CRC-32 and length, and the end of
// the data after the last member (a tar ends before its gzip stream does).
#pragma once

#include <span>
#include <string_view>

#include <zlib.h>

namespace xfu {

// Whether `start` (the file's first bytes) is the start of gzip data.
inline bool looks_like_gzip(std::string_view start) { return start.starts_with("\x1f\x8b"); }

class GzipInflater {
 public:
  GzipInflater();
  ~GzipInflater();
  GzipInflater(const GzipInflater&) = delete;
  GzipInflater& operator=(const GzipInflater&) = delete;

  // Inflates from the front of `input` (consuming what it used) into `out`;
  // returns how many bytes it wrote there. Throws Error(LocalFile) on damaged
  // data, a bad CRC or length, or anything but zeros after the last member.
  size_t inflate(std::string_view& input, std::span<char> out);
  // The input has ended: throws Error(LocalFile) when it ended inside a member.
  void finish() const;

 private:
  z_stream stream_{};
  bool in_member_ = true;        // between a member's first byte and its trailer
  bool trailing_zeros_ = false;  // padding after the last member
};

}  // namespace xfu
