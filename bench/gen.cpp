// recall_bench_gen: deterministic inputs for the benchmark suite (bench/run.sh).
//
//   recall_bench_gen tracker --topics N --out FILE [--seed S]
//       A study tracker in the real format (tests/data/ml-study-tracker.md):
//       Quick Stats with domains A-F and weights, N topics spread over the
//       six "Topics Mastered" tables with 6 key points each in the fixture's
//       shapes (`Term: explanation`, formulas with `=`, `A vs B`,
//       `X → Y` chains, plain points), knowledge gaps (high, medium with
//       recurring ones, resolved) and a checklist.
//
//   recall_bench_gen history --db FILE --today YYYY-MM-DD --rows R [--days D] [--seed S]
//       Fills an imported database with a review log of R rows over the D
//       days (default 1095, three years) before --today. Each card is
//       introduced on some day, then answered on its due day (sometimes a
//       few days late) with SM-2 from the engine (recall::next_state); a
//       failed answer is followed by one same-day re-drill row, as the drill
//       logs them. The learner then takes 14 days off, so a backlog is due
//       today. Card states are set to the last "after" state of their log,
//       so replaying the log rebuilds every card. Cards past the row budget
//       stay new. One transaction.
//
// A bench tool, not part of the product: it writes the review log with SQL
// directly (the product never inserts history except by answering).
#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "recall/day.h"
#include "recall/scheduler.h"
#include "recall/sm2.h"
#include "recall/store.h"

namespace {

// splitmix64: small, fast and the same on every platform.
struct Rng {
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  int below(int n) { return static_cast<int>(next() % static_cast<std::uint64_t>(n)); }
};

const char* const kWords[] = {
    "gradient", "attention",    "entropy",     "kernel",     "margin",    "embedding", "variance",
    "bias",     "dropout",      "softmax",     "pooling",    "residual",  "encoder",   "decoder",
    "sampling", "policy",       "reward",      "token",      "latent",    "manifold",  "boosting",
    "pruning",  "quantization", "calibration", "retrieval",  "ranking",   "drift",     "feature",
    "sparsity", "momentum",     "curvature",   "likelihood", "posterior", "prior",     "bootstrap",
    "ensemble", "projection",   "whitening",   "clipping"};
constexpr int kWordCount = sizeof(kWords) / sizeof(kWords[0]);

struct DomainSpec {
  char letter;
  const char* name;
  int weight;
};
const DomainSpec kDomains[] = {{'A', "ML Fundamentals", 20},    {'B', "Classical ML", 15},
                               {'C', "Deep Learning & RL", 25}, {'D', "NLP & Multi-Modal", 12},
                               {'E', "ML System Design", 18},   {'F', "Practical ML", 10}};

std::string word(Rng& rng) { return kWords[rng.below(kWordCount)]; }
std::string cap(std::string w) {
  if (!w.empty() && w[0] >= 'a' && w[0] <= 'z') w[0] = static_cast<char>(w[0] - 'a' + 'A');
  return w;
}

// One key point; `tag` makes it unique in the whole tracker.
std::string key_point(Rng& rng, int shape, const std::string& tag) {
  switch (shape) {
    case 0:  // Term: explanation
      return cap(word(rng)) + " " + tag + ": controls the " + word(rng) + " of the " + word(rng) +
             " when " + word(rng) + " grows";
    case 1:  // formula with =
      return "L_" + tag + " = " + word(rng) + " × " + word(rng) + " + λ·" + word(rng);
    case 2:  // A vs B
      return cap(word(rng)) + " " + tag + " (fast, " + word(rng) + ") vs " + cap(word(rng)) +
             " (slow, " + word(rng) + ")";
    case 3:  // chain
      return cap(word(rng)) + " " + tag + " → " + word(rng) + " → " + word(rng) + " → " + word(rng);
    case 4:  // plain point
      return "Always check " + word(rng) + " " + tag + " before tuning " + word(rng);
    default:  // plain with parenthesis and a number
      return cap(word(rng)) + " " + tag + " reduces " + word(rng) + " (about " +
             std::to_string(10 + rng.below(80)) + "% in practice)";
  }
}

int write_tracker(int topics, const std::string& out, std::uint64_t seed) {
  Rng rng{seed};
  std::vector<int> count(6, 0);
  for (int t = 0; t < topics; ++t) ++count[t % 6];
  std::ofstream f(out, std::ios::binary);
  if (!f) {
    std::cerr << "recall_bench_gen: cannot write " << out << "\n";
    return 1;
  }
  f << "# ML Interview Study Tracker\n\n**Last Updated**: 2026-02-17\n\n"
       "**Target Interview Date**: [Your interview date]\n\n**Overall Interview Readiness**: "
       "54%\n\n"
       "---\n\n## Quick Stats\n\n"
       "| Domain | Topics Covered | Total Topics | Status |\n"
       "|--------|---------------|--------------|--------|\n";
  for (int d = 0; d < 6; ++d)
    f << "| " << kDomains[d].letter << ". " << kDomains[d].name << " (" << kDomains[d].weight
      << "%) | " << count[d] << " | " << count[d] << " | 🟡 In Progress |\n";
  f << "\n**Status Legend**: 🔴 Not Started | 🟡 In Progress | 🟢 Interview Ready\n\n---\n\n"
       "## Topics Mastered\n\n";
  const char* const confidences[] = {"High", "Medium-High", "Medium", "Low"};
  int number = 0;
  for (int d = 0; d < 6; ++d) {
    f << "### " << kDomains[d].letter << ". " << kDomains[d].name << "\n"
      << "| Topic | Date Mastered | Confidence | Key Points |\n"
      << "|-------|---------------|------------|------------|\n";
    for (int t = d; t < topics; t += 6) {
      ++number;
      const int month = 1 + t % 12, day = 1 + t % 28;
      char date[16];
      std::snprintf(date, sizeof date, "2025-%02d-%02d", month, day);
      f << "| **" << kDomains[d].letter << "." << number << " " << cap(word(rng)) << " "
        << word(rng) << " " << t << " - " << cap(word(rng)) << "**"
        << (t % 17 == 0 ? " *(in progress)*" : "") << " | " << date << " | "
        << confidences[rng.below(4)] << " | ";
      for (int p = 0; p < 6; ++p) {
        if (p) f << "<br>";
        f << "• " << key_point(rng, (t + p) % 6, std::to_string(t) + "x" + std::to_string(p));
      }
      f << " |\n";
    }
    f << "\n";
  }
  const int gaps = std::max(3, topics / 100);
  f << "---\n\n## Knowledge Gaps\n\n### 🔴 High Priority (Must fix before interview)\n";
  for (int g = 0; g < gaps / 3; ++g)
    f << "- " << cap(word(rng)) << " " << g * 7 << "x1 details (" << word(rng) << " vs "
      << word(rng) << ")\n";
  f << "\n### 🟡 Medium Priority (Should review)\n";
  for (int g = 0; g < gaps / 3; ++g)
    f << "- " << cap(word(rng)) << " " << g * 11 << "x3 nuances"
      << (g % 4 == 0 ? " (recurring — need drilling)" : "") << "\n";
  f << "\n### 🟢 Recently Resolved\n| Gap | Resolution Date | Notes |\n"
       "|-----|-----------------|-------|\n";
  for (int g = 0; g < gaps / 3; ++g)
    f << "| " << cap(word(rng)) << " " << g * 13 << "x0 mechanics | 2026-02-03 | Covered |\n";
  f << "\n---\n\n## Interview Readiness Checklist\n\n### Can You Confidently...\n\n";
  for (int d = 0; d < 6; ++d) {
    f << "**" << kDomains[d].name << "**\n";
    for (int c = 0; c < 5; ++c)
      f << "- [" << (c % 2 ? 'x' : ' ') << "] Explain " << word(rng) << " and " << word(rng)
        << "\n";
    f << "\n";
  }
  f << "---\n";
  return f ? 0 : 1;
}

int write_history(const std::string& db_path, recall::Day today, long long rows, int days,
                  std::uint64_t seed) {
  Rng rng{seed};
  SQLite::Database db(db_path, SQLite::OPEN_READWRITE);
  std::vector<long long> ids;
  {
    SQLite::Statement q(db, "SELECT id FROM cards WHERE retired = 0 ORDER BY id");
    while (q.executeStep()) ids.push_back(q.getColumn(0).getInt64());
  }
  // Shuffle so that the studied cards spread over all topics.
  for (size_t i = ids.size(); i > 1; --i)
    std::swap(ids[i - 1], ids[rng.below(static_cast<int>(i))]);
  SQLite::Transaction t(db);
  SQLite::Statement ins(db,
                        "INSERT INTO reviews (card_id, day, answered_at, grade, kind, note,"
                        " before_repetitions, before_easiness, before_interval, before_due,"
                        " before_lapses, after_repetitions, after_easiness, after_interval,"
                        " after_due, after_lapses, before_risk, after_risk)"
                        " VALUES (?,?,?,?,?,NULL,?,?,?,?,?,?,?,?,?,?,?,?)");
  SQLite::Statement upd(db,
                        "UPDATE cards SET repetitions=?, easiness=?, interval_days=?, due_day=?,"
                        " lapses=?, risk=? WHERE id=?");
  // The queue risk SM-2 saves with each state (scheduler.h), as the engine writes it.
  auto risk = [](const recall::Sm2State& st) {
    return recall::queue_risk(recall::SchedulerKind::kSm2, st);
  };
  auto bind_state = [](SQLite::Statement& s, int at, const recall::Sm2State& st) {
    s.bind(at, st.repetitions);
    s.bind(at + 1, st.easiness_milli);
    s.bind(at + 2, st.interval_days);
    if (st.due_day)
      s.bind(at + 3, *st.due_day);
    else
      s.bind(at + 3);
    s.bind(at + 4, st.lapses);
  };
  // Each review row is appended in day order per card; ids are not global
  // day order, which the schema does not require (undo takes max(id), and
  // the bench never undoes generated history).
  long long written = 0, studied = 0;
  const recall::Day first = today - days, stop = today - 14;
  for (long long id : ids) {
    if (written >= rows) break;
    ++studied;
    const int difficulty = rng.below(100);  // per card: leeches fail often
    const int fail_pct = difficulty < 10 ? 40 : difficulty < 40 ? 15 : 6;
    recall::Day day = first + rng.below(days - 14);
    recall::Sm2State state;
    while (written < rows && day <= stop) {
      const int roll = rng.below(100);
      const int grade = roll < fail_pct ? rng.below(3) : 3 + rng.below(3);
      const recall::Sm2State after = recall::next_state(state, grade, day);
      const std::string at = recall::format_day(day) + "T0" + std::to_string(7 + rng.below(3)) +
                             ":" + std::to_string(10 + rng.below(50)) + ":00";
      auto log = [&](int g, const char* kind, const recall::Sm2State& before,
                     const recall::Sm2State& aft) {
        ins.reset();
        ins.bind(1, static_cast<std::int64_t>(id));
        ins.bind(2, day);
        ins.bind(3, at);
        ins.bind(4, g);
        ins.bind(5, kind);
        bind_state(ins, 6, before);
        bind_state(ins, 11, aft);
        ins.bind(16, risk(before));
        ins.bind(17, risk(aft));
        ins.exec();
        ++written;
      };
      log(grade, "review", state, after);
      state = after;
      if (grade < recall::kPassingGrade && written < rows) log(4, "redrill", state, state);
      const int late = rng.below(10) < 7 ? 0 : 1 + rng.below(4);
      day = *state.due_day + late;
    }
    upd.reset();
    bind_state(upd, 1, state);
    upd.bind(6, risk(state));
    upd.bind(7, static_cast<std::int64_t>(id));
    upd.exec();
  }
  t.commit();
  // The FSRS-6 memory each card keeps (schema 10), replayed from the log
  // just written as the engine keeps it.
  recall::Store(db_path).recompute_memory();
  std::cout << "cards " << ids.size() << " studied " << studied << " reviews " << written << "\n";
  return 0;
}

int usage() {
  std::cerr << "usage: recall_bench_gen tracker --topics N --out FILE [--seed S]\n"
               "       recall_bench_gen history --db FILE --today YYYY-MM-DD --rows R"
               " [--days D] [--seed S]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage();
  const std::string mode = argv[1];
  std::map<std::string, std::string> opt;
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string key = argv[i];
    if (key.rfind("--", 0) != 0) return usage();
    opt[key.substr(2)] = argv[i + 1];
  }
  if ((argc - 2) % 2 != 0) return usage();
  try {
    const std::uint64_t seed = opt.count("seed") ? std::stoull(opt["seed"]) : 20260217ULL;
    if (mode == "tracker" && opt.count("topics") && opt.count("out"))
      return write_tracker(std::stoi(opt["topics"]), opt["out"], seed);
    if (mode == "history" && opt.count("db") && opt.count("today") && opt.count("rows")) {
      const auto today = recall::parse_day(opt["today"]);
      if (!today) return usage();
      return write_history(opt["db"], *today, std::stoll(opt["rows"]),
                           opt.count("days") ? std::stoi(opt["days"]) : 1095, seed);
    }
  } catch (const std::exception& e) {
    std::cerr << "recall_bench_gen: " << e.what() << "\n";
    return 1;
  }
  return usage();
}
