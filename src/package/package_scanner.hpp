// Deciding what a package is from the names and sizes of its entries and the
// content of the few small files that carry facts. No I/O: the reader tells
// it about each entry in archive order and hands over what it asks for.
//
// Entry paths are untrusted text from the archive: they are only compared
// with the known names, never used as file names.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "package/package_facts.hpp"
#include "package/script_facts.hpp"

namespace xfu {

class PackageScanner {
 public:
  // A regular file at `path`, of `size` bytes when the archive says so.
  // True when the scanner wants its content (at most kMaxFactFileBytes).
  bool wants(std::string_view path, std::optional<uint64_t> size);
  // The content of the entry last wanted, all of it.
  void give(std::string_view content);
  // The entry last wanted turned out to be longer than kMaxFactFileBytes.
  void too_large();

  // What the entries seen add up to. `format` is the archive format's name.
  PackageFacts facts(const std::string& format) const;

 private:
  struct ScriptSource {
    std::string path;
    FlashScriptFacts facts;
  };
  enum class Wanted { Nothing, FlashScript, AntiVersion, Metadata, MetadataPb, UpdaterScript };

  void add_flash_script_name(std::string_view file_name);
  void add_note(std::string note);

  Wanted wanted_ = Wanted::Nothing;
  std::string wanted_path_;
  std::vector<std::string> flash_script_names_;
  std::vector<ScriptSource> scripts_;
  std::optional<int> anti_version_file_;
  std::string anti_version_path_;
  uint64_t image_count_ = 0;
  std::optional<OtaMetadata> metadata_text_, metadata_pb_;
  bool has_metadata_file_ = false;
  std::optional<UpdaterScriptFacts> updater_script_;
  bool has_payload_ = false;
  bool has_patch_folder_ = false;
  uint64_t unsafe_paths_ = 0;
  std::vector<std::string> notes_;
};

}  // namespace xfu
