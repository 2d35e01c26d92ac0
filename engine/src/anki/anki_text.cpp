// The text rules of the Anki format: note guids, field checksums, fields as
// HTML. SHA-1 and SHA-256 come from OpenSSL's libcrypto (libraries.h).
#include <openssl/evp.h>

#include <array>
#include <string>

#include "libraries.h"
#include "recall/anki.h"
#include "recall/error.h"

namespace recall {

namespace {

// The digest of `text` by `md` (EVP_sha1, EVP_sha256).
std::array<unsigned char, EVP_MAX_MD_SIZE> digest(const EVP_MD* md, std::string_view text) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int size = 0;
  if (anki::libraries().EVP_Digest(text.data(), text.size(), out.data(), &size, md, nullptr) != 1)
    throw Error::io("OpenSSL: the digest failed");
  return out;
}

// Anki's base91 alphabet: ASCII letters, digits, then these.
constexpr std::string_view kBase91 =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_`{|}~";
static_assert(kBase91.size() == 91);

}  // namespace

std::string anki_guid(std::string_view identity) {
  const auto hash = digest(anki::libraries().EVP_sha256(), "recall:" + std::string(identity));
  unsigned long long number = 0;
  for (int i = 0; i < 8; ++i) number = (number << 8) | hash[static_cast<std::size_t>(i)];
  std::string out;
  while (number > 0) {
    out.insert(out.begin(), kBase91[number % kBase91.size()]);
    number /= kBase91.size();
  }
  return out.empty() ? std::string("a") : out;
}

std::uint32_t anki_checksum(std::string_view first_field_html) {
  const auto hash = digest(anki::libraries().EVP_sha1(), anki_strip_html(first_field_html));
  return (std::uint32_t{hash[0]} << 24) | (std::uint32_t{hash[1]} << 16) |
         (std::uint32_t{hash[2]} << 8) | std::uint32_t{hash[3]};
}

std::string anki_strip_html(std::string_view html) {
  std::string text;
  text.reserve(html.size());
  std::size_t i = 0;
  while (i < html.size()) {
    if (html.compare(i, 4, "<!--") == 0) {
      const auto end = html.find("-->", i + 4);
      i = end == std::string_view::npos ? html.size() : end + 3;
    } else if (html[i] == '<' && html.find('>', i) != std::string_view::npos) {
      i = html.find('>', i) + 1;
    } else if (html[i] == '&') {
      static constexpr std::pair<std::string_view, std::string_view> kEntities[] = {
          {"&amp;", "&"},   {"&lt;", "<"},  {"&gt;", ">"},
          {"&quot;", "\""}, {"&#39;", "'"}, {"&nbsp;", " "}};
      bool decoded = false;
      for (const auto& [entity, value] : kEntities)
        if (html.compare(i, entity.size(), entity) == 0) {
          text += value;
          i += entity.size();
          decoded = true;
          break;
        }
      if (!decoded) text += html[i++];
    } else {
      text += html[i++];
    }
  }
  return text;
}

std::string anki_field_html(std::string_view text) {
  std::string html;
  html.reserve(text.size() + 16);
  for (char c : text) {
    switch (c) {
      case '&':
        html += "&amp;";
        break;
      case '<':
        html += "&lt;";
        break;
      case '>':
        html += "&gt;";
        break;
      case '\n':
        html += "<br>";
        break;
      case '\r':
        break;
      default:
        html += c;
    }
  }
  return html;
}

}  // namespace recall
