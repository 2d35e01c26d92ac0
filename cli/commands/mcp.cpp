#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <iostream>

#include "commands.h"
#include "mcp/protocol.h"
#include "mcp/tools.h"
#include "recall/error.h"

namespace recall::cli {

namespace {

// Waits for bytes as they come (a pipe from the client); 0 at end of input.
std::size_t read_stdin(char* buffer, std::size_t size) {
  for (;;) {
    const ssize_t got = ::read(STDIN_FILENO, buffer, size);
    if (got >= 0) return static_cast<std::size_t>(got);
    if (errno != EINTR)
      throw Error::io(std::string("mcp: reading stdin failed: ") + std::strerror(errno));
  }
}

const char* kInstructions =
    "recall holds the learner's flashcards (SM-2). To drill: next_card, ask its front, let the "
    "learner answer, reveal_card, judge the answer against the back, grade_card 0-5. Never tell "
    "the back before the learner has answered. record_answer logs an answer heard outside the "
    "drill.";

}  // namespace

int run_mcp(Context& context, const std::vector<std::string>& args) {
  po::options_description options("mcp options");
  po::variables_map values;
  if (!parse_args("mcp", args, options, {}, values, "mcp   (an MCP server on stdin/stdout)"))
    return 0;
  Store& store = context.store();  // opened (and upgraded) before the first message
  mcp::RecallTools tools(
      store, [&] { return context.today(); },
      [] { return local_timestamp(std::chrono::system_clock::now()); });
  mcp::Server server(tools, {"recall", RECALL_VERSION, kInstructions});
  // stdout carries protocol messages only; each goes out whole, at once.
  mcp::serve(
      read_stdin, [](std::string_view line) { std::cout.write(line.data(), line.size()).flush(); },
      server);
  return 0;
}

}  // namespace recall::cli
