#include "json.h"

#include <cmath>
#include <cstdio>

#include "recall/text.h"

namespace recall::cli {

// Valid JSON whatever the stored bytes: controls (C0, DEL, C1) escaped as
// \u00XX so none reaches a terminal raw, invalid UTF-8 as U+FFFD.
std::string json_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '"';
  for (std::size_t at = 0; at < text.size();) {
    const Utf8Step step = utf8_step(text, at);
    const char32_t c = step.code_point;
    if (!step.valid) {
      out += "\xEF\xBF\xBD";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (is_control(c)) {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned>(c));
      out += buffer;
    } else {
      out += text.substr(at, step.length);
    }
    at += step.length;
  }
  out += '"';
  return out;
}

void Json::separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!first_.empty()) {
    if (!first_.back()) out_ += ',';
    first_.back() = false;
  }
}

Json& Json::begin_object() {
  separate();
  out_ += '{';
  first_.push_back(true);
  return *this;
}
Json& Json::end_object() {
  out_ += '}';
  first_.pop_back();
  return *this;
}
Json& Json::begin_array() {
  separate();
  out_ += '[';
  first_.push_back(true);
  return *this;
}
Json& Json::end_array() {
  out_ += ']';
  first_.pop_back();
  return *this;
}
Json& Json::key(std::string_view name) {
  separate();
  out_ += json_escape(name);
  out_ += ':';
  after_key_ = true;
  return *this;
}
Json& Json::value(std::string_view text) {
  separate();
  out_ += json_escape(text);
  return *this;
}
Json& Json::value(long long number) {
  separate();
  out_ += std::to_string(number);
  return *this;
}
Json& Json::value(double number) {
  separate();
  if (!std::isfinite(number)) {
    out_ += "null";
  } else {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.4g", number);
    out_ += buffer;
  }
  return *this;
}
Json& Json::value(bool flag) {
  separate();
  out_ += flag ? "true" : "false";
  return *this;
}
Json& Json::null() {
  separate();
  out_ += "null";
  return *this;
}

}  // namespace recall::cli
