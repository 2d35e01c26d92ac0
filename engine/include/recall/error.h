// The project's error type: every failure that reaches the user is one of
// these, with a short message naming what broke (file and line, argument,
// path). cli/main.cpp maps the kind to the exit code.
#pragma once

#include <stdexcept>
#include <string>

namespace recall {

enum class ErrorKind {
  kUsage,  // bad argument or option: exit code 2
  kData,   // bad input file, unknown card, corrupt database: exit code 1
  kIo,     // file or database cannot be read or written: exit code 1
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const { return kind_; }

  static Error usage(const std::string& m) { return {ErrorKind::kUsage, m}; }
  static Error data(const std::string& m) { return {ErrorKind::kData, m}; }
  static Error io(const std::string& m) { return {ErrorKind::kIo, m}; }

 private:
  ErrorKind kind_;
};

}  // namespace recall
