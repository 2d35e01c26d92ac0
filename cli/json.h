// A small JSON writer for the command line's --json output. Keys are written
// in the order given, so the documented shapes stay stable byte for byte.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace recall::cli {

class Json {
 public:
  Json& begin_object();
  Json& end_object();
  Json& begin_array();
  Json& end_array();
  Json& key(std::string_view name);
  Json& value(std::string_view text);
  Json& value(const char* text) { return value(std::string_view(text)); }
  Json& value(long long number);
  Json& value(int number) { return value(static_cast<long long>(number)); }
  Json& value(double number);
  Json& value(bool flag);
  Json& null();
  // Convenience: key + value.
  template <typename T>
  Json& field(std::string_view name, const T& v) {
    key(name);
    return value(v);
  }
  Json& field(std::string_view name, const std::optional<std::string>& v) {
    key(name);
    return v ? value(*v) : null();
  }
  const std::string& str() const { return out_; }

 private:
  void separate();
  std::string out_;
  std::vector<bool> first_;  // per open container: no element written yet
  bool after_key_ = false;
};

std::string json_escape(std::string_view text);

}  // namespace recall::cli
