// One function per command; each lives in cli/commands/NAME.cpp.
#pragma once

#include "command.h"

namespace recall::cli {

int run_init(Context&, const std::vector<std::string>&);
int run_add(Context&, const std::vector<std::string>&);
int run_import(Context&, const std::vector<std::string>&);
int run_export(Context&, const std::vector<std::string>&);
int run_deck(Context&, const std::vector<std::string>&);
int run_review(Context&, const std::vector<std::string>&);
int run_due(Context&, const std::vector<std::string>&);
int run_next(Context&, const std::vector<std::string>&);
int run_answer(Context&, const std::vector<std::string>&);
int run_undo(Context&, const std::vector<std::string>&);
int run_card(Context&, const std::vector<std::string>&);
int run_cards(Context&, const std::vector<std::string>&);
int run_edit(Context&, const std::vector<std::string>&);
int run_approve(Context&, const std::vector<std::string>&);
int run_retire(Context&, const std::vector<std::string>&);
int run_topics(Context&, const std::vector<std::string>&);
int run_config(Context&, const std::vector<std::string>&);
int run_sync(Context&, const std::vector<std::string>&);
int run_gaps(Context&, const std::vector<std::string>&);
int run_plan(Context&, const std::vector<std::string>&);
int run_stats(Context&, const std::vector<std::string>&);
int run_optimize(Context&, const std::vector<std::string>&);
int run_report(Context&, const std::vector<std::string>&);
int run_check(Context&, const std::vector<std::string>&);
int run_backup(Context&, const std::vector<std::string>&);
int run_mcp(Context&, const std::vector<std::string>&);
int run_brief(Context&, const std::vector<std::string>&);
int run_integrate(Context&, const std::vector<std::string>&);
int run_completion(Context&, const std::vector<std::string>&);

}  // namespace recall::cli
