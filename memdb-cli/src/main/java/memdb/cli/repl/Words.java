package memdb.cli.repl;

import java.util.List;
import org.jline.reader.EOFError;
import org.jline.reader.Parser.ParseContext;
import org.jline.reader.SyntaxError;
import org.jline.reader.impl.DefaultParser;

/**
 * Splits a command line into words with the shell's quoting: 'single' and "double" quotes, a backslash
 * escapes the next character, whitespace separates. The REPL and batch mode use the same parser (JLine's
 * DefaultParser; parsing needs no terminal), so a line means the same typed or piped. {@code !} is a plain
 * character: there is no history expansion.
 */
public final class Words {
    private Words() {}

    /** A parser for the REPL: an unclosed quote asks for a continuation line. */
    public static DefaultParser parser() {
        DefaultParser parser = new DefaultParser();
        parser.setEofOnUnclosedQuote(true);
        parser.setEofOnEscapedNewLine(true);
        return parser;
    }

    /** The words of {@code line}; an unclosed quote is an {@link IllegalArgumentException} that says so. */
    public static List<String> split(String line) {
        try {
            return List.copyOf(parser().parse(line, line.length(), ParseContext.ACCEPT_LINE).words());
        } catch (EOFError e) {
            throw new IllegalArgumentException("unclosed quote or trailing backslash");
        } catch (SyntaxError e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    /** True for a line with nothing to run: blank, or a comment starting with '#'. */
    public static boolean isBlankOrComment(String line) {
        String trimmed = line.strip();
        return trimmed.isEmpty() || trimmed.startsWith("#");
    }

    /** True for the words that leave the REPL. */
    public static boolean isExit(List<String> words) {
        return words.size() == 1 && (words.get(0).equals("exit") || words.get(0).equals("quit"));
    }
}
