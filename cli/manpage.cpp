// recall_manpage: writes recall(1) in roff to stdout at build time, from the
// same tables `recall --help` and `recall COMMAND --help` print (global
// options, the command table, each command's options through describe()),
// so the page cannot drift from the parser.
//   recall_manpage DATADIR OUTPUT   (DATADIR: where the deck and docs are installed)
#include <fstream>
#include <iostream>
#include <string>

#include "command.h"
#include "recall/settings.h"

namespace {

using recall::cli::CommandInfo;
using recall::cli::OptionInfo;

// Text for a roff line: backslashes escaped, dashes as \- (so they copy as
// ASCII hyphen-minus), and a leading dot or quote guarded with \&.
std::string roff(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\')
      out += "\\e";
    else if (c == '-')
      out += "\\-";
    else
      out += c;
  }
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out = "\\&" + out;
  return out;
}

std::string option_tag(const OptionInfo& option) {
  std::string tag;
  if (option.short_name) tag += "\\fB\\-" + std::string(1, option.short_name) + "\\fR, ";
  tag += "\\fB" + roff("--" + option.name) + "\\fR";
  if (option.takes_value) {
    std::string upper = option.name == "db" ? "PATH" : option.name == "today" ? "YYYY-MM-DD" : "";
    if (upper.empty())
      for (char c : option.name) upper += c == '-' ? '_' : static_cast<char>(std::toupper(c));
    tag += " \\fI" + roff(upper) + "\\fR";
  }
  return tag;
}

void print_options(const std::vector<OptionInfo>& options) {
  for (const auto& option : options) {
    std::cout << ".TP\n" << option_tag(option) << "\n" << roff(option.description);
    if (option.positional) std::cout << " (also given as a word in its place)";
    std::cout << "\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: recall_manpage DATADIR OUTPUT\n";
    return 2;
  }
  const std::string datadir = argv[1];
  std::ofstream file(argv[2], std::ios::binary | std::ios::trunc);
  std::streambuf* const terminal = std::cout.rdbuf(file.rdbuf());
  std::cout
      << ".\\\" recall(1), generated at build time by recall_manpage (cli/manpage.cpp)\n"
      << ".TH RECALL 1 \"\" \"" << roff(recall::cli::version_text()) << "\" \"User Commands\"\n"
      << ".SH NAME\nrecall \\- spaced repetition for an ML interview study tracker\n"
      << ".SH SYNOPSIS\n.B recall\n[\\fB\\-\\-db\\fR \\fIPATH\\fR] "
         "[\\fB\\-\\-today\\fR \\fIYYYY\\-MM\\-DD\\fR] \\fICOMMAND\\fR [\\fIOPTIONS\\fR]\n"
         ".br\n.B recall\n\\fICOMMAND\\fR \\fB\\-\\-help\\fR\n.br\n.B recall \\-\\-version\n"
      << ".SH DESCRIPTION\n"
         ".B recall\nturns the key points of a markdown study tracker (kept by the learner "
         "or an AI tutor) into flashcards, schedules them with SM\\-2 (or FSRS\\-6) in a "
         "SQLite database, runs a daily drill in the terminal, and writes what the drill "
         "learns back into the tracker: confidence, knowledge gaps and recurring mistakes.\n"
         ".PP\nA tutor (an AI model in Claude Code) reaches the same database through "
         "\\fBrecall mcp\\fR and \\fBrecall brief\\fR; \\fBrecall integrate claude\\-code\\fR "
         "installs both into a tutor's repository.\n"
         ".PP\nEvery answer is saved at once, in its own transaction: quitting a drill loses "
         "nothing.\n";

  std::cout << ".SH GLOBAL OPTIONS\nGiven before or after the command.\n";
  print_options(recall::cli::describe_options(recall::cli::global_options()));

  std::cout << ".SH COMMANDS\n";
  for (const auto& command : recall::cli::commands()) {
    const CommandInfo info = recall::cli::describe(command);
    std::cout << ".SS " << info.name << "\n"
              << roff(info.summary) << ".\n.PP\n.B recall\n"
              << roff(info.synopsis) << "\n";
    print_options(info.options);
  }

  std::cout << ".SS Settings\n\\fBrecall config set\\fR \\fIKEY VALUE\\fR stores one of:\n";
  for (const auto& setting : recall::known_settings()) {
    std::cout << ".TP\n\\fB" << roff(setting.key) << "\\fR\n" << roff(setting.meaning);
    if (!setting.default_value.empty())
      std::cout << " (default: " << roff(setting.default_value) << ")";
    std::cout << "\n";
  }

  std::cout
      << ".SH EXIT STATUS\n"
         ".TP\n.B 0\nSuccess.\n"
         ".TP\n.B 1\nA data or I/O error: a malformed tracker or deck (the message names the "
         "file and line), a database that cannot be opened or written, a full disk or a closed "
         "output. \\fBrecall check\\fR also exits 1 when it finds a problem, and "
         "\\fBrecall integrate claude\\-code \\-\\-check\\fR when the pinned binary or database "
         "is gone. The database and the user's files are left as they were.\n"
         ".TP\n.B 2\nA usage error: an unknown command or option, or a bad argument (the message "
         "names it).\n"
         ".SH ENVIRONMENT\n"
         ".TP\n.B RECALL_DB\nThe database file when \\fB\\-\\-db\\fR is not given.\n"
         ".TP\n.B XDG_DATA_HOME\nWithout \\fBRECALL_DB\\fR, the database is "
         "\\fI$XDG_DATA_HOME/recall/recall.db\\fR.\n"
         ".TP\n.B HOME\nWithout either, the database is "
         "\\fI$HOME/.local/share/recall/recall.db\\fR.\n"
         ".TP\n.B NO_COLOR\nWhen set and not empty, the interactive drill prints no colour.\n"
         ".TP\n.BR LC_ALL \", \" LC_CTYPE \", \" LANG\nThe first one set decides whether "
         "\\fBstats\\fR and \\fBplan\\fR draw their charts with Unicode blocks (a UTF\\-8 "
         "locale) or ASCII.\n"
         ".TP\n.B CLAUDE_PROJECT_DIR\nSet by Claude Code for its hooks: \\fBrecall brief\\fR "
         "looks there (else in the current folder) for the SessionStart hook that "
         "\\fBrecall integrate claude\\-code\\fR wrote, and says when the binary it runs is "
         "missing or in a build folder.\n"
         ".SH FILES\n"
         ".TP\n.I ~/.local/share/recall/recall.db\nThe default database (see ENVIRONMENT); "
         "its folder is created on first use.\n"
         ".TP\n.I "
      << roff(datadir) << "/decks/\n"
      << "The shipped example: a study tracker and its deck "
         "(\\fBrecall import\\fR takes either).\n"
         ".TP\n.I "
      << roff(datadir) << "/docs/\n"
      << "The README and the design notes (cards, decks, feedback, MCP, reliability).\n"
         ".TP\n.IR .mcp.json \", \" .claude/settings.json\nIn a tutor's repository, written by "
         "\\fBrecall integrate claude\\-code\\fR: they pin this binary's path and the database.\n"
         ".SH EXAMPLES\n"
         "Start from the shipped tracker and drill today's cards:\n"
         ".PP\n.nf\n.RS\nrecall import "
      << roff(datadir) << "/decks/ml\\-study\\-tracker.md\nrecall due\nrecall review\n.RE\n.fi\n"
      << ".PP\nAnswer from a script, on a throwaway database and a fixed day:\n"
         ".PP\n.nf\n.RS\nrecall \\-\\-db /tmp/t.db \\-\\-today 2026\\-01\\-05 next \\-\\-json\n"
         "recall \\-\\-db /tmp/t.db \\-\\-today 2026\\-01\\-05 answer 12 4\n.RE\n.fi\n"
         ".PP\nWrite the drill's findings back into the tracker, after looking at the diff:\n"
         ".PP\n.nf\n.RS\nrecall sync \\-\\-dry\\-run\nrecall sync\n.RE\n.fi\n"
         ".PP\nSet the interview date, then see the plan:\n"
         ".PP\n.nf\n.RS\nrecall config set interview\\-date 2026\\-12\\-15\nrecall plan\n.RE\n.fi\n"
         ".PP\nConnect a tutor's repository, and check it later:\n"
         ".PP\n.nf\n.RS\nrecall integrate claude\\-code ~/tutor\n"
         "recall integrate claude\\-code ~/tutor \\-\\-check\n.RE\n.fi\n"
         ".PP\nShell completion for the current bash session:\n"
         ".PP\n.nf\n.RS\nsource <(recall completion bash)\n.RE\n.fi\n"
         ".SH SEE ALSO\n"
         "The README in \\fI"
      << roff(datadir) << "/docs/README.md\\fR.\n";
  std::cout.flush();
  std::cout.rdbuf(terminal);
  if (!file) {
    std::cerr << "recall_manpage: " << argv[2] << ": cannot write\n";
    return 1;
  }
  return 0;
}
