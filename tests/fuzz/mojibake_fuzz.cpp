// libFuzzer target: the mojibake repair. Checks its promises as well as
// memory safety: a repair is valid UTF-8 and differs from its input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "mojibake.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)recall::find_invalid_utf8(text);
  (void)recall::has_mac_roman_mojibake(text);
  if (auto repaired = recall::repair_mac_roman_mojibake(text)) {
    if (recall::find_invalid_utf8(*repaired) != std::string_view::npos) std::abort();
    if (*repaired == text) std::abort();
  }
  return 0;
}
