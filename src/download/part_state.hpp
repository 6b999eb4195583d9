// The small file beside NAME.part that makes resuming safe: which URL the
// bytes came from, the validator (ETag or Last-Modified) that proves the
// remote file is still the same one, its size, and which byte ranges of
// NAME.part are done. Written atomically; version 1 (one contiguous prefix,
// as long as NAME.part) is still read.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace xfu {

// A download spread over several mirrors resumes on each with its own validator.
struct MirrorValidator {
  std::string url;
  std::string validator;
  std::string other_etag;
  bool operator==(const MirrorValidator&) const = default;
};

struct PartState {
  std::string url;
  std::string validator;
  std::optional<uint64_t> total;
  // [start, pos, end] triples tiling [0, total): [start, pos) is done.
  // Without a total: one triple whose end is the bytes done.
  std::vector<std::array<uint64_t, 3>> ranges;
  // The ETag that came with a Last-Modified validator (weak or malformed,
  // see ResponseHead::etag_seen): it cannot go into If-Range, but a
  // different one proves the file changed.
  std::string other_etag;
  // Spread over several mirrors: each one's validator (url and validator
  // above are the first mirror's, as older versions read them).
  std::vector<MirrorValidator> mirrors;
};

// nullopt when the file is missing or unusable. `part_size` is the size of
// NAME.part: a version 1 state has everything up to it done.
std::optional<PartState> load_part_state(const std::filesystem::path& path, uint64_t part_size);
// Throws std::system_error when it cannot be written.
void save_part_state(const std::filesystem::path& path, const PartState& state);

}  // namespace xfu
