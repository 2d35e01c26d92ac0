// libFuzzer target: any bytes through prepare_text + read_tracker. A data
// error is the expected answer to garbage; anything else (a crash, a
// sanitizer report, another exception type) is a finding.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "recall/error.h"
#include "recall/tracker.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    const recall::TrackerText text = recall::prepare_text(bytes);
    const recall::Tracker tracker = recall::read_tracker(text, "fuzz.md");
    for (const auto& line : text.lines) (void)recall::split_table_row(line);
    (void)tracker;
  } catch (const recall::Error&) {
  }
  return 0;
}
