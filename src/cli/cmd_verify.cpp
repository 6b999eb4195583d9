// xfu verify FILE... | --check SUMS | --print FILE...: prove files are intact.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <thread>

#include "catalog/catalog_json.hpp"
#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/filters.hpp"
#include "cli/output.hpp"
#include "core/file_hash.hpp"
#include "render/progress.hpp"
#include "render/sanitize.hpp"
#include "render/terminal.hpp"
#include "util/atomic_file.hpp"
#include "util/open_file.hpp"
#include "util/strings.hpp"
#include "verify/md5sum_format.hpp"
#include "verify/verify.hpp"

namespace xfu {

namespace {

// Files at least this large (in all) get a progress line.
constexpr uint64_t kProgressThreshold = 64ull << 20;

struct VerifyOptions {
  std::vector<std::string> files;
  std::string md5;
  std::string check;
  bool print = false;
  bool json = false;
  bool quiet = false;
  bool require_md5 = false;  // a match of the name's MD5 prefix alone does not pass
};

struct Checked {
  std::string file;
  Expectation expectation;
  FileHash hash;
  VerifyStatus status = VerifyStatus::Unknown;
};

size_t worker_count(size_t files) {
  return std::max<size_t>(1, std::min<size_t>(std::thread::hardware_concurrency(), files));
}

uint64_t total_size(const std::vector<std::filesystem::path>& paths) {
  uint64_t total = 0;
  for (const auto& path : paths) {
    std::error_code error;
    if (std::filesystem::is_regular_file(path, error)) total += std::filesystem::file_size(path, error);
  }
  return total;
}

// Hashes `paths` in parallel, with a progress line for big jobs, and hands
// each result over in order.
void hash_in_order(const std::vector<std::filesystem::path>& paths,
                   const std::function<void(size_t, const FileHash&)>& on_done) {
  const uint64_t total = total_size(paths);
  std::string label = "verifying";
  if (paths.size() > 1) label += " " + std::to_string(paths.size()) + " files";
  ProgressLine progress(label, total);
  HashProgress report;
  if (progress.enabled() && total >= kProgressThreshold) report = [&](uint64_t bytes) { progress.advance(bytes); };
  md5_of_files(
      paths, worker_count(paths.size()),
      [&](size_t index, const FileHash& hash) {
        progress.finish();
        on_done(index, hash);
      },
      report);
}

std::string describe_rom(const Rom& rom) {
  return sanitize_line(rom.device) + " \u00B7 " + sanitize_line(rom.version) + " \u00B7 " +
         std::string(branch_name(rom.branch)) + " \u00B7 " + std::string(type_name(rom.type));
}

std::string source_phrase(const Expectation& expectation) {
  switch (expectation.source) {
    case ChecksumSource::Catalog: return "MD5 from the catalog";
    case ChecksumSource::Md5Flag: return "MD5 from --md5";
    case ChecksumSource::SumsFile: return "MD5 from the checksum file";
    case ChecksumSource::NamePrefix: return "name prefix, 40 bits: weaker than a full MD5";
    case ChecksumSource::None: return "no checksum known";
  }
  return "";
}

std::string status_word(VerifyStatus status) {
  switch (status) {
    case VerifyStatus::Ok: return "OK";
    case VerifyStatus::NameOk: return "NAME-OK";
    case VerifyStatus::Mismatch: return "FAILED";
    case VerifyStatus::Unknown: return "UNKNOWN";
    case VerifyStatus::Unreadable: return "FAILED open or read";
  }
  return "";
}

Colour status_colour(VerifyStatus status) {
  if (status == VerifyStatus::Ok) return Colour::Green;
  return status == VerifyStatus::NameOk || status == VerifyStatus::Unknown ? Colour::Yellow : Colour::Red;
}

// One result: "FILE: STATUS" on stdout; on a terminal what the file is and,
// on mismatch, both checksums; otherwise the reason for a failure on stderr.
void report(const Checked& checked, bool terminal, bool colour, bool quiet, bool require_md5) {
  const bool ok = passes(checked.status, require_md5);
  if (checked.status == VerifyStatus::Unreadable) print_error(escaped_name(checked.file) + ": " + checked.hash.error);
  if (quiet && ok) return;
  const Expectation& expected = checked.expectation;
  std::string out = display_name(checked.file) + ": " +
                    paint(status_word(checked.status), status_colour(checked.status), colour) + "\n";
  if (terminal) {
    if (!expected.roms.empty()) out += "  " + describe_rom(expected.roms.front()) + "\n";
    if (checked.status == VerifyStatus::Mismatch) {
      out += "  expected " + expected.shown() + " (" + std::string(source_name(expected.source)) + ")\n";
      out += "  actual   " + checked.hash.md5 + "\n";
    } else if (checked.status != VerifyStatus::Unreadable) {
      out += "  " + source_phrase(expected) + "\n";
    }
  } else if (checked.status == VerifyStatus::Mismatch) {
    print_error(escaped_name(checked.file) + ": MD5 mismatch: expected " + expected.shown() + " (" +
                std::string(source_name(expected.source)) + "), got " + checked.hash.md5);
  } else if (checked.status == VerifyStatus::Unknown) {
    print_error(escaped_name(checked.file) +
                ": no checksum known (not in the catalog, no MD5 prefix in its name); give one with --md5");
  } else if (checked.status == VerifyStatus::NameOk && require_md5) {
    print_error(escaped_name(checked.file) + ": only the MD5 prefix in its name (40 bits) matched, and --require-md5 "
                                             "asks for a full MD5; give one with --md5");
  }
  write_stdout(out);
}

nlohmann::ordered_json result_json(const Checked& checked) {
  const auto text_or_null = [](const std::string& text) {
    return text.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(text);
  };
  nlohmann::ordered_json entry{
      {"file", checked.file},
      {"size", checked.status == VerifyStatus::Unreadable ? nlohmann::ordered_json()
                                                          : nlohmann::ordered_json(checked.hash.size)},
      {"md5", text_or_null(checked.hash.md5)},
      {"expected", text_or_null(checked.expectation.shown())},
      {"source", source_name(checked.expectation.source)},
      {"status", status_name(checked.status)},
      {"rom",
       checked.expectation.roms.empty() ? nlohmann::ordered_json() : rom_to_json(checked.expectation.roms.front())},
  };
  if (!checked.hash.error.empty()) entry["error"] = checked.hash.error;
  return entry;
}

std::vector<VerifyStatus> check_all(std::vector<Checked> items, const VerifyOptions& options, ColourMode colour_mode) {
  std::vector<std::filesystem::path> paths;
  for (const auto& item : items) paths.emplace_back(item.file);
  const bool terminal = is_terminal(stdout) && !options.check.size();
  const bool colour = colour_wanted(stdout, colour_mode);
  std::vector<VerifyStatus> statuses;
  nlohmann::ordered_json json = nlohmann::ordered_json::array();
  hash_in_order(paths, [&](size_t index, const FileHash& hash) {
    Checked& checked = items[index];
    checked.hash = hash;
    checked.status = hash.md5.empty() ? VerifyStatus::Unreadable : judge(hash.md5, checked.expectation);
    statuses.push_back(checked.status);
    if (options.json) json.push_back(result_json(checked));
    else report(checked, terminal, colour, options.quiet, options.require_md5);
  });
  if (options.json) write_json(json);
  return statuses;
}

std::vector<Checked> expectations_for(Context& context, const VerifyOptions& options) {
  std::optional<LoadOptions> load;  // only when the catalog is asked
  std::vector<Checked> items;
  for (const auto& file : options.files) {
    Checked checked;
    checked.file = file;
    if (!options.md5.empty()) {
      checked.expectation = expect_md5(ChecksumSource::Md5Flag, to_lower(options.md5));
    } else {
      if (!load) {
        load = context.load_options();
        load->cache_first = true;  // only checksums are looked up: any cached copy will do
      }
      const std::string name = std::filesystem::path(file).filename().string();
      checked.expectation = expect_from_catalog(name, context.loaded(*load).roms_with_file(name));
    }
    items.push_back(std::move(checked));
  }
  return items;
}

// Opens a checksum list as md5sum -c does: a file, a FIFO or a pipe
// (process substitution, "-"), read as a stream. A device could be endless
// and is refused.
int open_sums(const std::string& source, const std::string& shown) {
  const int fd = source == "-" ? STDIN_FILENO : ::open(source.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(ExitCode::LocalFile, "cannot read " + shown + ": " + std::strerror(errno));
  struct stat info {};
  std::string problem;
  if (::fstat(fd, &info) != 0) problem = std::strerror(errno);
  else if (!S_ISREG(info.st_mode) && !S_ISFIFO(info.st_mode)) problem = not_regular_file_reason(info.st_mode);
  if (problem.empty()) return fd;
  if (fd != STDIN_FILENO) ::close(fd);
  throw Error(ExitCode::LocalFile, "cannot read " + shown + ": " + problem);
}

// Hands each line of the checksum list `source` to `on_line`, holding one line at a time.
void for_each_sum_line(const std::string& source, const std::string& shown, const SumLineSplitter::OnLine& on_line) {
  const int fd = open_sums(source, shown);
  SumLineSplitter lines;
  char buffer[1 << 16];
  std::string failure;
  for (;;) {
    const ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) failure = "cannot read " + shown + ": " + std::strerror(errno);
    else if (got > 0 && !lines.feed(std::string_view(buffer, static_cast<size_t>(got)), on_line))
      failure = shown + ": line " + std::to_string(lines.line_number()) + " is longer than " +
                std::to_string(kMaxSumLineBytes >> 10) + " KiB" + ": not an md5sum checksum list";
    if (got <= 0 || !failure.empty()) break;
  }
  if (fd != STDIN_FILENO) ::close(fd);
  if (!failure.empty()) throw Error(ExitCode::LocalFile, failure);
  lines.finish(on_line);
}

std::string plural(size_t count, const char* one, const char* many) {
  return std::to_string(count) + " " + (count == 1 ? one : many);
}

ExitCode run_check(const VerifyOptions& options, ColourMode colour_mode) {
  const std::string shown_source = options.check == "-" ? "standard input" : options.check;
  std::vector<Checked> items;
  size_t malformed = 0;
  for_each_sum_line(options.check, shown_source, [&](std::string_view line) {
    SumLine entry;
    switch (parse_sum_line(line, entry)) {
      case SumLineKind::Entry: {
        Checked checked;
        checked.file = entry.name;
        checked.expectation = expect_md5(ChecksumSource::SumsFile, entry.md5);
        items.push_back(std::move(checked));
        break;
      }
      case SumLineKind::Malformed: ++malformed; break;
      case SumLineKind::Ignored: break;
    }
  });
  if (items.empty())
    throw Error(ExitCode::NothingMatched, shown_source + ": no properly formatted MD5 checksum lines found");
  const auto statuses = check_all(items, options, colour_mode);
  // Count what md5sum counts, and say it the same way.
  const auto count = [&](VerifyStatus wanted) { return std::count(statuses.begin(), statuses.end(), wanted); };
  if (malformed) print_warning(plural(malformed, "line is", "lines are") + " improperly formatted");
  if (const size_t unreadable = count(VerifyStatus::Unreadable))
    print_warning(plural(unreadable, "listed file", "listed files") + " could not be read");
  if (const size_t mismatched = count(VerifyStatus::Mismatch))
    print_warning(plural(mismatched, "computed checksum", "computed checksums") + " did NOT match");
  return verify_exit_code(statuses);
}

ExitCode run_print(const VerifyOptions& options) {
  const bool terminal = is_terminal(stdout);
  std::vector<std::filesystem::path> paths(options.files.begin(), options.files.end());
  std::vector<VerifyStatus> statuses;
  hash_in_order(paths, [&](size_t index, const FileHash& hash) {
    if (hash.md5.empty()) {
      print_error(escaped_name(options.files[index]) + ": " + hash.error);
      statuses.push_back(VerifyStatus::Unreadable);
      return;
    }
    statuses.push_back(VerifyStatus::Ok);
    // Through a pipe or into a file, md5sum's exact line, so that it reads back with md5sum -c and --check; on a
    // terminal, escape sequences in a name must not reach it.
    const std::string line = format_sum_line(hash.md5, options.files[index]);
    write_stdout((terminal ? sanitize_line(line) : line) + "\n");
  });
  return verify_exit_code(statuses);
}

void validate(const VerifyOptions& options) {
  const auto usage = [](const std::string& message) { return Error(ExitCode::Usage, message); };
  if (!options.check.empty()) {
    if (!options.files.empty()) throw usage("--check reads the file names from SUMS: give no FILE");
    if (options.print || !options.md5.empty()) throw usage("--check cannot be combined with --print or --md5");
    return;
  }
  if (options.files.empty() && options.print) throw usage("--print needs at least one FILE to print the MD5 of");
  if (options.files.empty()) throw usage("verify needs at least one FILE (or --check SUMS)");
  if (options.print && (options.json || !options.md5.empty()))
    throw usage("--print cannot be combined with --json or --md5");
  if (!options.md5.empty()) {
    if (options.files.size() != 1) throw usage("--md5 checks exactly one FILE");
    check_md5_option(options.md5);
  }
}

void run_verify(Context& context, const VerifyOptions& options) {
  validate(options);
  if (!options.check.empty()) {
    context.exit_code = run_check(options, context.options.colour_mode());
  } else if (options.print) {
    context.exit_code = run_print(options);
  } else {
    const auto statuses = check_all(expectations_for(context, options), options, context.options.colour_mode());
    context.exit_code = verify_exit_code(statuses, options.require_md5);
  }
}

}  // namespace

void add_verify_command(CLI::App& app, Context& context) {
  auto options = std::make_shared<VerifyOptions>();
  CLI::App* verify = app.add_subcommand(
      "verify", "Check files against their recorded MD5: --md5, else the catalog, else the MD5 prefix in the name");
  verify->add_option("files", options->files, "ROM files to check")->option_text("FILE...");
  verify->add_option("--md5", options->md5, "The expected MD5 (32 hex digits), for one FILE")->option_text("HASH");
  verify
      ->add_option("--check", options->check,
                   "Check the files listed in SUMS, a file in md5sum's format (- reads standard input)")
      ->option_text("SUMS");
  verify->add_flag("--print", options->print, "Print md5sum-format lines for the files instead of checking them");
  verify->add_flag("--json", options->json,
                   "Print an array of {file, size, md5, expected, source, status, rom} instead of lines");
  verify->add_flag("-q,--quiet", options->quiet, "Print only the files that did not pass");
  verify->add_flag("--require-md5", options->require_md5,
                   "Pass only files that match a full MD5: a match of the MD5 prefix in the name alone exits 3");
  verify->footer(
      "Exit status: 0 every file verified, 1 a checksum mismatched, 6 a file could not be read, 3 a checksum "
      "is unknown (with --require-md5, also when only the name's MD5 prefix matched).\n" +
      global_options_footer());
  verify->callback([&context, options] { run_verify(context, *options); });
}

}  // namespace xfu
