#include "libraries.h"

#include <dlfcn.h>

#include <string>

#include "recall/error.h"

namespace recall::anki {

namespace {

// The sonames of the libraries the headers describe (CMakeLists.txt reads
// them off the libraries found at configure time: libzip.so.4 and
// libcrypto.so.3 on Debian 12, from libzip4 and libssl3).
constexpr const char* kLibzip = RECALL_LIBZIP_SONAME;
constexpr const char* kLibcrypto = RECALL_LIBCRYPTO_SONAME;
// What installs them, for the error (libzip brings libcrypto).
constexpr const char* kPackages = "Debian packages libzip4 and libssl3";

void* open_library(const char* soname) {
  // Kept open for the life of the process: its functions are used until exit.
  void* handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* why = dlerror();
    throw Error::io(std::string("Anki packages need ") + soname + " (" + kPackages +
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
  void* zip = open_library(kLibzip);
  void* crypto = open_library(kLibcrypto);
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
