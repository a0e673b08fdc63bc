package memdb.cli.repl;

import java.util.ArrayList;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import picocli.AutoComplete;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Tab completion from the picocli command tree, with the same logic as the bash completion script
 * (picocli's AutoComplete): subcommands, options, enum values and completion candidates such as the
 * output formats. (picocli-shell-jline3's own completers pass the cursor inside the word as 0, so they
 * complete subcommands but never an option or its value.)
 */
final class CommandCompleter implements Completer {
    private final CommandSpec spec;
    private final List<String> replWords;

    CommandCompleter(CommandSpec spec, List<String> replWords) {
        this.spec = spec;
        this.replWords = List.copyOf(replWords);
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        String[] words = line.words().toArray(String[]::new);
        String prefix = line.word().substring(0, line.wordCursor());
        List<CharSequence> suffixes = new ArrayList<>();
        AutoComplete.complete(spec, words, line.wordIndex(), line.wordCursor(), line.cursor(), suffixes);
        for (CharSequence suffix : suffixes) candidates.add(candidate(prefix + suffix));
        if (line.wordIndex() == 0) {
            for (String word : replWords) if (word.startsWith(prefix)) candidates.add(candidate(word));
        }
    }

    private static Candidate candidate(String value) {
        return new Candidate(value, value, null, null, null, null, true);
    }
}
