// One function per subcommand: each adds its CLI11 subcommand to `app`.
#pragma once

namespace CLI {
class App;
}

namespace xfu {

class Context;

void add_list_command(CLI::App& app, Context& context);
void add_catalog_command(CLI::App& app, Context& context);
void add_complete_command(CLI::App& app, Context& context);
void add_device_command(CLI::App& app, Context& context);
void add_devices_command(CLI::App& app, Context& context);
void add_download_command(CLI::App& app, Context& context);
void add_inspect_command(CLI::App& app, Context& context);
void add_show_command(CLI::App& app, Context& context);
void add_verify_command(CLI::App& app, Context& context);

}  // namespace xfu
