// `recall completion bash|zsh`: a completion script for every command and
// option, written from the tables the parser itself uses (describe(),
// command.h), so it cannot drift from them. Card ids and topic labels come
// from the database at Tab time: the scripts run `recall completion --list`.
#include <iostream>
#include <set>

#include "commands.h"
#include "recall/completion.h"
#include "recall/error.h"
#include "recall/settings.h"
#include "terminal.h"

namespace recall::cli {

namespace {

// Positional words that are one of a few fixed words; the command checks
// them itself (an unknown one is a usage error naming the known ones).
struct Choices {
  const char* command;
  const char* option;
  const char* words;
};
constexpr Choices kChoices[] = {
    {"config", "action", "get set unset"},
    {"deck", "action", "generate"},
    {"integrate", "target", "claude-code"},
    {"completion", "shell", "bash zsh"},
    {"completion", "list", "card-ids topics domains"},
};

std::string setting_keys() {
  std::string keys;
  for (const auto& setting : known_settings())
    keys += (keys.empty() ? "" : " ") + std::string(setting.key);
  return keys;
}

// What an option's value (or a positional word) completes to: "ids",
// "topics", "domains", "files", "dirs", "none", or "=w1 w2" (fixed words).
std::string value_kind(const std::string& command, const std::string& option) {
  for (const auto& choice : kChoices)
    if (command == choice.command && option == choice.option)
      return std::string("=") + choice.words;
  if (option == "card-id") return "ids";
  if (option == "topic") return "topics";
  if (option == "domain") return "domains";
  if (option == "grade") return "=0 1 2 3 4 5";
  if (option == "file" || option == "tracker" || option == "output" || option == "db")
    return "files";
  if (option == "dir") return "dirs";
  if (command == "config" && option == "words") return "=" + setting_keys();
  return "none";
}

std::vector<CommandInfo> all_commands() {
  std::vector<CommandInfo> infos;
  for (const auto& command : commands()) infos.push_back(describe(command));
  return infos;
}

// The global options as a CommandInfo (no command name).
CommandInfo globals_info() {
  CommandInfo info;
  for (const auto& option : global_options().options()) {
    OptionInfo out;
    out.name = option->long_name();
    const std::string shown =
        option->canonical_display_name(po::command_line_style::allow_dash_for_short);
    if (shown.size() == 2 && shown[0] == '-') out.short_name = shown[1];
    out.takes_value = option->semantic()->max_tokens() > 0;
    out.description = option->description();
    info.options.push_back(out);
  }
  return info;
}

// The global options a command also accepts after its name (--db, --today).
std::vector<OptionInfo> globals_with_values() {
  std::vector<OptionInfo> options;
  for (const auto& option : globals_info().options)
    if (option.takes_value) options.push_back(option);
  return options;
}

// ---- bash -------------------------------------------------------------------

// The words offered after a dash, and "word=kind" for the options with a value.
void bash_arm(std::ostream& out, const std::string& command, const CommandInfo& info) {
  std::string options, values, positionals;
  std::vector<OptionInfo> all = info.options;
  for (const auto& option : globals_with_values()) all.push_back(option);
  for (const auto& option : all) {
    if (option.positional) continue;
    std::vector<std::string> spellings{"--" + option.name};
    if (option.short_name) spellings.push_back(std::string("-") + option.short_name);
    for (const auto& word : spellings) {
      options += (options.empty() ? "" : " ") + word;
      if (option.takes_value) {
        std::string kind = value_kind(command, option.name);
        for (char& c : kind) c = c == ' ' ? ',' : c;  // one word per entry
        values += (values.empty() ? "" : " ") + word + "=" + kind;
      }
    }
  }
  for (const auto& name : info.positionals) {
    std::string kind = value_kind(command, name);
    for (char& c : kind) c = c == ' ' ? ',' : c;
    positionals += (positionals.empty() ? "" : " ") + kind;
  }
  out << "      opts='" << options << "' vals='" << values << "' pos='" << positionals
      << "' rep=" << (info.last_positional_repeats ? 1 : 0) << " ;;\n";
}

void print_bash(std::ostream& out) {
  const auto infos = all_commands();
  std::string names;
  for (const auto& info : infos) names += (names.empty() ? "" : ",") + info.name;
  // Global options with a value skip it (and a split "=") before the command.
  std::string global_words, global_values, global_value_words;
  for (const auto& option : globals_info().options) {
    std::vector<std::string> spellings{"--" + option.name};
    if (option.short_name) spellings.push_back(std::string("-") + option.short_name);
    for (const auto& word : spellings) {
      global_words += (global_words.empty() ? "" : " ") + word;
      if (option.takes_value) {
        global_value_words += (global_value_words.empty() ? "" : "|") + word;
        std::string kind = value_kind("", option.name);
        for (char& c : kind) c = c == ' ' ? ',' : c;
        global_values += (global_values.empty() ? "" : " ") + word + "=" + kind;
      }
    }
  }
  out << "# bash completion for recall (" << version_text() << ")\n"
      << "# Generated by `recall completion bash` from the parser's own tables.\n"
      << "# Load it with:  source <(recall completion bash)\n\n"
      << R"SH(# The database's words of KIND (card-ids, topics, domains), read by the
# same recall, from the --db given on the line if any.
_recall_list() {
  local i word db=()
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=${COMP_WORDS[i]}
    if [[ $word == --db ]]; then
      word=${COMP_WORDS[i + 1]}
      [[ $word == = ]] && word=${COMP_WORDS[i + 2]}
      db=(--db "${word/#\~/$HOME}")
    fi
  done
  "${COMP_WORDS[0]/#\~/$HOME}" "${db[@]}" completion --list "$1" 2>/dev/null
}

# Sets COMPREPLY for a value of KIND: ids, topics, domains, files, dirs,
# none, or =w1,w2 (fixed words).
_recall_complete_kind() {
  local kind=$1 cur=$2
  case $kind in
    ids) COMPREPLY=($(compgen -W "$(_recall_list card-ids)" -- "$cur")) ;;
    topics) COMPREPLY=($(compgen -W "$(_recall_list topics)" -- "$cur")) ;;
    domains) COMPREPLY=($(compgen -W "$(_recall_list domains)" -- "$cur")) ;;
    files) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")) ;;
    dirs) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- "$cur")) ;;
    =*) kind=${kind:1}; COMPREPLY=($(compgen -W "${kind//,/ }" -- "$cur")) ;;
    *) COMPREPLY=() ;;
  esac
}

_recall() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
  local opts vals pos rep cmd='' at=0 i word kind option
  COMPREPLY=()
  # The command: the first word that is neither a global option nor its value.
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=${COMP_WORDS[i]}
    case $word in
)SH"
      << "      " << global_value_words
      << R"SH() [[ ${COMP_WORDS[i + 1]} == = ]] && ((i++)); ((i++)) ;;
      -*) ;;
      *) cmd=$word at=$i; break ;;
    esac
  done
  case $cmd in
)SH"
      << "    '') opts='" << global_words << "' vals='" << global_values << "' pos='=" << names
      << "' rep=0 ;;\n";
  for (const auto& info : infos) {
    out << "    " << info.name << ")\n";
    bash_arm(out, info.name, info);
  }
  out << R"SH(    *) return 0 ;;
  esac
  # The value of an option: --opt VALUE, --opt=VALUE (bash splits at "=").
  option=$prev
  if [[ $prev == = ]]; then option=${COMP_WORDS[COMP_CWORD - 2]}; fi
  if [[ $cur == = ]]; then option=$prev cur=''; fi
  if [[ $option == -* ]]; then
    for word in $vals; do
      if [[ ${word%%=*} == "$option" ]]; then
        _recall_complete_kind "${word#*=}" "$cur"
        return 0
      fi
    done
  fi
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    return 0
  fi
  # A positional word: count the ones before it (options and their values skipped).
  local n=0 skip=0
  for ((i = at + 1; i < COMP_CWORD; i++)); do
    word=${COMP_WORDS[i]}
    if ((skip)); then skip=0; [[ $word == = ]] && skip=1; continue; fi
    case $word in
      -*=*) ;;
      -*) for kind in $vals; do [[ ${kind%%=*} == "$word" ]] && skip=1; done ;;
      *) ((n++)) ;;
    esac
  done
  [[ -z $cmd ]] && n=0
  local kinds=($pos)
  if ((n >= ${#kinds[@]})); then
    ((rep && ${#kinds[@]})) || return 0
    n=$((${#kinds[@]} - 1))
  fi
  _recall_complete_kind "${kinds[n]}" "$cur"
}
complete -F _recall recall
)SH";
}

// ---- zsh --------------------------------------------------------------------

// Text inside a single-quoted _arguments spec: quotes closed and reopened,
// and the characters _arguments reads ([, ], :, \) escaped.
std::string zsh_text(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\'')
      out += "'\\''";
    else if (c == '[' || c == ']' || c == ':' || c == '\\')
      out += std::string("\\") + c;
    else
      out += c;
  }
  return out;
}

std::string zsh_action(const std::string& kind) {
  if (kind == "ids") return "_recall_words card-ids";
  if (kind == "topics") return "_recall_words topics";
  if (kind == "domains") return "_recall_words domains";
  if (kind == "files") return "_files";
  if (kind == "dirs") return "_files -/";
  if (kind.rfind('=', 0) == 0) return "(" + kind.substr(1) + ")";
  return " ";
}

std::string zsh_option_spec(const std::string& command, const OptionInfo& option) {
  std::string spec;
  const std::string text = "[" + zsh_text(option.description) + "]";
  const std::string value = option.takes_value ? ":" + zsh_text(option.name) + ":" +
                                                     zsh_action(value_kind(command, option.name))
                                               : "";
  const std::string equals = option.takes_value ? "=" : "";
  if (option.short_name) {
    const std::string s = std::string("-") + option.short_name;
    spec = "'(" + s + " --" + option.name + ")'{" + s + ",--" + option.name + "}'" + equals + text +
           value + "'";
  } else {
    spec = "'--" + option.name + equals + text + value + "'";
  }
  return spec;
}

void print_zsh(std::ostream& out) {
  const auto infos = all_commands();
  out << "#compdef recall\n"
      << "# zsh completion for recall (" << version_text() << ")\n"
      << "# Generated by `recall completion zsh` from the parser's own tables.\n"
      << "# Install it as _recall in a folder of $fpath, or: source <(recall completion zsh)\n\n"
      << R"SH(# The database's words of KIND (card-ids, topics, domains), read by the
# same recall, from the --db given on the line if any (_recall sets both).
_recall_words() {
  local -a found
  found=(${(f)"$(${~_recall_bin} "${_recall_db[@]}" completion --list $1 2>/dev/null)"})
  _describe -t recall-$1 $1 found
}

_recall() {
  local curcontext=$curcontext state line ret=1 i
  local -a commands _recall_db
  typeset -A opt_args
  # Before _arguments shifts $words to the command: the binary and its --db.
  local _recall_bin=$words[1]
  for ((i = 2; i < CURRENT; i++)); do
    case $words[i] in
      --db) _recall_db=(--db ${~words[i + 1]}) ;;
      --db=*) _recall_db=(--db ${~words[i]#--db=}) ;;
    esac
  done
  commands=(
)SH";
  for (const auto& info : infos) {
    std::string summary;
    for (char c : info.summary) {
      if (c == ':' || c == '\\') summary += '\\';
      summary += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    out << "    '" << info.name << ":" << summary << "'\n";
  }
  out << "  )\n  _arguments -C \\\n";
  for (const auto& option : globals_info().options)
    out << "    " << zsh_option_spec("", option) << " \\\n";
  out << R"SH(    '1:command:->command' \
    '*::argument:->argument' && ret=0
  case $state in
    command) _describe -t commands 'recall command' commands && ret=0 ;;
    argument)
      curcontext=${curcontext%:*:*}:recall-$words[1]:
      case $words[1] in
)SH";
  for (const auto& info : infos) {
    out << "        " << info.name << ")\n          _arguments";
    for (const auto& option : info.options)
      if (!option.positional) out << " \\\n            " << zsh_option_spec(info.name, option);
    for (const auto& option : globals_with_values())
      out << " \\\n            " << zsh_option_spec("", option);
    for (std::size_t i = 0; i < info.positionals.size(); ++i) {
      const std::string& name = info.positionals[i];
      const bool repeats = info.last_positional_repeats && i + 1 == info.positionals.size();
      out << " \\\n            '" << (repeats ? "*" : std::to_string(i + 1)) << ":"
          << zsh_text(name) << ":" << zsh_action(value_kind(info.name, name)) << "'";
    }
    out << " && ret=0 ;;\n";
  }
  out << R"SH(      esac ;;
  esac
  return ret
}

if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  _recall "$@"
else
  compdef _recall recall
fi
)SH";
}

void print_list(const std::string& kind, const std::string& db_path) {
  const CompletionWords words = read_completion_words(db_path);
  if (kind == "card-ids") {
    for (long long id : words.card_ids) std::cout << id << "\n";
  } else if (kind == "topics") {
    std::set<std::string> shown;  // a label two topics share is offered once
    for (const auto& label : words.topic_labels)
      if (shown.insert(label).second) std::cout << printable(label) << "\n";
  } else {
    for (const auto& letter : words.domain_letters) std::cout << printable(letter) << "\n";
  }
}

}  // namespace

int run_completion(Context& context, const std::vector<std::string>& args) {
  po::options_description options("completion options");
  options.add_options()("shell", po::value<std::string>(), "bash or zsh")(
      "list", po::value<std::string>(),
      "print the database's card-ids, topics or domains, one a line (what the scripts complete; "
      "reads the database read-only and prints nothing when it is missing)");
  po::positional_options_description positional;
  positional.add("shell", 1);
  po::variables_map values;
  if (!parse_args("completion", args, options, positional, values,
                  "completion bash|zsh | completion --list card-ids|topics|domains"))
    return 0;
  if (values.count("list")) {
    const std::string kind = values["list"].as<std::string>();
    if (kind != "card-ids" && kind != "topics" && kind != "domains")
      throw Error::usage("completion: --list '" + kind +
                         "' is not one of card-ids, topics, domains");
    print_list(kind, context.db_path());
    return 0;
  }
  if (!values.count("shell"))
    throw Error::usage("completion: which shell? (recall completion bash|zsh)");
  const std::string shell = values["shell"].as<std::string>();
  if (shell == "bash")
    print_bash(std::cout);
  else if (shell == "zsh")
    print_zsh(std::cout);
  else
    throw Error::usage("completion: unknown shell '" + shell + "' (known: bash, zsh)");
  return 0;
}

}  // namespace recall::cli
