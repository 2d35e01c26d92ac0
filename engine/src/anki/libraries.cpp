#include "libraries.h"

#include <dlfcn.h>

#include <string>

#include "recall/error.h"

namespace recall::anki {

namespace {

// The sonames of the libraries the headers describe: Debian 12's libzip4
// (libzip 1.x) and libssl3 (OpenSSL 3).
static_assert(LIBZIP_VERSION_MAJOR == 1, "libzip.so.4 is libzip 1.x");
static_assert(OPENSSL_VERSION_MAJOR == 3, "libcrypto.so.3 is OpenSSL 3");
constexpr const char* kLibzip = "libzip.so.4";
constexpr const char* kLibcrypto = "libcrypto.so.3";

void* open_library(const char* soname, const char* package) {
  // Kept open for the life of the process: its functions are used until exit.
  void* handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* why = dlerror();
    throw Error::io(std::string("Anki packages need ") + soname + " (Debian package " + package +
                    "): " + (why ? why : "it cannot be loaded"));
  }
  return handle;
}

template <typename Function>
void bind(Function& function, void* handle, const char* soname, const char* name) {
  dlerror();
  void* symbol = dlsym(handle, name);
  if (!symbol)
    throw Error::io(std::string("Anki packages need ") + name + " from " + soname +
                    ", which it does not hold");
  function = reinterpret_cast<Function>(symbol);
}

Libraries load() {
  Libraries lib;
  void* zip = open_library(kLibzip, "libzip4");
  void* crypto = open_library(kLibcrypto, "libssl3");
#define RECALL_ANKI_BIND_ZIP(name) bind(lib.name, zip, kLibzip, #name);
#define RECALL_ANKI_BIND_CRYPTO(name) bind(lib.name, crypto, kLibcrypto, #name);
  RECALL_ANKI_LIBZIP_FUNCTIONS(RECALL_ANKI_BIND_ZIP)
  RECALL_ANKI_LIBCRYPTO_FUNCTIONS(RECALL_ANKI_BIND_CRYPTO)
#undef RECALL_ANKI_BIND_ZIP
#undef RECALL_ANKI_BIND_CRYPTO
  return lib;
}

}  // namespace

const Libraries& libraries() {
  // A throw leaves it unset (C++ static initialisation), so the next call
  // tries again.
  static const Libraries loaded = load();
  return loaded;
}

}  // namespace recall::anki
