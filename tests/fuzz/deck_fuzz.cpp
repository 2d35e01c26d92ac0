// libFuzzer target: any bytes through prepare_text + read_deck. A data error
// is the expected answer to garbage; anything else is a finding.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "recall/deck.h"
#include "recall/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    (void)recall::is_deck(bytes);
    const recall::Deck deck = recall::read_deck(recall::prepare_text(bytes), "fuzz.md");
    (void)deck;
  } catch (const recall::Error&) {
  }
  return 0;
}
