// libzip and OpenSSL's libcrypto, loaded when a process first reads or
// writes an Anki package, not when every recall starts: libzip brings
// libcrypto, and relocating libcrypto was over a quarter of every start
// (~2.5 ms of a bare `recall --version`), paid by `due`, `next`, each
// `recall answer` and each shell completion that never touch a package.
// The headers (libzip-dev, libssl-dev) give every function's type; the
// libraries are the runtime packages those pull in (libzip4, libssl3).
#pragma once

#include <openssl/evp.h>
#include <zip.h>

namespace recall::anki {

// Every function the Anki code calls in the two libraries.
#define RECALL_ANKI_LIBZIP_FUNCTIONS(X) \
  X(zip_close)                          \
  X(zip_discard)                        \
  X(zip_error_fini)                     \
  X(zip_error_init)                     \
  X(zip_error_init_with_code)           \
  X(zip_error_strerror)                 \
  X(zip_fclose)                         \
  X(zip_file_add)                       \
  X(zip_file_strerror)                  \
  X(zip_fopen_index)                    \
  X(zip_fread)                          \
  X(zip_get_num_entries)                \
  X(zip_name_locate)                    \
  X(zip_open)                           \
  X(zip_open_from_source)               \
  X(zip_source_buffer)                  \
  X(zip_source_buffer_create)           \
  X(zip_source_file)                    \
  X(zip_source_free)                    \
  X(zip_stat_index)                     \
  X(zip_stat_init)                      \
  X(zip_strerror)
#define RECALL_ANKI_LIBCRYPTO_FUNCTIONS(X) X(EVP_Digest) X(EVP_sha1) X(EVP_sha256)

// One pointer per function, named as the function, of its declared type.
struct Libraries {
#define RECALL_ANKI_POINTER(name) decltype(&::name) name = nullptr;
  RECALL_ANKI_LIBZIP_FUNCTIONS(RECALL_ANKI_POINTER)
  RECALL_ANKI_LIBCRYPTO_FUNCTIONS(RECALL_ANKI_POINTER)
#undef RECALL_ANKI_POINTER
};

// The libraries, loaded on the first call of the process (later calls
// return the same). A library or a function that cannot be loaded throws
// Error (kIo) naming it and the package that installs it; the next call
// tries again.
const Libraries& libraries();

}  // namespace recall::anki
