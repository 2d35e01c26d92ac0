// recall review: the daily drill. Interactive on a terminal (single keys),
// line-driven when stdin is not a terminal, so it can be piped and tested.
#include <chrono>
#include <iostream>
#include <sstream>

#include "commands.h"
#include "recall/drill.h"
#include "recall/error.h"
#include "recall/review.h"
#include "recall/text.h"
#include "render.h"
#include "terminal.h"

namespace recall::cli {

namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kGradeMeanings[6] = {
    "blackout",    "wrong, familiar",        "wrong, easy once seen",
    "right, hard", "right, some hesitation", "perfect"};

std::string context_line(const DrillSession::Current& current) {
  std::ostringstream line;
  line << "[" << to_string(current.phase) << " " << current.position << "/" << current.total
       << "] ";
  if (current.card.topic_id) {
    line << current.card.topic_label << " " << current.card.topic_title << " · "
         << current.card.domain_letter << ". " << current.card.domain_name << " ("
         << current.card.domain_weight << "%)";
  } else if (current.card.domain_letter) {
    line << "(no topic) · " << current.card.domain_letter << ". " << current.card.domain_name
         << " (" << current.card.domain_weight << "%)";
  } else {
    line << "(no topic)";
  }
  return printable(line.str());
}

// The card text without its first "[topic · domain]" context line, which the
// drill already shows above it; printable, since it is the tracker's text.
std::string body(const std::string& text) {
  if (text.rfind('[', 0) == 0) {
    if (auto newline = text.find('\n'); newline != std::string::npos)
      return printable(std::string_view(text).substr(newline + 1), true);
  }
  return printable(text, true);
}

// Days from `day` to what a grade would schedule (SM-2: its interval).
int days_to(const Sm2State& outcome, Day day) {
  return outcome.due_day ? *outcome.due_day - day : outcome.interval_days;
}

// What each grade would schedule, or (a re-drill) that none moves it.
std::string preview_line(const DrillSession::Current& current) {
  if (!current.preview) return "re-drill: no grade moves the schedule";
  std::ostringstream line;
  for (int grade = 0; grade <= 5; ++grade) {
    if (grade) line << "  ";
    line << grade << "→" << days_to((*current.preview)[grade], current.day) << "d";
  }
  return line.str();
}

void print_summary(std::ostream& out, Store& store, const DrillSession::Summary& s,
                   const Style& style) {
  out << "\n" << style.bold("Session summary") << "\n";
  out << "  answered: " << s.answered;
  if (s.answered) out << ", correct: " << (100 * s.correct + s.answered / 2) / s.answered << "%";
  out << "\n  re-drilled cards: " << s.redrilled;
  if (s.redrill_waiting)
    out << " (" << s.redrill_waiting << (s.redrill_waiting == 1 ? " card waits" : " cards wait")
        << " to be re-drilled today: recall review)";
  out << "\n";
  if (!s.new_recurring.empty()) {
    out << "  " << style.red("recurring mistakes today:") << "\n";
    for (long long id : s.new_recurring) {
      if (auto card = store.card(id))
        out << "    card " << id << " " << topic_line(*card) << ": " << printable(card->source)
            << "\n";
    }
  }
  if (!s.worst_topics.empty()) {
    out << "  topics that went worst:\n";
    for (const auto& [topic, share] : s.worst_topics)
      out << "    " << printable(topic) << " (" << static_cast<int>(share * 100 + 0.5)
          << "% missed)\n";
  }
  out << "  due tomorrow: " << s.due_tomorrow << "\n";
}

// Why the drill has nothing new while drafts wait, and what to do about it;
// nothing when no draft waits.
void print_waiting(std::ostream& out, Store& store) {
  if (const std::string text = waiting_text(store.review_counts()); !text.empty())
    out << text << "\n";
}

void print_plan(std::ostream& out, Store& store, Day today, const CardFilter& filter) {
  const Queue queue = order_queue(gather_queue(store, today, filter, std::nullopt, 0));
  const int reviews = queue.reviews_total, fresh = queue.new_total;
  out << "today " << format_day(today) << ": " << reviews << " reviews, " << fresh << " new, "
      << queue.redrill_total << " to re-drill\n";
  if (fresh == 0) print_waiting(out, store);
}

// The note of the failure a card comes back from, printable (the learner's text).
std::string mistake_line(const DrillSession::Current& current) {
  return current.last_mistake ? "last time: " + printable(*current.last_mistake) : "";
}

// Undoes the session's last answer; what to tell the learner. A refusal
// (its card was answered again elsewhere) is a message, not the end of the drill.
std::string undo_message(DrillSession& session) {
  try {
    const auto undone = session.undo();
    return undone ? "undid grade " + std::to_string(undone->grade) + " on card " +
                        std::to_string(undone->card_id)
                  : "nothing to undo";
  } catch (const Error& e) {
    return std::string("cannot undo: ") + e.what();
  }
}

// Piped mode: one command per line.
//   show            print the answer of the current card
//   0..5 [note]     grade the current card (a note is kept for grades 0-2)
//   u               undo the last answer
//   s               skip the current card for today
//   e front TEXT    after `show`: rewrite the current card's front (or back),
//   e back TEXT     as `recall edit` does (reviewed by the learner)
//   q               stop (everything answered is already saved)
int run_piped(Store& store, DrillSession& session, Day today, const CardFilter& filter,
              const std::string& header) {
  std::string line;
  long long shown_id = 0;     // the card whose front was printed; 0: none
  long long revealed_id = 0;  // the card whose answer was printed; 0: none
  // The card in hand, its front printed once.
  auto show_current = [&]() {
    auto current = session.current(Clock::now());
    if (current && shown_id != current->card.id) {
      std::cout << context_line(*current) << " card " << current->card.id << "\n"
                << body(current->card.front) << "\n";
      if (current->last_mistake) std::cout << mistake_line(*current) << "\n";
      shown_id = current->card.id;
    }
    return current;
  };
  if (!header.empty()) std::cout << header << "\n";
  if (!std::getline(std::cin, line)) {
    print_plan(std::cout, store, today, filter);
    return 0;
  }
  do {
    std::string command = line;
    while (!command.empty() && (command.back() == '\r' || command.back() == ' '))
      command.pop_back();
    if (command.empty()) continue;
    if (command == "q") break;
    if (command == "u") {
      std::cout << undo_message(session) << "\n";
      shown_id = 0;
      continue;
    }
    const auto current = show_current();
    if (!current) break;
    if (command == "show") {
      std::cout << "answer: " << body(current->card.back) << "\n" << preview_line(*current) << "\n";
      revealed_id = current->card.id;
      continue;
    }
    if (command.rfind("e ", 0) == 0) {
      // Only after the reveal: the learner judges the card having seen it all.
      if (revealed_id != current->card.id)
        throw Error::usage("e: show the answer first (`show`), then edit the card");
      const std::string rest = command.substr(2);
      const std::size_t space = rest.find(' ');
      const std::string side = rest.substr(0, space);
      if ((side != "front" && side != "back") || space == std::string::npos)
        throw Error::usage("e: expected `e front TEXT` or `e back TEXT`");
      Store::CardEdit edit{current->card.id, std::nullopt, std::nullopt, std::nullopt};
      (side == "front" ? edit.front : edit.back) = rest.substr(space + 1);
      edit_cards(store, {edit}, Reviewer::kLearner, today);
      std::cout << "edited the " << side << " of card " << current->card.id << "\n";
      continue;
    }
    if (command == "s") {
      session.skip();
      std::cout << "skipped card " << current->card.id << "\n";
      shown_id = 0;
      revealed_id = 0;
      continue;
    }
    const std::string grade_text = command.substr(0, command.find(' '));
    const int grade = parse_grade(grade_text);
    std::optional<std::string> note;
    if (command.size() > grade_text.size() && grade < kPassingGrade) {
      std::string text = command.substr(grade_text.size() + 1);
      if (!text.empty()) note = text;
    }
    const ReviewLog log = session.answer(grade, note);
    std::cout << "graded " << grade << " (" << kGradeMeanings[grade] << ")";
    if (log.kind == ReviewKind::kReview)
      std::cout << ": next in " << log.after.interval_days << "d, due "
                << due_text(log.after.due_day);
    else
      std::cout << ": re-drill, schedule unchanged";
    std::cout << "\n";
    shown_id = 0;
    revealed_id = 0;
  } while (std::getline(std::cin, line));
  if (!session.current(Clock::now())) {
    std::cout << "nothing left today\n";
    print_waiting(std::cout, store);
  }
  print_summary(std::cout, store, session.summary(), Style{});
  return 0;
}

// The mistake note of a failed answer, asked again until it keeps the note
// rules (text.h); nullopt when skipped with Enter or at end of input.
std::optional<std::string> read_note(RawTerminal& terminal) {
  std::cout << "What went wrong? (one line, Enter to skip): " << std::flush;
  for (;;) {
    auto line = terminal.read_line();
    if (!line || line->empty()) return std::nullopt;
    const auto error = note_error(*line, "note");
    if (!error) return line;
    std::cout << "\n" << *error << "; type it again, Enter to skip: " << std::flush;
  }
}

// One side of the card in hand rewritten on the terminal: the old text is
// shown, Enter keeps it. nullopt: kept.
std::optional<std::string> read_side(RawTerminal& terminal, const char* side,
                                     const std::string& text) {
  std::cout << "\n"
            << side << " now: " << body(text) << "\n"
            << "new " << side << " (one line, Enter keeps it): " << std::flush;
  auto line = terminal.read_line();
  if (!line || line->empty()) return std::nullopt;
  return line;
}

// `e` after the reveal: rewrite the current card (as `recall edit`); what to
// tell the learner.
std::string edit_message(Store& store, RawTerminal& terminal, const Card& card, Day today) {
  Store::CardEdit edit{card.id, read_side(terminal, "front", card.front),
                       read_side(terminal, "back", card.back), std::nullopt};
  if (!edit.front && !edit.back) return "card " + std::to_string(card.id) + " kept as it was";
  try {
    edit_cards(store, {edit}, Reviewer::kLearner, today);
    return "card " + std::to_string(card.id) + " rewritten (reviewed by you)";
  } catch (const Error& e) {
    return std::string("not edited: ") + e.what();
  }
}

// Interactive mode: single keys on a raw terminal.
int run_interactive(Store& store, DrillSession& session, Day today, const std::string& header) {
  const Style style{use_colour()};
  RawTerminal terminal;
  const int width = std::min(terminal_width(), 100) - 2;
  auto draw = [&](const DrillSession::Current& current, bool revealed, const std::string& message) {
    std::cout << style.clear_screen() << style.dim(context_line(current)) << "\n";
    if (!header.empty()) std::cout << style.dim(header) << "\n";
    std::cout << std::string(std::min(width, 78), '-') << "\n";
    for (const auto& l : wrap(body(current.card.front), width)) std::cout << style.bold(l) << "\n";
    if (current.last_mistake)
      for (const auto& l : wrap(mistake_line(current), width)) std::cout << style.red(l) << "\n";
    if (revealed) {
      std::cout << "\n";
      for (const auto& l : wrap(body(current.card.back), width))
        std::cout << style.green(l) << "\n";
      if (const auto chance = session.recall_chance(current.card))
        std::cout << style.dim("recall chance today: " +
                               std::to_string(static_cast<int>(*chance * 100 + 0.5)) + "% (FSRS-6)")
                  << "\n";
      std::cout << "\n";
      for (int g = 0; g <= 5; ++g) {
        std::cout << "  " << style.bold(std::to_string(g)) << " " << kGradeMeanings[g];
        if (current.preview)
          std::cout << " → " << days_to((*current.preview)[g], current.day) << "d";
        std::cout << (g % 3 == 2 ? "\n" : "");
      }
      if (!current.preview) std::cout << style.dim(preview_line(current)) << "\n";
      std::cout << style.dim("grade 0-5   e edit   u undo   s skip   ? help   q quit") << "\n";
    } else {
      std::cout << "\n"
                << style.dim("Enter/Space show answer   u undo   s skip   ? help   q quit") << "\n";
    }
    if (!message.empty()) std::cout << message << "\n";
    std::cout << std::flush;
  };
  std::string message;
  for (;;) {
    auto current = session.current(Clock::now());
    if (!current) break;
    bool revealed = false;
    draw(*current, revealed, message);
    message.clear();
    bool next_card = false;
    while (!next_card) {
      auto key = terminal.read_key();
      if (!key || *key == 'q' || *key == 4) {
        std::cout << style.clear_screen();
        print_summary(std::cout, store, session.summary(), style);
        return 0;
      }
      if (*key == '?') {
        draw(
            *current, revealed,
            "Grades: 0 blackout, 1 wrong but familiar, 2 wrong but easy once seen, 3 right but "
            "hard,\n"
            "4 right after hesitation, 5 perfect. Below 3 the card starts over; below 4 it comes "
            "back\n"
            "in today's re-drill round. Every answer is saved at once: q or Ctrl-C loses nothing.");
      } else if (*key == 'u') {
        message = undo_message(session);
        next_card = true;
      } else if (*key == 's') {
        session.skip();
        next_card = true;
      } else if (revealed && *key == 'e') {
        const std::string said = edit_message(store, terminal, current->card, today);
        current = session.current(Clock::now());  // the card as rewritten
        if (!current) break;
        draw(*current, revealed, said);
      } else if (!revealed && (*key == '\n' || *key == '\r' || *key == ' ')) {
        revealed = true;
        draw(*current, revealed, "");
      } else if (revealed && *key >= '0' && *key <= '5') {
        const int grade = *key - '0';
        std::optional<std::string> note;
        if (grade < kPassingGrade) note = read_note(terminal);
        const ReviewLog log = session.answer(grade, note);
        message = log.kind == ReviewKind::kReview
                      ? "saved: grade " + std::to_string(grade) + ", next in " +
                            std::to_string(log.after.interval_days) + "d"
                      : "saved: re-drill grade " + std::to_string(grade);
        next_card = true;
      }
    }
  }
  std::cout << style.clear_screen() << "Nothing left for today.\n";
  print_waiting(std::cout, store);
  print_summary(std::cout, store, session.summary(), style);
  return 0;
}

}  // namespace

int run_review(Context& context, const std::vector<std::string>& args) {
  po::options_description options("review options");
  add_filter_options(options);
  options.add_options()("limit", po::value<std::string>(),
                        "at most N cards in the main queue this session")(
      "minutes", po::value<std::string>(), "stop offering cards after M minutes")(
      "new-anyway", "keep introducing new cards in the 3 days before the interview");
  po::variables_map values;
  if (!parse_args("review", args, options, {}, values,
                  "review [--topic L] [--domain X] [--gaps] [--limit N] [--minutes M]"))
    return 0;
  DrillSession::Options session_options;
  session_options.filter = filter_from(values);
  session_options.new_anyway = values.count("new-anyway") > 0;
  if (values.count("limit"))
    session_options.limit = parse_count("--limit", values["limit"].as<std::string>());
  if (values.count("minutes")) {
    const int minutes = parse_count("--minutes", values["minutes"].as<std::string>());
    session_options.deadline = Clock::now() + std::chrono::minutes(minutes);
  }
  Store& store = context.store();
  const Day today = context.today();
  session_options.filter = resolve_filter(store, session_options.filter);
  DrillSession session(
      store, today, [] { return local_timestamp(std::chrono::system_clock::now()); },
      session_options);
  // The drill's header: how many drafts wait and how many cards no one reviewed.
  const ReviewCounts review = store.review_counts();
  const std::string header =
      review.drafts > 0 || review.unreviewed > 0 ? review_text(review) : std::string();
  if (stdin_is_tty()) return run_interactive(store, session, today, header);
  return run_piped(store, session, today, session_options.filter, header);
}

}  // namespace recall::cli
