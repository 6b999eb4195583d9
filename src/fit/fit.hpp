// Whether a package fits the phone on the desk: the warnings xfu gives in
// cards and before a download. Pure decisions: every fact comes in as an
// argument, and nothing here blocks a download or a flash by itself.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/rom.hpp"
#include "device/phone.hpp"
#include "package/package_facts.hpp"

namespace xfu {

struct FitWarning {
  std::string code;     // stable, for scripts: "anti-rollback", "region", "device", "lock-script", ...
  std::string message;  // one line, plain words
};

struct FitInput {
  const Rom* record = nullptr;            // what the catalog says the file is
  const PackageFacts* package = nullptr;  // what the file says it is
  const Phone* phone = nullptr;           // the phone it is meant for
  std::string filename;                   // the file's name, when there is a file
  // Whether the catalog has a fastboot package of the record's release (same variant and version); unknown when
  // it was not asked.
  std::optional<bool> release_has_fastboot;
};

std::vector<FitWarning> fit_warnings(const FitInput& input);

}  // namespace xfu
