# recall on the PATH (issue 27): --version's commit, the man page and the
# completion scripts made at build time, the install rules (`make install`,
# `cmake --install`), `make uninstall` from a record of what was installed,
# and the Debian package (`make deb`, CPack DEB). Included at the end of
# CMakeLists.txt.
include(GNUInstallDirs)

# --version's commit: one generated .cpp in recall_cli, rewritten only when
# the commit changes, so a commit recompiles that file alone (never a compile
# definition: that would recompile everything). A clone without .git builds
# with "unknown" unless RECALL_COMMIT names it.
set(RECALL_COMMIT "" CACHE STRING "The commit --version names (default: read from git at build)")
set(RECALL_VERSION_CPP ${CMAKE_CURRENT_BINARY_DIR}/generated/version.cpp)
add_custom_target(recall_version_file
  COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${CMAKE_CURRENT_SOURCE_DIR} -DOUTPUT=${RECALL_VERSION_CPP}
          -DCOMMIT=${RECALL_COMMIT} -P ${CMAKE_CURRENT_SOURCE_DIR}/scripts/version.cmake
  BYPRODUCTS ${RECALL_VERSION_CPP}
  VERBATIM)
target_sources(recall_cli PRIVATE ${RECALL_VERSION_CPP})
add_dependencies(recall_cli recall_version_file)

# recall(1), from the parser's own tables (cli/manpage.cpp), gzipped as installed.
set(RECALL_DATADIR ${CMAKE_INSTALL_FULL_DATADIR}/recall)
add_executable(recall_manpage cli/manpage.cpp)
target_link_libraries(recall_manpage PRIVATE recall_cli)
file(MAKE_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/share)
set(RECALL_MAN ${CMAKE_CURRENT_BINARY_DIR}/share/recall.1)
add_custom_command(
  OUTPUT ${RECALL_MAN} ${RECALL_MAN}.gz
  COMMAND recall_manpage ${RECALL_DATADIR} ${RECALL_MAN}
  COMMAND gzip -9nkf ${RECALL_MAN}
  DEPENDS recall_manpage
  COMMENT "Writing the man page recall.1"
  VERBATIM)
# The completion scripts, from `recall completion bash|zsh`.
set(RECALL_BASH_COMPLETION ${CMAKE_CURRENT_BINARY_DIR}/share/recall.bash)
set(RECALL_ZSH_COMPLETION ${CMAKE_CURRENT_BINARY_DIR}/share/_recall)
add_custom_command(
  OUTPUT ${RECALL_BASH_COMPLETION} ${RECALL_ZSH_COMPLETION}
  COMMAND sh -c "\"$0\" completion bash > \"$1\" && \"$0\" completion zsh > \"$2\""
          $<TARGET_FILE:recall> ${RECALL_BASH_COMPLETION} ${RECALL_ZSH_COMPLETION}
  DEPENDS recall
  COMMENT "Writing the bash and zsh completion scripts"
  VERBATIM)
add_custom_target(recall_share ALL
  DEPENDS ${RECALL_MAN}.gz ${RECALL_BASH_COMPLETION} ${RECALL_ZSH_COMPLETION})

# Where zsh looks: Debian's zsh reads vendor-completions under /usr, and
# share/zsh/site-functions under any other prefix (/usr/local is in its
# $fpath; under ~/.local the user adds it, as make install says).
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  set(RECALL_ZSH_DIR ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
else()
  set(RECALL_ZSH_DIR ${CMAKE_INSTALL_DATADIR}/zsh/site-functions)
endif()
set(RECALL_INSTALL_DIRS ${CMAKE_INSTALL_BINDIR} ${CMAKE_INSTALL_MANDIR}/man1
    ${CMAKE_INSTALL_DATADIR}/bash-completion/completions ${RECALL_ZSH_DIR}
    ${CMAKE_INSTALL_DATADIR}/recall/decks ${CMAKE_INSTALL_DATADIR}/recall/docs)
option(RECALL_DEBIAN "Install the Debian package's copyright and changelog (make deb)" OFF)
set(RECALL_DEB_MAINTAINER "recall maintainers <maintainers@users.noreply.b-seed-081cc377.example>"
    CACHE STRING "The Debian package's Maintainer field (and its changelog's)")
if(RECALL_DEBIAN)
  list(APPEND RECALL_INSTALL_DIRS ${CMAKE_INSTALL_DOCDIR})
endif()

# make uninstall removes exactly what was installed: the files of the
# install manifest and the folders the install created (none that existed
# before). The record goes to $RECALL_INSTALL_RECORD when set (the install
# test), else build/install_record.txt.
set(RECALL_RECORD_DEFAULT ${CMAKE_CURRENT_BINARY_DIR}/install_record.txt)
install(CODE "
  set(recall_record \"\$ENV{RECALL_INSTALL_RECORD}\")
  if(NOT recall_record)
    set(recall_record \"${RECALL_RECORD_DEFAULT}\")
  endif()
  # An earlier install not uninstalled yet stays recorded (a second install
  # finds the folders the first one made already there).
  set(recall_created \"\")
  set(recall_files \"\")
  if(EXISTS \"\${recall_record}\")
    file(STRINGS \"\${recall_record}\" recall_old)
    foreach(line IN LISTS recall_old)
      if(line MATCHES \"^dir\t(.+)$\")
        list(APPEND recall_created \"\${CMAKE_MATCH_1}\")
      elseif(line MATCHES \"^file\t(.+)$\")
        list(APPEND recall_files \"\${CMAKE_MATCH_1}\")
      endif()
    endforeach()
  endif()
  foreach(dir ${RECALL_INSTALL_DIRS})
    set(path \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/\${dir}\")
    while(NOT EXISTS \"\${path}\" AND NOT path STREQUAL \"/\" AND NOT path STREQUAL \"\")
      list(APPEND recall_created \"\${path}\")
      get_filename_component(path \"\${path}\" DIRECTORY)
    endwhile()
  endforeach()
  list(REMOVE_DUPLICATES recall_created)
")
install(TARGETS recall RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${RECALL_MAN}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${RECALL_BASH_COMPLETION} DESTINATION
        ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME recall)
install(FILES ${RECALL_ZSH_COMPLETION} DESTINATION ${RECALL_ZSH_DIR})
install(FILES decks/ml-study-tracker.md decks/ml-study-tracker.deck.md
        DESTINATION ${CMAKE_INSTALL_DATADIR}/recall/decks)
file(GLOB RECALL_DOCS CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/docs/*.md)
install(FILES README.md ${RECALL_DOCS} DESTINATION ${CMAKE_INSTALL_DATADIR}/recall/docs)
if(RECALL_DEBIAN)
  string(TIMESTAMP RECALL_CHANGELOG_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC)
  configure_file(packaging/debian/changelog.in ${CMAKE_CURRENT_BINARY_DIR}/debian/changelog @ONLY)
  execute_process(COMMAND gzip -9nf ${CMAKE_CURRENT_BINARY_DIR}/debian/changelog)
  install(FILES packaging/debian/copyright ${CMAKE_CURRENT_BINARY_DIR}/debian/changelog.gz
          DESTINATION ${CMAKE_INSTALL_DOCDIR})
  install(FILES packaging/debian/lintian-overrides DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides
          RENAME recall)
endif()
install(CODE "
  set(recall_lines \"\")
  foreach(path \${recall_created})
    string(APPEND recall_lines \"dir\t\${path}\n\")
  endforeach()
  foreach(path \${CMAKE_INSTALL_MANIFEST_FILES})
    list(APPEND recall_files \"\$ENV{DESTDIR}\${path}\")
  endforeach()
  list(REMOVE_DUPLICATES recall_files)
  foreach(path \${recall_files})
    string(APPEND recall_lines \"file\t\${path}\n\")
  endforeach()
  file(WRITE \"\${recall_record}\" \"\${recall_lines}\")
  message(STATUS \"Install record (for make uninstall): \${recall_record}\")
")
add_custom_target(uninstall
  COMMAND ${CMAKE_COMMAND} -DRECORD=${RECALL_RECORD_DEFAULT}
          -P ${CMAKE_CURRENT_SOURCE_DIR}/scripts/uninstall.cmake
  VERBATIM)

# The Debian package: `make deb` configures build-deb/ with the prefix /usr,
# Debian's build flags and shared libraries, then runs cpack -G DEB.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME recall)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${RECALL_DEB_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${RECALL_DEB_MAINTAINER}")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Loaded on a package's first use, not linked (engine/src/anki/libraries.h):
# dpkg-shlibdeps cannot see them, so they are named here; its findings are
# added to these.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libzip4, libssl3")
set(CPACK_DEBIAN_PACKAGE_SECTION education)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "spaced-repetition flashcards from a markdown study tracker")
# The extended description (CPack puts the summary above it).
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "recall turns the key points of a study tracker (a markdown file kept by the
learner or an AI tutor) into flashcards, schedules them with SM-2 or FSRS-6
in a SQLite database, and runs a daily drill in the terminal. What the drill
learns (confidence, knowledge gaps, recurring mistakes) is written back into
the tracker.
.
An AI tutor reaches the same database through an MCP server (recall mcp)
and a session brief; recall integrate claude-code installs both into a
tutor's repository. Includes bash and zsh completion and a manual page.")
include(CPack)

# The install test (tests/install/run.sh): cmake --install into a temporary
# DESTDIR, the installed binary run, the man page rendered, the completion
# scripts loaded, and the uninstall leaving the folder empty.
if(RECALL_TESTS)
  add_test(NAME install_uninstall
           COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/tests/install/run.sh ${CMAKE_CURRENT_BINARY_DIR}
                   ${CMAKE_CURRENT_SOURCE_DIR})
endif()
