#include "package/gzip_stream.hpp"

#include <algorithm>
#include <climits>
#include <string>

#include "core/exit_code.hpp"

namespace xfu {

namespace {

[[noreturn]] void damaged(const std::string& why) { throw Error(ExitCode::LocalFile, "damaged gzip data: " + why); }

}  // namespace

GzipInflater::GzipInflater() {
  if (inflateInit2(&stream_, 16 + MAX_WBITS) != Z_OK) throw Error(ExitCode::LocalFile, "cannot start zlib");
}

GzipInflater::~GzipInflater() { inflateEnd(&stream_); }

size_t GzipInflater::inflate(std::string_view& input, std::span<char> out) {
  if (trailing_zeros_) {
    if (std::any_of(input.begin(), input.end(), [](char c) { return c != 0; })) {
      damaged("there are other bytes than padding after its end");
    }
    input = {};
    return 0;
  }
  if (!in_member_) {
    if (input.empty()) return 0;
    if (input.front() == 0) {
      trailing_zeros_ = true;
      return inflate(input, out);
    }
    if (inflateReset(&stream_) != Z_OK) damaged("zlib cannot start the next member");
    in_member_ = true;
  }
  // zlib counts in uInt: keep each step below its range.
  const auto in_size = static_cast<uInt>(std::min<size_t>(input.size(), UINT_MAX / 2));
  const auto out_size = static_cast<uInt>(std::min<size_t>(out.size(), UINT_MAX / 2));
  stream_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  stream_.avail_in = in_size;
  stream_.next_out = reinterpret_cast<Bytef*>(out.data());
  stream_.avail_out = out_size;
  const int result = ::inflate(&stream_, Z_NO_FLUSH);
  input.remove_prefix(in_size - stream_.avail_in);
  const size_t written = out_size - stream_.avail_out;
  if (result == Z_STREAM_END) {
    in_member_ = false;
  } else if (result != Z_OK && !(result == Z_BUF_ERROR && written == 0 && in_size == 0)) {
    damaged(stream_.msg ? stream_.msg : "zlib error " + std::to_string(result));
  }
  return written;
}

void GzipInflater::finish() const {
  if (in_member_) throw Error(ExitCode::LocalFile, "truncated gzip data: the file ends before the gzip stream does");
}

}  // namespace xfu
