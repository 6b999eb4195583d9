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
#include <utility>
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
  // A symbolic or hard link at `path` to `target`. Never followed: a link
  // where a fact file belongs only gets a note (and replaces an earlier copy).
  void link(std::string_view path, std::string_view target);

  // What the entries seen add up to. `format` is the archive format's name.
  PackageFacts facts(const std::string& format) const;

 private:
  struct ScriptSource {
    std::string path;
    std::string stem;  // "flash_all_lock"
    FlashScriptFacts facts;
  };
  struct AntiVersionSource {
    std::string path;
    int index = 0;
  };
  enum class Wanted { Nothing, FlashScript, AntiVersion, Metadata, MetadataPb, UpdaterScript };

  // Which fact file an entry's path parts name, if any.
  static Wanted fact_file_kind(const std::vector<std::string_view>& parts);
  void add_flash_script_name(std::string_view file_name);
  void add_top_folder(const std::vector<std::string_view>& parts, size_t depth_inside);
  // A new copy of the fact file at `path` replaces what earlier ones said, as extraction does.
  void start_copy(Wanted kind, const std::string& path);
  void add_note(std::string note);
  void add_fastboot_facts(PackageFacts& facts) const;
  void add_ota_facts(PackageFacts& facts) const;

  Wanted wanted_ = Wanted::Nothing;
  std::string wanted_path_;
  std::vector<std::string> flash_script_names_;
  std::vector<ScriptSource> scripts_;
  std::vector<AntiVersionSource> anti_versions_;
  std::vector<std::string> top_folders_;  // of scripts and images; "" for the archive's root
  bool top_folders_cut_ = false;
  std::vector<std::string> fact_paths_;                           // every fact file seen, to find repeated ones
  std::vector<std::pair<std::string, uint64_t>> repeated_paths_;  // and how many copies
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
