// xfu: find, show, download and verify official Xiaomi ROMs.
#include <openssl/crypto.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>

#include "catalog/builtin_catalog.hpp"
#include "catalog/catalog_source.hpp"
#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/output.hpp"
#include "core/http.hpp"
#include "core/version.hpp"

namespace xfu {

namespace {

std::string version_text() {
  // The built-in snapshot is checked in full by the tests, so its index's counts are enough.
  uint64_t records = 0;
  for (const ShardEntry& entry : builtin_index().shards) records += entry.records;
  return std::string("xfu ") + kXfuVersion + "\n" + "built-in catalog: " + builtin_catalog_date() + ", " +
         std::to_string(records) + " ROMs\n" + "libcurl " + curl_version_string() + "\n" +
         OpenSSL_version(OPENSSL_VERSION);
}

std::string exit_status_footer() {
  std::string out = "Exit status:\n";
  for (const auto& entry : exit_code_table()) {
    const std::string code = std::to_string(static_cast<int>(entry.code));
    out += "  " + code + std::string(5 - code.size(), ' ') + std::string(entry.meaning) + "\n";
  }
  return out;
}

// `code`, unless what is still buffered for stdout cannot be written: then exit 6, with a message.
int with_stdout_flushed(int code) {
  try {
    flush_stdout();
    return code;
  } catch (const Error& e) {
    print_error(e.what());
    return static_cast<int>(e.code());
  }
}

int run(int argc, char** argv) {
  CLI::App app{"xfu: find, show, download and verify official Xiaomi MIUI/HyperOS ROMs", "xfu"};
  app.require_subcommand(1);
  app.fallthrough();
  app.set_version_flag("--version", version_text,
                       "Print the versions of xfu, its built-in catalog, libcurl and OpenSSL");
  app.footer(exit_status_footer());

  Context context;
  context.add_global_options(app);
  add_list_command(app, context);
  add_show_command(app, context);
  add_devices_command(app, context);
  add_verify_command(app, context);
  add_download_command(app, context);
  add_catalog_command(app, context);
  add_complete_command(app, context);

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return with_stdout_flushed(app.exit(e));
  } catch (const CLI::ParseError& e) {
    print_error(e.what() + std::string(" (see xfu --help)"));
    return static_cast<int>(ExitCode::Usage);
  } catch (const Error& e) {
    print_error(e.what());
    return static_cast<int>(e.code());
  } catch (const std::bad_alloc&) {
    print_error("out of memory");
    return static_cast<int>(ExitCode::LocalFile);
  } catch (const std::exception& e) {
    // Not expected: every failure should be an Error. Still a message and an exit code, never std::terminate.
    print_error(e.what());
    return static_cast<int>(ExitCode::LocalFile);
  }
  return with_stdout_flushed(static_cast<int>(context.exit_code));
}

}  // namespace
}  // namespace xfu

int main(int argc, char** argv) {
  // Past a file-size limit, a write should fail (EFBIG, reported as exit 6,
  // the partial download kept) instead of the signal killing xfu.
  std::signal(SIGXFSZ, SIG_IGN);
  return xfu::run(argc, argv);
}
