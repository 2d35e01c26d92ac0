#include "recall/json_edit.h"

#include <algorithm>

namespace recall {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

bool blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// A recursive reader of valid JSON; its depth is bounded by kMaxJsonDepth
// (json_breach ran first).
class SpanReader {
 public:
  explicit SpanReader(std::string_view text) : text_(text) {
    if (text_.substr(0, kBom.size()) == kBom) at_ = kBom.size();
  }
  JsonSpan value() {
    skip_blanks();
    JsonSpan span;
    span.begin = at_;
    const char c = peek();
    if (c == '{') {
      span.kind = JsonSpan::Kind::kObject;
      ++at_;
      skip_blanks();
      while (peek() != '}' && at_ < text_.size()) {
        skip_blanks();
        const std::size_t key_begin = at_;
        skip_string();
        std::string key = nlohmann::json::parse(text_.substr(key_begin, at_ - key_begin));
        skip_blanks();
        ++at_;  // ':'
        JsonSpan member = value();
        member.key = std::move(key);
        member.key_begin = key_begin;
        span.members.push_back(std::move(member));
        skip_blanks();
        if (peek() == ',') ++at_;
      }
      ++at_;
    } else if (c == '[') {
      span.kind = JsonSpan::Kind::kArray;
      ++at_;
      skip_blanks();
      while (peek() != ']' && at_ < text_.size()) {
        span.elements.push_back(value());
        skip_blanks();
        if (peek() == ',') ++at_;
        skip_blanks();
      }
      ++at_;
    } else if (c == '"') {
      span.kind = JsonSpan::Kind::kString;
      skip_string();
    } else {
      while (at_ < text_.size() && !blank(text_[at_]) && text_[at_] != ',' && text_[at_] != '}' &&
             text_[at_] != ']')
        ++at_;
    }
    span.end = at_;
    return span;
  }

 private:
  char peek() const { return at_ < text_.size() ? text_[at_] : '\0'; }
  void skip_blanks() {
    while (at_ < text_.size() && blank(text_[at_])) ++at_;
  }
  void skip_string() {
    for (++at_; at_ < text_.size() && text_[at_] != '"'; ++at_)
      if (text_[at_] == '\\') ++at_;
    ++at_;
  }
  std::string_view text_;
  std::size_t at_ = 0;
};

}  // namespace

std::optional<JsonBreach> json_breach(std::string_view text) {
  std::vector<std::size_t> commas;  // per open container
  bool in_string = false, escaped = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (commas.size() >= static_cast<std::size_t>(kMaxJsonDepth))
        return JsonBreach{i, "nested deeper than " + std::to_string(kMaxJsonDepth) + " levels"};
      commas.push_back(0);
    } else if (c == '}' || c == ']') {
      if (!commas.empty()) commas.pop_back();
    } else if (c == ',' && !commas.empty()) {
      if (++commas.back() >= kMaxJsonMembers)
        return JsonBreach{
            i, "more than " + std::to_string(kMaxJsonMembers) + " members in one object or array"};
    }
  }
  return std::nullopt;
}

std::string line_col(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  std::size_t line = 1, col = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++col;
    }
  }
  return std::to_string(line) + ":" + std::to_string(col);
}

const JsonSpan* JsonSpan::member(std::string_view key) const {
  for (auto it = members.rbegin(); it != members.rend(); ++it)
    if (it->key == key) return &*it;
  return nullptr;
}

JsonSpan json_spans(std::string_view text) { return SpanReader(text).value(); }

JsonEdits::JsonEdits(std::string_view text) : text_(text), newline_("\n"), unit_("  ") {
  if (text_.find("\r\n") != std::string_view::npos) newline_ = "\r\n";
  // The unit is the indentation of the first indented line.
  for (std::size_t at = text_.find('\n'); at != std::string_view::npos;
       at = text_.find('\n', at + 1)) {
    const std::size_t start = at + 1;
    std::size_t end = start;
    while (end < text_.size() && (text_[end] == ' ' || text_[end] == '\t')) ++end;
    if (end > start && end < text_.size() && text_[end] != '\r' && text_[end] != '\n') {
      unit_ = std::string(text_.substr(start, end - start));
      break;
    }
  }
}

std::string JsonEdits::indent_at(std::size_t at) const {
  std::size_t start = std::min(at, text_.size());
  while (start > 0 && text_[start - 1] != '\n') --start;
  std::size_t end = start;
  while (end < text_.size() && (text_[end] == ' ' || text_[end] == '\t')) ++end;
  return std::string(text_.substr(start, end - start));
}

bool JsonEdits::one_line(const JsonSpan& span) const {
  return text_.substr(span.begin, span.end - span.begin).find('\n') == std::string_view::npos;
}

std::string JsonEdits::render(const Value& value, const std::string& indent, bool compact) const {
  if (compact || !value.is_structured() || value.empty()) return value.dump();
  const std::string dumped =
      value.dump(static_cast<int>(unit_.size()), unit_.empty() ? ' ' : unit_[0]);
  std::string out;
  for (const char c : dumped) {
    if (c == '\n')
      out += newline_ + indent;
    else
      out += c;
  }
  return out;
}

void JsonEdits::replace(const JsonSpan& span, const Value& value) {
  edits_.push_back({span.begin, span.end, render(value, indent_at(span.begin), one_line(span))});
}

void JsonEdits::add_member(const JsonSpan& object, const std::string& key, const Value& value) {
  add(object, Value(key).dump(), value);
}

void JsonEdits::add_element(const JsonSpan& array, const Value& value) { add(array, "", value); }

void JsonEdits::add(const JsonSpan& container, const std::string& entry_key, const Value& value) {
  const bool object = container.kind == JsonSpan::Kind::kObject;
  const std::size_t count = object ? container.members.size() : container.elements.size();
  // A one-line container with entries stays on one line; an empty one opens
  // onto lines of its own unless the whole file is one line.
  const std::size_t newline = text_.find('\n');
  const bool one_line_file = newline == std::string_view::npos ||
                             text_.find_first_not_of("\r\n", newline) == std::string_view::npos;
  const bool compact = one_line(container) && (count > 0 || one_line_file);
  const std::string_view inside = text_.substr(container.begin, container.end - container.begin);
  const std::string_view layout = count > 0 ? inside : text_;
  const std::string colon =
      !object ? "" : (compact && layout.find("\": ") == std::string_view::npos ? ":" : ": ");
  auto entry = [&](const std::string& indent) {
    return (object ? entry_key + colon : std::string()) + render(value, indent, compact);
  };
  if (count == 0 && compact) {
    edits_.push_back({container.begin + 1, container.end - 1, entry("")});
    return;
  }
  if (count == 0) {
    // Between the brackets: the entry on a line of its own, one level in.
    const std::string outer = indent_at(container.begin);
    const std::string text = newline_ + outer + unit_ + entry(outer + unit_) + newline_ + outer;
    edits_.push_back({container.begin + 1, container.end - 1, text});
    return;
  }
  const JsonSpan& first = object ? container.members.front() : container.elements.front();
  const JsonSpan& last = object ? container.members.back() : container.elements.back();
  const std::size_t first_start = object ? first.key_begin : first.begin;
  if (compact) {
    const bool spaced = inside.find(", ") != std::string_view::npos;
    edits_.push_back({last.end, last.end, (spaced ? ", " : ",") + entry("")});
    return;
  }
  // The separator before the first entry (a newline and its indent).
  std::string separator(text_.substr(container.begin + 1, first_start - container.begin - 1));
  const std::string indent = indent_at(first_start);
  if (separator.find('\n') == std::string::npos) separator = newline_ + indent;
  edits_.push_back({last.end, last.end, "," + separator + entry(indent)});
}

std::string JsonEdits::apply() const {
  std::vector<Edit> sorted = edits_;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const Edit& a, const Edit& b) { return a.begin < b.begin; });
  std::string out;
  std::size_t at = 0;
  for (const Edit& edit : sorted) {
    out.append(text_.substr(at, edit.begin - at));
    out += edit.text;
    at = edit.end;
  }
  out.append(text_.substr(at));
  return out;
}

}  // namespace recall
