// JSON text from outside recall (an MCP message, a user's .mcp.json or
// settings.json): read within bounds, and edited in place so that every
// byte outside the values recall changes stays as the user wrote it.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace recall {

// The deepest nesting recall reads (objects and arrays inside each other).
// A real settings file or MCP message nests under 10 levels; a deep value
// makes copies and destructors recurse, so 100,000 levels crash a reader.
inline constexpr int kMaxJsonDepth = 64;
// The most members one object or array may hold: a permissions list has
// hundreds; an ordered object's lookups grow with the square of its size.
inline constexpr std::size_t kMaxJsonMembers = 10000;

struct JsonBreach {
  std::size_t offset = 0;  // the byte where the bound was crossed
  std::string reason;      // "nested deeper than 64 levels"
};

// The first place where `text` nests deeper than kMaxJsonDepth or a
// container holds more than kMaxJsonMembers; nullopt within bounds. A
// linear scan without recursion that skips strings; it does not validate the
// JSON (the parser does, after it).
std::optional<JsonBreach> json_breach(std::string_view text);

// "LINE:COL" of the byte at `offset` (0-based) in `text`; the column counts
// code points.
std::string line_col(std::string_view text, std::size_t offset);

// Where each value of a JSON text is: a value's span [begin, end) in bytes,
// an object's members (each with its key decoded, in order; a duplicate key
// appears twice) and an array's elements.
struct JsonSpan {
  enum class Kind { kObject, kArray, kString, kOther };
  Kind kind = Kind::kOther;
  std::size_t begin = 0, end = 0;
  std::string key;            // an object member's key, decoded
  std::size_t key_begin = 0;  // an object member's: where its key starts
  std::vector<JsonSpan> members;
  std::vector<JsonSpan> elements;
  // The member `key` (the last one, as JSON.parse reads duplicates); null when absent.
  const JsonSpan* member(std::string_view key) const;
};

// The spans of `text`, which must be valid JSON within bounds (check with
// json_breach and a parser first; anything else is undefined).
JsonSpan json_spans(std::string_view text);

// Edits of a JSON text, applied together by apply(): each replaces a value
// or adds a member or element, laid out like its neighbours (their
// indentation, the file's indent unit and line ending; one-line containers
// stay on one line) and leaving every other byte alone. Edits must not
// overlap; `text` must outlive the object.
class JsonEdits {
 public:
  using Value = nlohmann::ordered_json;
  explicit JsonEdits(std::string_view text);
  // The value at `span` becomes `value`.
  void replace(const JsonSpan& span, const Value& value);
  // `key`: `value` added as the object's last member.
  void add_member(const JsonSpan& object, const std::string& key, const Value& value);
  // `value` added as the array's last element.
  void add_element(const JsonSpan& array, const Value& value);
  bool empty() const { return edits_.empty(); }
  std::string apply() const;

 private:
  struct Edit {
    std::size_t begin, end;
    std::string text;
  };
  std::string indent_at(std::size_t at) const;  // the leading blanks of the line holding `at`
  bool one_line(const JsonSpan& span) const;
  // `value` as JSON text starting on a line indented by `indent`.
  std::string render(const Value& value, const std::string& indent, bool compact) const;
  void add(const JsonSpan& container, const std::string& entry_key, const Value& value);
  std::string_view text_;
  std::string newline_;  // "\r\n" in a CRLF file
  std::string unit_;     // one level of indentation
  std::vector<Edit> edits_;
};

}  // namespace recall
