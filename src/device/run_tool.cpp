#include "device/run_tool.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "core/exit_code.hpp"
#include "util/strings.hpp"

extern char** environ;

namespace xfu {

namespace {

class FileActions {
 public:
  FileActions() { posix_spawn_file_actions_init(&actions_); }
  ~FileActions() { posix_spawn_file_actions_destroy(&actions_); }
  FileActions(const FileActions&) = delete;
  FileActions& operator=(const FileActions&) = delete;
  posix_spawn_file_actions_t* get() { return &actions_; }

 private:
  posix_spawn_file_actions_t actions_;
};

struct Pipe {
  int read_end = -1, write_end = -1;
  Pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
      throw Error(ExitCode::LocalFile, std::string("cannot create a pipe: ") + std::strerror(errno));
    read_end = fds[0];
    write_end = fds[1];
  }
  ~Pipe() {
    if (read_end >= 0) ::close(read_end);
    close_write_end();
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
  void close_write_end() {
    if (write_end >= 0) ::close(write_end);
    write_end = -1;
  }
};

pid_t spawn_into(const std::vector<std::string>& argv, Pipe& pipe) {
  FileActions actions;
  posix_spawn_file_actions_addopen(actions.get(), STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(actions.get(), pipe.write_end, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(actions.get(), pipe.write_end, STDERR_FILENO);
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  if (const int failed = posix_spawnp(&pid, args[0], actions.get(), nullptr, args.data(), environ); failed != 0)
    throw Error(ExitCode::LocalFile, "cannot run " + argv[0] + ": " + std::strerror(failed));
  return pid;
}

using Clock = std::chrono::steady_clock;

int milliseconds_until(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left <= 0 ? 0 : static_cast<int>(left);
}

// Appends what `fd` has now; false once it is closed or the output grew past `max_output`.
bool read_some(int fd, size_t max_output, ToolResult& result) {
  char buffer[4096];
  const ssize_t got = ::read(fd, buffer, sizeof buffer);
  if (got < 0) return errno == EINTR || errno == EAGAIN;
  if (got == 0) return false;
  const size_t room = max_output - result.output.size();
  result.output.append(buffer, std::min(room, static_cast<size_t>(got)));
  result.truncated = static_cast<size_t>(got) > room;
  return !result.truncated;
}

// Reads until the pipe closes, the child ends, the deadline passes or the output grows past `max_output`. The
// child's end is checked too: a server it started in the background (adb's daemon) may hold the pipe open.
// Returns whether the child was reaped, with its status.
bool collect(pid_t pid, int fd, Clock::time_point deadline, size_t max_output, ToolResult& result, int& status) {
  constexpr int kSliceMs = 50;
  bool open = true;
  for (;;) {
    if (open) {
      pollfd ready{fd, POLLIN, 0};
      const int waited = ::poll(&ready, 1, std::min(kSliceMs, milliseconds_until(deadline)));
      if (waited > 0) open = read_some(fd, max_output, result);
      if (result.truncated) return false;
      if (waited > 0 && open) continue;
    } else {
      ::poll(nullptr, 0, std::min(kSliceMs, milliseconds_until(deadline)));
    }
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      // What it wrote before it ended is still in the pipe.
      for (pollfd ready{fd, POLLIN, 0}; open && ::poll(&ready, 1, 0) > 0;) open = read_some(fd, max_output, result);
      return true;
    }
    if (milliseconds_until(deadline) == 0) {
      result.timed_out = true;
      return false;
    }
  }
}

}  // namespace

bool on_path(std::string_view name) {
  const char* path = std::getenv("PATH");
  if (!path || name.empty() || name.find('/') != std::string_view::npos) return false;
  for (const std::string& dir : split(path, ':')) {
    const std::string file = (dir.empty() ? std::string(".") : dir) + "/" + std::string(name);
    struct stat info {};
    if (::stat(file.c_str(), &info) == 0 && S_ISREG(info.st_mode) && ::access(file.c_str(), X_OK) == 0) return true;
  }
  return false;
}

ToolResult run_tool(const std::vector<std::string>& argv, std::chrono::milliseconds limit, size_t max_output) {
  Pipe pipe;
  const pid_t pid = spawn_into(argv, pipe);
  pipe.close_write_end();
  ::fcntl(pipe.read_end, F_SETFL, O_NONBLOCK);
  ToolResult result;
  int status = 0;
  if (!collect(pid, pipe.read_end, Clock::now() + limit, max_output, result, status)) {
    // It outlived its time or printed too much.
    ::kill(pid, SIGKILL);
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return result;
  }
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  return result;
}

}  // namespace xfu
