# Turns schema.sql into a C++ source defining recall::detail::kSchemaSql.
file(READ ${INPUT} SCHEMA)
file(WRITE ${OUTPUT} "// Generated from schema.sql at build time. Do not edit.\n"
  "namespace recall::detail {\n"
  "extern const char* const kSchemaSql;\n"
  "const char* const kSchemaSql = R\"recall_schema(${SCHEMA})recall_schema\";\n"
  "}\n")
