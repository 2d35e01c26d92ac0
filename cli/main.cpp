// recall: global options, the command table, and the one place where errors
// become exit codes (2 usage, 1 data or I/O).
#include <boost/program_options.hpp>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include "command.h"
#include "recall/error.h"
#include "terminal.h"

namespace po = boost::program_options;
using recall::Error;
using recall::ErrorKind;

namespace {

void print_help(const po::options_description& globals) {
  std::cout << "recall — spaced repetition for your ML interview study tracker\n\n"
               "usage: recall [--db PATH] [--today YYYY-MM-DD] <command> [options]\n\n"
            << globals << "\ncommands:\n";
  for (const auto& command : recall::cli::commands())
    std::cout << "  " << command.name
              << std::string(12 - std::min<size_t>(11, std::string(command.name).size()), ' ')
              << command.summary << "\n";
  std::cout << "\n`recall <command> --help` shows a command's options.\n";
}

int run(int argc, char** argv) {
  const po::options_description& globals = recall::cli::global_options();
  po::options_description hidden;
  hidden.add_options()("command", po::value<std::string>())("args",
                                                            po::value<std::vector<std::string>>());
  po::options_description all;
  all.add(globals).add(hidden);
  po::positional_options_description positional;
  positional.add("command", 1).add("args", -1);

  po::variables_map values;
  po::parsed_options parsed = [&] {
    try {
      return po::command_line_parser(argc, argv)
          .options(all)
          .positional(positional)
          .allow_unregistered()
          .run();
    } catch (const po::error& e) {
      throw Error::usage(std::string(e.what()) + " (see recall --help)");
    }
  }();
  po::store(parsed, values);

  if (values.count("version")) {
    std::cout << recall::cli::version_text() << "\n";
    return 0;
  }
  if (!values.count("command")) {
    if (values.count("help")) {
      print_help(globals);
      return 0;
    }
    print_help(globals);
    return 2;
  }
  const std::string name = values["command"].as<std::string>();
  std::vector<std::string> args = po::collect_unrecognized(parsed.options, po::include_positional);
  args.erase(args.begin());  // the command itself
  if (values.count("help")) args.push_back("--help");

  std::optional<recall::Day> today;
  if (values.count("today"))
    today = recall::cli::parse_day_argument("--today", values["today"].as<std::string>());
  const std::string db =
      values.count("db") ? values["db"].as<std::string>() : recall::cli::default_db_path();
  if (db.empty()) throw Error::usage("--db: the path is empty");

  for (const auto& command : recall::cli::commands()) {
    if (name == command.name) {
      recall::cli::Context context(db, today, argv[0]);
      return command.run(context, args);
    }
  }
  throw Error::usage("unknown command '" + name + "' (see recall --help)");
}

// std::cout's buffer: the same stdio stdout as before (so output keeps its
// order with the terminal's direct writes), but the first failed write's
// errno is kept, since later calls may clobber errno before main reports it.
class CheckedStdout : public std::streambuf {
 public:
  int error() const { return error_; }

 protected:
  int_type overflow(int_type c) override {
    if (traits_type::eq_int_type(c, traits_type::eof()))
      return sync() == 0 ? traits_type::not_eof(c) : c;
    if (std::fputc(traits_type::to_char_type(c), stdout) == EOF)
      return failed(), traits_type::eof();
    return c;
  }
  std::streamsize xsputn(const char* text, std::streamsize size) override {
    const std::size_t put = std::fwrite(text, 1, static_cast<std::size_t>(size), stdout);
    if (put < static_cast<std::size_t>(size)) failed();
    return static_cast<std::streamsize>(put);
  }
  int sync() override { return std::fflush(stdout) == 0 ? 0 : (failed(), -1); }

 private:
  void failed() {
    if (!error_) error_ = errno ? errno : EIO;
  }
  int error_ = 0;
};

// Everything printed must have reached stdout: a full disk or a closed pipe
// is an error, not a quiet success.
int finish_stdout(const CheckedStdout& out, int code) {
  std::cout.flush();
  if (out.error() == 0 && std::cout.good() && !std::ferror(stdout)) return code;
  std::cerr << "recall: stdout: " << std::strerror(out.error() ? out.error() : EIO) << "\n";
  return 1;
}

int run_guarded(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const Error& e) {
    std::cerr << "recall: " << recall::cli::printable(e.what()) << "\n";
    return e.kind() == ErrorKind::kUsage ? 2 : 1;
  } catch (const std::exception& e) {
    std::cerr << "recall: " << recall::cli::printable(e.what()) << "\n";
    return 1;
  }
}

}  // namespace

int main(int argc, char** argv) {
  // Past RLIMIT_FSIZE, write() then fails with EFBIG, which is reported,
  // instead of the process dying silently (or, ignored, leaving a short file).
  std::signal(SIGXFSZ, SIG_IGN);
  // Never destroyed: std::cout is flushed again at exit, after main's statics go.
  static auto* const out = new CheckedStdout;
  std::cout.rdbuf(out);
  return finish_stdout(*out, run_guarded(argc, argv));
}
