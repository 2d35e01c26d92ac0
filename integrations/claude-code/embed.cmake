# Turns the Claude Code templates (this folder) into a C++ source defining
# recall::detail::kClaudeCode* for `recall integrate claude-code`, so an
# installed binary needs no checkout. -DDIR=this folder -DOUTPUT=the .cpp
set(TEMPLATES
  kClaudeCodeMcpJson=mcp.json
  kClaudeCodeSettingsJson=settings.json
  kClaudeCodeDrillSkill=skills/recall-drill/SKILL.md
  kClaudeCodeCardsSkill=skills/recall-cards/SKILL.md)
set(BODY "// Generated from integrations/claude-code at build time. Do not edit.\nnamespace recall::detail {\n")
foreach(entry ${TEMPLATES})
  string(REPLACE "=" ";" pair ${entry})
  list(GET pair 0 name)
  list(GET pair 1 file)
  file(READ ${DIR}/${file} TEXT)
  string(APPEND BODY "extern const char* const ${name};\n"
    "const char* const ${name} = R\"recall_template(${TEXT})recall_template\";\n")
endforeach()
string(APPEND BODY "}\n")
file(WRITE ${OUTPUT} "${BODY}")
