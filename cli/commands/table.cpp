#include "commands.h"

namespace recall::cli {

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      {"init", "create the database (safe to run again)", run_init},
      {"import", "import a study tracker or a deck file; `import anki FILE`: the phone's answers",
       run_import},
      {"export", "export anki FILE.apkg: the cards as an Anki package for the phone", run_export},
      {"deck", "write the cards of a tracker as a markdown deck", run_deck},
      {"review", "today's review drill (interactive, or piped answers)", run_review},
      {"due", "how many cards are due and new today", run_due},
      {"next", "the next card of today's queue", run_next},
      {"answer", "record a grade (0-5) for a card today", run_answer},
      {"undo", "revert the last answer", run_undo},
      {"card", "one card: content, SM-2 state and history", run_card},
      {"cards", "list cards with topic, kind and state", run_cards},
      {"topics", "list topics with card counts", run_topics},
      {"gaps", "open knowledge gaps with evidence, and recurring mistakes", run_gaps},
      {"sync", "write review outcomes back into the tracker (--dry-run: show the diff)", run_sync},
      {"add", "add one card by hand", run_add},
      {"edit", "set a card's front or back text (keeps its schedule and history)", run_edit},
      {"approve", "mark cards reviewed as they are (flagged drafts may then be drilled)",
       run_approve},
      {"retire", "retire cards not worth drilling (kept with the reason; no import restores them)",
       run_retire},
      {"config", "get, set or unset settings (limits, rollover, interview date)", run_config},
      {"plan", "day by day until the interview: reviews, new cards, weak domains", run_plan},
      {"stats", "per-domain counts, retention, readiness and charts", run_stats},
      {"optimize", "fit FSRS-6's parameters to the review log (--dry-run: report only)",
       run_optimize},
      {"report", "write a self-contained HTML report (-o FILE)", run_report},
      {"check", "verify the database: integrity and a replay of the review log", run_check},
      {"backup", "a consistent copy of the database (safe during a drill)", run_backup},
      {"mcp", "an MCP server on stdio, for an AI tutor (docs/mcp.md)", run_mcp},
      {"brief", "what a tutor should know at the start of a session (15 lines)", run_brief},
      {"integrate",
       "install recall into a tutor's repository (claude-code: MCP server, hook, skills)",
       run_integrate},
      {"completion", "print a shell completion script (bash or zsh)", run_completion},
  };
  return table;
}

}  // namespace recall::cli
