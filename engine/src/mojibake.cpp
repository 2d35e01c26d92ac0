#include "mojibake.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <utility>

namespace recall {

namespace {

// Mac OS Roman bytes 0x80..0xFF as Unicode code points (Apple's mapping,
// where 0xDB is the euro sign and 0xF0 the Apple logo in the private use
// area). Bytes 0x00..0x7F are ASCII.
constexpr std::array<char32_t, 128> kMacRomanHigh = {
    0x00C4, 0x00C5, 0x00C7, 0x00C9, 0x00D1, 0x00D6, 0x00DC, 0x00E1,  // 0x80
    0x00E0, 0x00E2, 0x00E4, 0x00E3, 0x00E5, 0x00E7, 0x00E9, 0x00E8,  // 0x88
    0x00EA, 0x00EB, 0x00ED, 0x00EC, 0x00EE, 0x00EF, 0x00F1, 0x00F3,  // 0x90
    0x00F2, 0x00F4, 0x00F6, 0x00F5, 0x00FA, 0x00F9, 0x00FB, 0x00FC,  // 0x98
    0x2020, 0x00B0, 0x00A2, 0x00A3, 0x00A7, 0x2022, 0x00B6, 0x00DF,  // 0xA0
    0x00AE, 0x00A9, 0x2122, 0x00B4, 0x00A8, 0x2260, 0x00C6, 0x00D8,  // 0xA8
    0x221E, 0x00B1, 0x2264, 0x2265, 0x00A5, 0x00B5, 0x2202, 0x2211,  // 0xB0
    0x220F, 0x03C0, 0x222B, 0x00AA, 0x00BA, 0x03A9, 0x00E6, 0x00F8,  // 0xB8
    0x00BF, 0x00A1, 0x00AC, 0x221A, 0x0192, 0x2248, 0x2206, 0x00AB,  // 0xC0
    0x00BB, 0x2026, 0x00A0, 0x00C0, 0x00C3, 0x00D5, 0x0152, 0x0153,  // 0xC8
    0x2013, 0x2014, 0x201C, 0x201D, 0x2018, 0x2019, 0x00F7, 0x25CA,  // 0xD0
    0x00FF, 0x0178, 0x2044, 0x20AC, 0x2039, 0x203A, 0xFB01, 0xFB02,  // 0xD8
    0x2021, 0x00B7, 0x201A, 0x201E, 0x2030, 0x00C2, 0x00CA, 0x00C1,  // 0xE0
    0x00CB, 0x00C8, 0x00CD, 0x00CE, 0x00CF, 0x00CC, 0x00D3, 0x00D4,  // 0xE8
    0xF8FF, 0x00D2, 0x00DA, 0x00DB, 0x00D9, 0x0131, 0x02C6, 0x02DC,  // 0xF0
    0x00AF, 0x02D8, 0x02D9, 0x02DA, 0x00B8, 0x02DD, 0x02DB, 0x02C7,  // 0xF8
};

// Before Mac OS 8.5, byte 0xDB was the currency sign; old converters still
// produce it, so it maps back to 0xDB as well.
constexpr char32_t kOldCurrencySign = 0x00A4;

using ReverseEntry = std::pair<char32_t, unsigned char>;
using ReverseTable = std::array<ReverseEntry, kMacRomanHigh.size() + 1>;

// Code point -> Mac Roman byte, sorted by code point for binary search.
const ReverseTable& reverse_table() {
  static const ReverseTable table = [] {
    ReverseTable t{};
    for (std::size_t i = 0; i < kMacRomanHigh.size(); ++i)
      t[i] = {kMacRomanHigh[i], static_cast<unsigned char>(0x80 + i)};
    t[kMacRomanHigh.size()] = {kOldCurrencySign, 0xDB};
    std::sort(t.begin(), t.end());
    return t;
  }();
  return table;
}

// The Mac Roman byte whose reading is `cp`, or -1 when there is none.
int mac_roman_byte(char32_t cp) {
  if (cp < 0x80) return static_cast<int>(cp);
  const ReverseTable& table = reverse_table();
  auto it = std::lower_bound(table.begin(), table.end(), ReverseEntry{cp, 0});
  if (it == table.end() || it->first != cp) return -1;
  return it->second;
}

// Decodes the UTF-8 sequence at text[pos]. Returns its length, or 0 when the
// bytes there are not a valid, shortest-form encoding of a scalar value.
std::size_t decode_utf8(std::string_view text, std::size_t pos, char32_t& cp) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(pos);
  if (lead < 0x80) {
    cp = lead;
    return 1;
  }
  std::size_t length;
  char32_t min_value;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2, min_value = 0x80, cp = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3, min_value = 0x800, cp = lead & 0x0F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4, min_value = 0x10000, cp = lead & 0x07;
  } else {
    return 0;  // a continuation byte, or a lead byte no valid text uses
  }
  if (text.size() - pos < length) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    const unsigned char next = byte(pos + i);
    if ((next & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (next & 0x3F);
  }
  if (cp < min_value || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return length;
}

// How many continuation bytes a UTF-8 lead byte announces; 0 for bytes that
// cannot lead a multi-byte sequence.
int continuation_count(int lead) {
  if (lead >= 0xC2 && lead <= 0xDF) return 1;
  if (lead >= 0xE0 && lead <= 0xEF) return 2;
  if (lead >= 0xF0 && lead <= 0xF4) return 3;
  return 0;
}

bool is_continuation(int byte) { return byte >= 0x80 && byte <= 0xBF; }

}  // namespace

std::size_t find_invalid_utf8(std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    // ASCII runs are the common case; skip them without decoding.
    if (static_cast<unsigned char>(text[pos]) < 0x80) {
      ++pos;
      continue;
    }
    char32_t cp;
    const std::size_t length = decode_utf8(text, pos, cp);
    if (length == 0) return pos;
    pos += length;
  }
  return std::string_view::npos;
}

bool has_mac_roman_mojibake(std::string_view text) {
  // Bytes (as Mac Roman readings) of the sequence being matched so far.
  int expected = 0;  // continuation readings still needed
  std::size_t pos = 0;
  while (pos < text.size()) {
    // ASCII (most of a tracker) reads as itself and breaks any sequence.
    if (static_cast<unsigned char>(text[pos]) < 0x80) {
      expected = 0;
      ++pos;
      continue;
    }
    char32_t cp;
    const std::size_t length = decode_utf8(text, pos, cp);
    if (length == 0) return false;  // not UTF-8: not a Mac Roman round trip
    pos += length;
    const int byte = mac_roman_byte(cp);
    if (expected > 0 && is_continuation(byte)) {
      if (--expected == 0) return true;
      continue;
    }
    expected = continuation_count(byte);
  }
  return false;
}

std::optional<std::string> repair_mac_roman_mojibake(std::string_view text) {
  if (!has_mac_roman_mojibake(text)) return std::nullopt;
  std::string repaired;
  repaired.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    char32_t cp;
    const std::size_t length = decode_utf8(text, pos, cp);
    if (length == 0) return std::nullopt;
    const int byte = mac_roman_byte(cp);
    // A character outside Mac Roman cannot come from a Mac Roman reading:
    // the text is genuine UTF-8 (or damaged some other way). Leave it alone.
    if (byte < 0) return std::nullopt;
    repaired.push_back(static_cast<char>(byte));
    pos += length;
  }
  if (find_invalid_utf8(repaired) != std::string_view::npos) return std::nullopt;
  if (repaired == text) return std::nullopt;
  return repaired;
}

}  // namespace recall
