// The text preparation of the tracker reader: the file's bytes become
// TrackerText (BOM dropped, Mac Roman mojibake repaired, Unicode NFC, CRLF
// noticed, split into lines) before the parser in tracker.cpp reads them.
#include "recall/tracker.h"

#include <algorithm>
#include <utility>

#include <utf8proc.h>

#include "mojibake.h"

namespace recall {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// ---------------------------------------------------------------------------
// Unicode NFC. An editor that saves the tracker decomposed (NFD: "ŷ" as "y"
// and a combining circumflex, "≠" as "=" and a combining slash) changes no
// character a reader sees, but every byte comparison, identity hash and card
// rule would see other text ("=" makes a formula). The text is brought to NFC
// before anything reads it. utf8proc is slow (about 1 s for 5 MB), so only
// lines holding a code point that may change or combine are passed to it;
// normalisation never crosses a newline, so line by line equals whole-text.

// True when a string of such code points is NFC whatever their neighbours
// among them: a starter (combining class 0) without canonical decomposition
// that is not the second of a composition (utf8proc marks those with a
// comb_index of 0x8000 and above; Hangul vowels and trailing consonants
// compose algorithmically).
bool stays_nfc(utf8proc_int32_t cp) {
  if ((cp >= 0x1161 && cp <= 0x1175) || (cp >= 0x11A8 && cp <= 0x11C2)) return false;
  const utf8proc_property_t* p = utf8proc_get_property(cp);
  const bool canonical = p->decomp_seqindex != UINT16_MAX && p->decomp_type == 0;
  const bool second = p->comb_index != UINT16_MAX && p->comb_index >= 0x8000;
  return p->combining_class == 0 && !canonical && !second;
}

// True when `line` (valid UTF-8) might not be NFC. Invalid UTF-8 is left as
// it is, for the parser to refuse.
bool needs_nfc(std::string_view line) {
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(line.data());
  const auto size = static_cast<utf8proc_ssize_t>(line.size());
  bool suspect = false;
  for (utf8proc_ssize_t i = 0; i < size;) {
    if (bytes[i] < 0x80) {
      ++i;
      continue;
    }
    utf8proc_int32_t cp = 0;
    const utf8proc_ssize_t length = utf8proc_iterate(bytes + i, size - i, &cp);
    if (length <= 0) return false;
    suspect = suspect || !stays_nfc(cp);
    i += length;
  }
  return suspect;
}

// Appends `line` in NFC.
void append_nfc(std::string& out, std::string_view line) {
  utf8proc_uint8_t* normal = nullptr;
  const utf8proc_ssize_t length =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(line.data()),
                   static_cast<utf8proc_ssize_t>(line.size()), &normal,
                   static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  if (length < 0) {
    out.append(line);  // cannot happen for valid UTF-8; keep the text as read
  } else {
    out.append(reinterpret_cast<const char*>(normal), static_cast<std::size_t>(length));
  }
  std::free(normal);
}

// `text` in NFC; nullopt when it already is.
std::optional<std::string> to_nfc(std::string_view text) {
  std::optional<std::string> result;
  std::size_t copied = 0;  // text[0, copied) is in `result`
  for (std::size_t start = 0; start < text.size();) {
    std::size_t end = text.find('\n', start);
    end = end == std::string_view::npos ? text.size() : end;
    const std::string_view line = text.substr(start, end - start);
    if (needs_nfc(line)) {
      if (!result) result.emplace().reserve(text.size());
      result->append(text.substr(copied, start - copied));
      append_nfc(*result, line);
      copied = end;
    }
    start = end + 1;
  }
  if (!result) return std::nullopt;
  result->append(text.substr(copied));
  if (*result == text) return std::nullopt;
  return result;
}

}  // namespace

TrackerText prepare_text(std::string_view bytes) {
  TrackerText result;
  if (bytes.substr(0, kBom.size()) == kBom) {
    bytes.remove_prefix(kBom.size());
    result.had_bom = true;
  }
  if (std::optional<std::string> repaired = repair_mac_roman_mojibake(bytes)) {
    result.text = std::move(*repaired);
    result.repaired_mojibake = true;
    // A BOM that went through the round trip ("Ôªø") comes back as a BOM.
    if (std::string_view(result.text).substr(0, kBom.size()) == kBom) {
      result.text.erase(0, kBom.size());
      result.had_bom = true;
    }
  } else {
    result.text = std::string(bytes);
  }
  if (std::optional<std::string> normal = to_nfc(result.text)) result.text = std::move(*normal);

  const std::string_view text = result.text;
  const std::size_t first_newline = text.find('\n');
  result.crlf = first_newline != std::string_view::npos && first_newline > 0 &&
                text[first_newline - 1] == '\r';
  result.lines.reserve(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1);
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    result.lines.emplace_back(line);
    start = end + 1;
  }
  return result;
}

}  // namespace recall
