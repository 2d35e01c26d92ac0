// libFuzzer target: any bytes as an Anki package (engine/src/anki/): the
// zip's directory and names, the meta entry, stored/deflated entries, the
// zstd stream, the SQLite collection and its revlog query. A data error is
// the expected answer to garbage; anything else (a crash, a leak, an
// undefined behaviour, an I/O error) is a finding.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "anki/package.h"
#include "recall/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    const auto package = recall::anki::Package::open_bytes(bytes, "fuzz.apkg");
    long long rows = 0;
    package.for_each_revlog([&](const recall::anki::RevlogRow& row) {
      rows += row.ease + static_cast<long long>(row.recall_key.size());
    });
    (void)rows;
  } catch (const recall::Error& error) {
    if (error.kind() != recall::ErrorKind::kData) __builtin_trap();
  }
  return 0;
}
