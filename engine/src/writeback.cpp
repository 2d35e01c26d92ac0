// Write-back: the tracker text with single lines changed (confidence cells,
// Quick Stats cells, the header lines, gap bullets and rows). Every line
// not named by the update keeps its bytes, its line ending and its place.
#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "recall/cards.h"
#include "recall/feedback.h"
#include "recall/text.h"
#include "tracker_lines.h"

namespace recall {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr const char* kNoGaps = "- None identified yet";

// One line of a text, as views into it (a tracker can be megabytes: no copy).
struct Line {
  std::string_view content;
  std::string_view eol;  // "\r\n", "\n" or "" (last line without newline)
  std::string_view whole() const { return {content.data(), content.size() + eol.size()}; }
};

// `text` must outlive the lines.
std::vector<Line> split_lines(std::string_view text) {
  std::vector<Line> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    Line line;
    if (end == std::string_view::npos) {
      line.content = text.substr(start);
      end = text.size();
    } else {
      line.content = text.substr(start, end - start);
      line.eol = text.substr(end, 1);
      if (!line.content.empty() && line.content.back() == '\r') {
        line.content.remove_suffix(1);
        line.eol = text.substr(end - 1, 2);
      }
    }
    lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

// Line-level edits, applied in one pass so line numbers stay those of the
// text as read.
struct Edits {
  std::map<int, std::string> replace;
  std::set<int> remove;
  std::map<int, std::vector<std::string>> insert_after;  // 0: before line 1
};

std::string apply(const std::vector<Line>& lines, const Edits& edits, const std::string& eol) {
  std::vector<Line> out;  // views into `lines`' text, `edits` and `eol`
  auto insert = [&](int after) {
    const auto found = edits.insert_after.find(after);
    if (found == edits.insert_after.end()) return;
    for (const auto& content : found->second) out.push_back({content, eol});
  };
  insert(0);
  for (int n = 1; n <= static_cast<int>(lines.size()); ++n) {
    const Line& line = lines[static_cast<std::size_t>(n - 1)];
    if (!edits.remove.count(n)) {
      const auto replaced = edits.replace.find(n);
      out.push_back({replaced == edits.replace.end() ? line.content
                                                     : std::string_view(replaced->second),
                     line.eol});
    }
    insert(n);
  }
  // Only the file's last line may lack a newline.
  const bool had_final_newline = lines.empty() || !lines.back().eol.empty();
  std::string text;
  for (std::size_t i = 0; i < out.size(); ++i) {
    std::string_view line_eol = out[i].eol;
    if (line_eol.empty() && i + 1 < out.size()) line_eol = eol;
    if (i + 1 == out.size() && !had_final_newline) line_eol = {};
    text += out[i].content;
    text += line_eol;
  }
  return text;
}

// Positions of the unescaped pipes of a table row.
std::vector<std::size_t> pipes(const std::string& line) {
  std::vector<std::size_t> at;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\\') {
      ++i;
      continue;
    }
    if (line[i] == '|') at.push_back(i);
  }
  return at;
}

// Replaces the words of cell `index` (0-based) and keeps its padding, tabs
// as well as spaces (the reader trims both).
std::string replace_cell(const std::string& line, std::size_t index, const std::string& value) {
  const auto at = pipes(line);
  if (at.size() < index + 2) return line;
  const std::size_t begin = at[index] + 1, end = at[index + 1];
  const auto padding = [&line](std::size_t i) { return line[i] == ' ' || line[i] == '\t'; };
  std::size_t first = begin, last = end;
  while (first < end && padding(first)) ++first;
  while (last > first && padding(last - 1)) --last;
  if (first == last) return line.substr(0, begin) + " " + value + " " + line.substr(end);
  return line.substr(0, first) + value + line.substr(last);
}

// The value after "**Label**:" (or "**Label:**"), replaced.
std::string replace_value(const std::string& line, const std::string& value) {
  std::size_t at = line.find("**", 2);
  if (at == std::string::npos) return line;
  at += 2;
  if (at < line.size() && line[at] == ':') ++at;
  while (at < line.size() && line[at] == ' ') ++at;
  return line.substr(0, at) + value;
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

bool is_bullet(const std::string& line) {
  return line.rfind("- ", 0) == 0 || line.rfind("* ", 0) == 0;
}
// "1. text", "12) text": a numbered item ("1. **fp16 vs bf16** …").
bool is_numbered(const std::string& line) {
  std::size_t i = 0;
  while (i < line.size() && i < 3 && line[i] >= '0' && line[i] <= '9') ++i;
  return i > 0 && i + 1 < line.size() && (line[i] == '.' || line[i] == ')') && line[i + 1] == ' ';
}
bool is_row(const std::string& line) {
  const auto first = line.find_first_not_of(' ');
  return first != std::string::npos && line[first] == '|';
}
bool is_placeholder_bullet(const std::string& line) {
  if (!is_bullet(line)) return false;
  std::string rest = lower(line.substr(2));
  while (!rest.empty() && (rest[0] == '*' || rest[0] == '_' || rest[0] == ' ')) rest.erase(0, 1);
  return rest.rfind("none", 0) == 0 &&
         (rest.size() == 4 || !std::isalpha(static_cast<unsigned char>(rest[4])));
}
bool is_placeholder_row(const std::string& line) {
  const auto split = split_table_row(line);
  if (!split || split->empty()) return false;
  const std::string& cell = (*split)[0];
  return cell.empty() || cell == "-" || cell == "\xE2\x80\x94" || cell == "\xE2\x80\x93";
}
bool is_separator(const std::string& line) {
  return is_row(line) && line.find_first_not_of("|-: ") == std::string::npos;
}

struct Subsection {
  int heading = 0;         // its ### line; 0 when missing
  int first = 0, end = 0;  // body [first, end)
};

// Text for a table cell, read back by the parser as the same one cell: its
// pipes escaped, "<br>" (which the parser splits cells at) written as
// "&lt;br>", and a leading "#" escaped.
std::string escape_cell(const std::string& text) {
  const std::string line = one_line(text);
  std::string out;
  const std::size_t first = line.find_first_not_of(' ');
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '|' || (c == '#' && i == first)) out += '\\';
    if (c == '<' && i + 2 < line.size() && lower(line.substr(i + 1, 2)) == "br") {
      out += "&lt;";
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

std::string rewrite_tracker(const TrackerText& text, const Tracker& tracker,
                            const TrackerUpdate& update, Day today) {
  const std::vector<Line> lines = split_lines(text.text);
  const std::string eol = text.crlf ? "\r\n" : "\n";
  const int count = static_cast<int>(lines.size());
  // A line's text, copied (only the lines an edit reads).
  auto content = [&](int n) -> std::string {
    return std::string(lines[static_cast<std::size_t>(n - 1)].content);
  };
  Edits edits;

  std::map<int, const Topic*> topic_at;  // a topic's heading or table row
  for (const Topic& topic : tracker.topics) topic_at.emplace(topic.line, &topic);
  for (const auto& [line, value] : update.confidences) {
    if (line < 1 || line > count) continue;
    const auto topic = topic_at.find(line);
    if (topic == topic_at.end() || !topic->second->heading) {
      edits.replace[line] = replace_cell(content(line), 2, value);
      continue;
    }
    if (topic->second->confidence_line == 0) continue;  // none, or several: not recall's to pick
    // A heading topic: the value where the tutor wrote it, the rest of the
    // line as it was (and nothing when the line is not as read).
    const Topic& t = *topic->second;
    if (t.confidence_line > count) continue;
    std::string text = edits.replace.count(t.confidence_line) ? edits.replace[t.confidence_line]
                                                              : content(t.confidence_line);
    if (text.compare(t.confidence_at, t.confidence.size(), t.confidence) != 0) continue;
    text.replace(t.confidence_at, t.confidence.size(), one_line(value));
    edits.replace[t.confidence_line] = std::move(text);
  }
  for (const auto& [line, value] : update.topics_covered)
    if (line >= 1 && line <= count) edits.replace[line] = replace_cell(content(line), 1, value);
  // recall's readiness on its own line: in place, else after the tutor's
  // readiness line (or the Last Updated line), a blank line between as the
  // header's lines have. The tutor's line is never written.
  if (update.recall_readiness) {
    const std::string line =
        "**" + std::string(kRecallReadinessLabel) + "**: " + one_line(*update.recall_readiness);
    if (tracker.recall_readiness_line)
      edits.replace[tracker.recall_readiness_line] =
          replace_value(content(tracker.recall_readiness_line), one_line(*update.recall_readiness));
    else if (const int after =
                 tracker.readiness_line ? tracker.readiness_line : tracker.last_updated_line)
      edits.insert_after[after] = {"", line};
  }
  if (update.last_updated && tracker.last_updated_line)
    edits.replace[tracker.last_updated_line] =
        replace_value(content(tracker.last_updated_line), format_day(*update.last_updated));

  if (!update.gaps.empty() || !update.drop_resolved.empty()) {
    // The section the reader read the gaps from ("Knowledge Gaps", "Gap
    // Register"), else the fixture's name.
    const Section* section = nullptr;
    for (const Section& s : tracker.sections)
      if (s.gaps && !section) section = &s;
    if (!section) section = tracker.find_section("Knowledge Gaps");
    std::map<std::string, Subsection> subs;  // "high", "medium", "resolved"
    int section_end = count + 1;
    if (section) {
      section_end = section->end_line;
      std::string current;
      for (int n = section->heading_line + 1; n < section->end_line; ++n) {
        // A tier's heading, or a bold line of its own that names a tier
        // ("**Tier 1 — must close**"), as the parser reads them.
        const std::string line = content(n);
        const bool heading = line.rfind("### ", 0) == 0;
        const auto bold = heading ? std::nullopt : tracker_lines::bold_group(line);
        if (heading || (bold && tracker_lines::classify_gap_tier(*bold))) {
          if (!current.empty()) subs[current].end = n;
          // The tiers as the parser reads them ("🔴 High: …", "Cleared").
          const auto tier =
              tracker_lines::classify_gap_tier(heading ? std::string_view(line).substr(4) : *bold);
          current = tier ? std::string(to_string(*tier)) : "";
          if (!current.empty() && subs.count(current)) current.clear();  // the first one wins
          if (!current.empty()) subs[current] = {n, n + 1, section->end_line};
        }
      }
      if (!current.empty()) subs[current].end = section->end_line;
    }
    // Where new lines go when a subsection is missing: after the section's
    // last line that is not blank or a rule.
    int tail = section ? section->heading_line : count;
    if (section)
      for (int n = section->heading_line; n < section_end; ++n)
        if (!content(n).empty() && content(n) != "---") tail = n;

    std::map<std::string, std::vector<std::string>> added;  // tier -> new lines
    std::map<std::string, int> removed_from, first_removed;
    // A gap's line: the first open line with its words (recall's evidence
    // after them is not part of a gap's identity).
    auto gap_line = [&](const GapOutcome& gap) {
      for (const auto& g : tracker.gaps)
        if (g.tier != GapTier::kResolved && g.text == gap.base) return g.line;
      return 0;
    };
    for (const std::string& words : update.drop_resolved)
      for (const auto& g : tracker.gaps)
        if (g.tier == GapTier::kResolved && g.text == words) {
          edits.remove.insert(g.line);
          break;
        }
    for (const auto& gap : update.gaps) {
      const int line = gap.gap_id ? gap_line(gap) : 0;
      if (gap.change == GapChange::kEvidence) {
        if (!line) continue;
        // Only recall's suffix changes: the words before it and whatever
        // follows on the line keep their bytes.
        const std::string& old = content(line);
        const bool row = is_row(old);
        const std::string written =
            row ? escape_cell(gap.base + gap.evidence) : gap.base + gap.evidence;
        const auto at = old.find(written);
        if (at == std::string::npos) continue;
        const std::string words = row ? escape_cell(gap.base) : gap.base;
        const std::string evidence =
            row ? escape_cell(gap.new_evidence) : one_line(gap.new_evidence);
        edits.replace[line] =
            old.substr(0, at) + words + evidence + old.substr(at + written.size());
        continue;
      }
      // A line whose tier changes (raised, lowered, resolved) moves.
      if (line && gap.new_tier != gap.tier) {
        edits.remove.insert(line);
        ++removed_from[gap.tier];
        if (!first_removed.count(gap.tier)) first_removed[gap.tier] = line;
      }
      if (gap.new_tier == "resolved")
        added["resolved"].push_back("| " + escape_cell(gap.new_text) + " | " + format_day(today) +
                                    " | " + escape_cell(gap.resolution_note) + " |");
      else
        // one_line: notes stored before they were checked may hold line
        // breaks or invalid bytes, which would inject lines of their own.
        added[gap.new_tier].push_back("- " + one_line(gap.new_text));
    }

    for (const std::string tier : {"high", "medium", "resolved"}) {
      const auto found = subs.find(tier);
      const std::vector<std::string>& lines_to_add = added[tier];
      if (found == subs.end()) {
        if (lines_to_add.empty()) continue;
        std::vector<std::string> block = {"", tier == "high" ? "### \xF0\x9F\x94\xB4 High Priority"
                                              : tier == "medium"
                                                  ? "### \xF0\x9F\x9F\xA1 Medium Priority"
                                                  : "### \xF0\x9F\x9F\xA2 Recently Resolved"};
        if (tier == "resolved") {
          block.push_back("| Gap | Resolution Date | Notes |");
          block.push_back("|-----|-----------------|-------|");
        }
        block.insert(block.end(), lines_to_add.begin(), lines_to_add.end());
        auto& slot = edits.insert_after[tail];
        slot.insert(slot.end(), block.begin(), block.end());
        continue;
      }
      const Subsection& sub = found->second;
      int last_item = 0, placeholder = 0, items = 0;
      int last_row = 0, row_cells = 0;  // an open tier kept as a table
      bool bullets = false;
      for (int n = sub.first; n < sub.end; ++n) {
        const std::string& c = content(n);
        if (tier != "resolved" && is_row(c) && !is_separator(c) && !is_separator(content(n + 1))) {
          last_row = n;
          if (const auto cells = split_table_row(c)) row_cells = static_cast<int>(cells->size());
        }
        if (tier != "resolved" && (is_bullet(c) || is_numbered(c))) bullets = true;
        if (tier == "resolved") {
          if (!is_row(c)) continue;
          last_item = n;
          if (is_placeholder_row(c))
            placeholder = n;
          else if (!is_separator(c) && c.find("Resolution Date") == std::string::npos)
            ++items;
        } else if (is_bullet(c) || is_numbered(c)) {
          last_item = n;
          if (is_placeholder_bullet(c))
            placeholder = n;
          else
            ++items;
        }
      }
      const int remaining = items - removed_from[tier];
      if (!lines_to_add.empty()) {
        if (placeholder) edits.remove.insert(placeholder);
        int at = last_item ? last_item : sub.heading;
        std::vector<std::string> block = lines_to_add;
        // An open tier kept as a table gets rows, the gap in the first cell.
        if (tier != "resolved" && last_row && !bullets) {
          at = last_row;
          for (std::string& line : block) {
            std::string row = "| " + escape_cell(line.substr(2)) + " |";
            for (int c = 1; c < row_cells; ++c) row += " |";
            line = std::move(row);
          }
        }
        if (tier == "resolved" && !last_item)
          block.insert(block.begin(),
                       {"| Gap | Resolution Date | Notes |", "|-----|-----------------|-------|"});
        auto& slot = edits.insert_after[at];
        slot.insert(slot.end(), block.begin(), block.end());
      } else if (tier != "resolved" && remaining == 0 && removed_from[tier] > 0) {
        // The list emptied: say so in the tracker's words.
        edits.remove.erase(first_removed[tier]);
        edits.replace[first_removed[tier]] = kNoGaps;
      }
    }
  }

  std::string result = apply(lines, edits, eol);
  if (text.had_bom) result.insert(0, kBom);
  return result;
}

std::string unified_diff(const std::string& before, const std::string& after,
                         const std::string& before_name, const std::string& after_name) {
  if (before == after) return "";
  // Lines as integers (equal text, equal id) so comparing is cheap.
  const std::vector<Line> a = split_lines(before), b = split_lines(after);
  std::unordered_map<std::string_view, int> ids;
  auto to_ids = [&ids](const std::vector<Line>& lines) {
    std::vector<int> out;
    out.reserve(lines.size());
    for (const Line& l : lines)
      out.push_back(ids.emplace(l.whole(), int(ids.size())).first->second);
    return out;
  };
  const std::vector<int> ai = to_ids(a), bi = to_ids(b);
  struct Op {
    char kind;  // ' ', '-', '+'
    std::size_t a_index, b_index;
  };
  // Write-back changes lines in place and rewrites one section, so a greedy
  // walk that resynchronises at the nearest common line (searching a window
  // of kWindow lines on each side) finds the changes in linear time; an
  // exact LCS table would cost lines² memory on a large tracker. The result
  // is always a correct diff, if not always the shortest.
  constexpr std::size_t kWindow = 64;
  std::vector<Op> ops;
  ops.reserve(a.size() + b.size());
  std::size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    if (i < a.size() && j < b.size() && ai[i] == bi[j]) {
      ops.push_back({' ', i++, j++});
      continue;
    }
    std::size_t skip_a = a.size() - i, skip_b = b.size() - j;  // no resync: the rest differs
    bool found = false;
    for (std::size_t d = 1; d <= 2 * kWindow && !found; ++d) {
      for (std::size_t k = 0; k <= d; ++k) {
        const std::size_t x = i + k, y = j + (d - k);
        if (k > kWindow || d - k > kWindow || x >= a.size() || y >= b.size()) continue;
        if (ai[x] == bi[y]) {
          skip_a = k;
          skip_b = d - k;
          found = true;
          break;
        }
      }
    }
    for (std::size_t k = 0; k < skip_a; ++k) ops.push_back({'-', i + k, j});
    for (std::size_t k = 0; k < skip_b; ++k) ops.push_back({'+', i + skip_a, j + k});
    i += skip_a;
    j += skip_b;
  }

  constexpr std::size_t kContext = 3;
  std::string out = "--- " + before_name + "\n+++ " + after_name + "\n";
  std::size_t k = 0;
  while (k < ops.size()) {
    while (k < ops.size() && ops[k].kind == ' ') ++k;
    if (k == ops.size()) break;
    std::size_t start = k >= kContext ? k - kContext : 0;
    std::size_t end = k;
    // Extend while the next change is within 2 × context of this one.
    for (;;) {
      while (end < ops.size() && ops[end].kind != ' ') ++end;
      std::size_t next = end;
      while (next < ops.size() && ops[next].kind == ' ') ++next;
      if (next < ops.size() && next - end <= 2 * kContext) {
        end = next;
        continue;
      }
      end = std::min(ops.size(), end + kContext);
      break;
    }
    std::size_t a_start = ops[start].a_index, b_start = ops[start].b_index, a_len = 0, b_len = 0;
    std::string body;
    for (std::size_t x = start; x < end; ++x) {
      const Op& op = ops[x];
      const Line& line = op.kind == '+' ? b[op.b_index] : a[op.a_index];
      if (op.kind != '+') ++a_len;
      if (op.kind != '-') ++b_len;
      body += op.kind;
      body += line.content;
      body += '\n';
      if (line.eol.empty()) body += "\\ No newline at end of file\n";
    }
    auto range = [](std::size_t first, std::size_t len) {
      return std::to_string(len == 0 ? first : first + 1) + "," + std::to_string(len);
    };
    out += "@@ -" + range(a_start, a_len) + " +" + range(b_start, b_len) + " @@\n" + body;
    k = end;
  }
  return out;
}

}  // namespace recall
