// `recall brief`: what a tutor should know at the start of a session, in at
// most 15 lines (a Claude Code SessionStart hook prints it into the model's
// context). On a missing database it says how to start and creates nothing.
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "commands.h"
#include "recall/brief.h"
#include "recall/json_shapes.h"
#include "recall/pinning.h"
#include "recall/review.h"
#include "render.h"
#include "terminal.h"

namespace recall::cli {

namespace {

constexpr std::size_t kTextWidth = 90;  // code points of one quoted text

// A line when the SessionStart hook in $CLAUDE_PROJECT_DIR (else the current
// folder) runs a missing or build-folder binary (pinning.h); "" otherwise.
std::string stale_hook_note() {
  const char* project = std::getenv("CLAUDE_PROJECT_DIR");
  const auto pin = stale_session_hook(project && *project ? project : ".");
  if (!pin) return "";
  return "Note: the SessionStart hook (.claude/settings.json) runs " + printable(pin->binary) +
         (pin->binary_ok ? ", a build-folder binary that breaks if that folder is rebuilt or "
                           "removed"
                         : ", which no longer exists") +
         "; `recall integrate claude-code` pins the installed recall (`--check` tells more).\n";
}

// One line of at most `width` code points, control characters made visible
// (terminal.h printable), so a note cannot move the cursor or colour a terminal.
std::string one_line(const std::string& text, std::size_t width) {
  const std::string shown = printable(text);
  std::size_t points = 0;
  for (std::size_t i = 0; i < shown.size(); ++i) {
    if ((static_cast<unsigned char>(shown[i]) & 0xC0) != 0x80 && ++points > width)
      return shown.substr(0, i) + "…";
  }
  return shown;
}

std::string days_text(const std::vector<Day>& days) {
  if (days.empty()) return "";
  return "on " + std::to_string(days.size()) + (days.size() == 1 ? " day" : " days") + ", last " +
         format_day(days.back());
}

std::string count_text(int shown, int total) {
  return std::to_string(total) + (total > shown ? " (" + std::to_string(shown) + " shown)" : "");
}

std::string interview_text(const Brief& brief) {
  if (!brief.interview) return "Interview date: not set.";
  const int days = *brief.interview - brief.day;
  std::string when = days > 1    ? "in " + std::to_string(days) + " days"
                     : days == 1 ? "tomorrow"
                     : days == 0 ? "today"
                                 : std::to_string(-days) + (days == -1 ? " day ago" : " days ago");
  return "Interview: " + format_day(*brief.interview) + ", " + when + ".";
}

// "Tracker: last synced 2026-03-16 (2 days ago); 37 answers wait for `recall
// sync`. Readiness: tutor 54%, recall 31%."
std::string tracker_text(const Brief& brief) {
  const SyncState& sync = brief.sync;
  std::string text = "Tracker: ";
  if (!sync.last_synced) {
    text += "not synced yet";
  } else {
    const int ago = brief.day - *sync.last_synced;
    text += "last synced " + format_day(*sync.last_synced) +
            (ago == 0   ? " (today)"
             : ago == 1 ? " (yesterday)"
             : ago > 1  ? " (" + std::to_string(ago) + " days ago)"
                        : "");
  }
  const int waiting = sync.answers_waiting;
  text += waiting == 0
              ? "; no review evidence waiting"
              : "; " + std::to_string(waiting) +
                    (waiting == 1 ? " answer waits" : " answers wait") + " for `recall sync`";
  if (sync.tutor_readiness || sync.recall_readiness) {
    text += ". Readiness:";
    if (sync.tutor_readiness) text += " tutor " + std::to_string(*sync.tutor_readiness) + "%";
    if (sync.tutor_readiness && sync.recall_readiness) text += ",";
    if (sync.recall_readiness) text += " recall " + std::to_string(*sync.recall_readiness) + "%";
  }
  return text + ".";
}

void print_text(const Brief& brief) {
  std::cout << "recall (spaced-repetition flashcards), " << format_day(brief.day) << ": "
            << brief.due << " due, " << brief.fresh << " new, " << brief.redrill
            << " to re-drill today; " << brief.cards << " cards.\n"
            << interview_text(brief) << "\n";
  std::cout << "Recurring mistakes: "
            << count_text(static_cast<int>(brief.mistakes.size()), brief.mistakes_total) << ".\n";
  for (const auto& m : brief.mistakes) {
    std::cout << "- card " << m.card_id << " [" << (m.topic_label.empty() ? "-" : m.topic_label)
              << "] " << one_line(m.question, kTextWidth) << ": failed " << m.failures << "× "
              << days_text(m.fail_days);
    for (std::size_t i = 0; i < m.notes.size() && i < 2; ++i)
      std::cout << (i == 0 ? "; notes: \"" : ", \"") << one_line(m.notes[i], kTextWidth) << "\"";
    std::cout << "\n";
  }
  if (brief.weakest.empty()) {
    std::cout << "Weakest topics by review evidence: none failed in the last 30 days.\n";
  } else {
    std::cout << "Weakest topics by review evidence (last 30 days):\n";
    for (const auto& t : brief.weakest) {
      std::cout << "- " << t.label << " " << one_line(t.title, kTextWidth) << ": " << t.passed
                << " of " << t.graded << " graded answers passed on " << t.days
                << (t.days == 1 ? " day" : " days") << " (evidence: "
                << (t.evidence ? std::string(to_string(*t.evidence)) : "too little")
                << "; tracker: " << (t.confidence.empty() ? "-" : one_line(t.confidence, 20))
                << ")\n";
    }
  }
  std::cout << "Open gaps not fixed by drilling: "
            << count_text(static_cast<int>(brief.gaps.size()), brief.gaps_total) << ".\n";
  for (const auto& g : brief.gaps) {
    std::cout << "- [" << g.tier << (g.recurring ? ", recurring" : "")
              << (g.gap_id ? "" : ", not in tracker yet") << "] " << one_line(g.text, kTextWidth)
              << ": ";
    if (g.misses > 0)
      std::cout << "missed " << g.misses << "× " << days_text(g.miss_days);
    else if (g.card_ids.empty())
      std::cout << "no card linked";
    else
      std::cout << "no miss on its " << g.card_ids.size()
                << (g.card_ids.size() == 1 ? " card" : " cards");
    std::cout << "\n";
  }
  std::cout << "Cards flagged for rewriting (quality review, `recall cards --review`): "
            << brief.flagged << ". " << review_text(brief.review) << ".";
  // The tutor reads this: the review pass is its job, over recall mcp.
  if (drafts_waiting(brief.review) > 0 || brief.review.unreviewed > 0)
    std::cout << " Start the session with the review pass (skill recall-cards: cards_to_review, "
                 "then approve_cards, edit_cards, retire_cards in batches).";
  std::cout << "\n";
  if (brief.tracker) std::cout << tracker_text(brief) << "\n";
}

}  // namespace

int run_brief(Context& context, const std::vector<std::string>& args) {
  po::options_description options("brief options");
  options.add_options()("json", "print a JSON object");
  po::variables_map values;
  if (!parse_args("brief", args, options, {}, values, "brief [--json]")) return 0;
  const bool json = values.count("json") > 0;
  if (!json) std::cout << stale_hook_note();
  // Opening the store would create the database: a session hook must not.
  std::error_code error;
  if (!std::filesystem::exists(context.db_path(), error)) {
    if (json) {
      std::cout << json_text(brief_missing_json(context.db_path())) << "\n";
    } else {
      std::cout << "recall (spaced-repetition flashcards): no database at "
                << one_line(context.db_path(), 200)
                << " yet. `recall import TRACKER.md` creates it with cards from a study tracker.\n";
    }
    return 0;
  }
  const Brief brief = load_brief(context.store(), context.today());
  if (json) {
    std::cout << json_text(brief_json(brief, context.db_path())) << "\n";
  } else if (brief.cards == 0) {
    std::cout
        << "recall (spaced-repetition flashcards): the database "
        << one_line(context.db_path(), 200)
        << " has no cards yet. `recall import TRACKER.md` makes cards from a study tracker.\n";
  } else {
    print_text(brief);
  }
  return 0;
}

}  // namespace recall::cli
