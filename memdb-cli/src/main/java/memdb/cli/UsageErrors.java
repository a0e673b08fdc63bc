package memdb.cli;

import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * A command line that does not parse (a missing KEY, a typo in an option, a value of the wrong kind) is a
 * usage error: one line on stderr, "memdb: " and the reason, a guess when the typo is close to a real name,
 * and where the full usage is, exit 2. Not the whole help page: a script's log and a REPL session keep the
 * reason readable, and {@code --help} prints the rest on request.
 */
final class UsageErrors {
    private static final Pattern ENV_DEFAULT = Pattern.compile("\\$\\{env:([A-Za-z0-9_]+)");
    private UsageErrors() {}

    /** Reports {@code e} on {@code io}'s stderr and returns the usage exit code. */
    static int report(Io io, Session session, ParameterException e, String... args) {
        CommandLine where = e.getCommandLine();
        String command = where.getCommandSpec().qualifiedName();
        String help = session.keepsConnections() ? command.substring(command.indexOf(' ') + 1) : command;
        if (help.equals("memdb")) help = session.keepsConnections() ? "help" : "memdb --help";
        else help += " --help";
        String variable = environmentVariable(e, args);
        String notAChoice = notAChoice(e);
        String reason = variable != null
                ? variable + " is '" + e.getValue() + "', which is not a valid " + ((OptionSpec) e.getArgSpec()).longestName()
                : notAChoice != null ? notAChoice : reason(e);
        Output.error(io, reason + guesses(e) + " (see '" + help + "')");
        return ExitCode.USAGE;
    }

    /**
     * The words that matched nothing. A missing KEY is reported before an unknown option ({@code get -x}),
     * so the unknown option, the likelier mistake, is taken from the command line then.
     */
    private static List<String> unmatched(ParameterException e) {
        if (e instanceof UnmatchedArgumentException unmatched) return unmatched.getUnmatched();
        if (e instanceof MissingParameterException) return e.getCommandLine().getUnmatchedArguments();
        return List.of();
    }

    /**
     * The environment variable a bad value came from ({@code MEMDB_TIMEOUT_MS=abc}), when the option takes its
     * default from one and was not on the command line; else null.
     */
    private static String environmentVariable(ParameterException e, String... args) {
        if (!(e.getArgSpec() instanceof OptionSpec option) || !(option.userObject() instanceof Field field)) return null;
        Option declared = field.getAnnotation(Option.class); // the default as written, before picocli fills in the variable
        if (declared == null) return null;
        Matcher variable = ENV_DEFAULT.matcher(declared.defaultValue());
        if (!variable.find()) return null;
        for (String arg : args) {
            for (String name : option.names()) {
                if (arg.equals(name) || arg.startsWith(name + "=")) return null;
            }
        }
        return variable.group(1);
    }

    /**
     * "--consistency must be ONE, QUORUM or ALL, not 'MOST'": a value outside an option's choices, named as
     * completion offers them (picocli's own list would include DEFAULT, which is leaving the option out); else null.
     */
    private static String notAChoice(ParameterException e) {
        if (!(e.getArgSpec() instanceof OptionSpec option) || !option.type().isEnum() || e.getValue() == null
                || option.completionCandidates() == null) {
            return null;
        }
        List<String> choices = new java.util.ArrayList<>();
        option.completionCandidates().forEach(choices::add);
        if (choices.isEmpty()) return null;
        return option.longestName() + " must be " + oneOf(choices) + ", not '" + e.getValue() + "'";
    }

    /** The reason, as a sentence that goes after "memdb: ". */
    static String reason(ParameterException e) {
        List<String> unmatched = unmatched(e);
        if (!unmatched.isEmpty()) {
            String first = unmatched.get(0);
            boolean hasSubcommands = !e.getCommandLine().getSubcommands().isEmpty();
            if (first.startsWith("-") && first.length() > 1) return "unknown option '" + first + "'";
            if (hasSubcommands) return "unknown command '" + first + "'";
            return "unexpected argument '" + first + "'";
        }
        String message = e.getMessage() == null ? "bad command line" : e.getMessage().strip();
        if (message.endsWith(".")) message = message.substring(0, message.length() - 1);
        return message.isEmpty() ? "bad command line" : Character.toLowerCase(message.charAt(0)) + message.substring(1);
    }

    /**
     * "; did you mean --quorum?" when the typo is close to an option or command of this command; for a
     * command that takes keys or values, how to give one that begins with '-'; else nothing.
     */
    private static String guesses(ParameterException e) {
        List<String> unmatched = unmatched(e);
        if (unmatched.isEmpty()) return "";
        String typed = unmatched.get(0);
        CommandSpec spec = e.getCommandLine().getCommandSpec();
        Stream<String> names = typed.startsWith("-")
                ? spec.options().stream().flatMap(option -> Arrays.stream(option.names()))
                : spec.subcommands().keySet().stream();
        List<String> suggestions = names.distinct().filter(name -> close(typed, name))
                .sorted(Comparator.comparingInt(name -> distance(typed, name))).limit(3).toList();
        if (suggestions.isEmpty()) {
            boolean takesWords = !spec.positionalParameters().isEmpty();
            return typed.startsWith("-") && takesWords ? "; if '" + typed + "' is a key or value, put -- before it" : "";
        }
        return "; did you mean " + oneOf(suggestions) + "?";
    }

    /** "a", "a or b", "a, b or c": names of which one is meant (at least one). */
    static String oneOf(List<String> names) {
        String last = names.get(names.size() - 1);
        return names.size() == 1 ? last : String.join(", ", names.subList(0, names.size() - 1)) + " or " + last;
    }

    /**
     * A plausible typo: at most a third of the name (at least one) edits away, or one part of a hyphenated
     * name (compact: log-compact); a one-letter option is no guess.
     */
    static boolean close(String typed, String name) {
        if (typed.length() <= 2 || name.length() <= 2) return false;
        if (!typed.startsWith("-") && (name.endsWith("-" + typed) || name.startsWith(typed + "-"))) return true;
        int distance = distance(typed, name);
        return distance > 0 && distance <= Math.max(1, name.length() / 3);
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) previous[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
