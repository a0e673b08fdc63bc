package memdb.linearizability;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A history as text, one event a line, so a history recorded by the fault harness can be saved and
 * replayed by a unit test. Lines: {@code TIME PROCESS invoke read}, {@code TIME PROCESS invoke write V},
 * {@code TIME PROCESS invoke cas E V}, {@code TIME PROCESS ok value V}, {@code TIME PROCESS ok written},
 * {@code TIME PROCESS ok swapped true|false}, {@code TIME PROCESS fail}, {@code TIME PROCESS unknown};
 * a value is {@code -} for absent or {@code =} followed by the URL-encoded string. Lines starting with
 * {@code #} are comments.
 */
public final class HistoryFile {
    private HistoryFile() {}

    public static void write(History history, Path file, String comment) throws IOException {
        StringBuilder out = new StringBuilder();
        for (String line : comment.split("\n")) {
            out.append("# ").append(line).append('\n');
        }
        for (Event event : history.events()) {
            out.append(line(event)).append('\n');
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, out, StandardCharsets.UTF_8);
    }

    public static History read(Path file) throws IOException {
        return parse(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    static History parse(List<String> lines) {
        List<Event> events = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            events.add(event(line.strip().split(" ")));
        }
        return new History(events);
    }

    static String line(Event event) {
        String prefix = event.time() + " " + event.process() + " ";
        if (event instanceof Event.Invoke invoke) {
            Input input = invoke.input();
            if (input instanceof Input.Write write) {
                return prefix + "invoke write " + encode(write.value());
            }
            if (input instanceof Input.Cas cas) {
                return prefix + "invoke cas " + encode(cas.expected()) + " " + encode(cas.newValue());
            }
            return prefix + "invoke read";
        }
        if (event instanceof Event.Ok ok) {
            Output output = ok.output();
            if (output instanceof Output.ReadValue value) {
                return prefix + "ok value " + encode(value.value());
            }
            if (output instanceof Output.CasResult cas) {
                return prefix + "ok swapped " + cas.swapped();
            }
            return prefix + "ok written";
        }
        return prefix + (event instanceof Event.Fail ? "fail" : "unknown");
    }

    private static Event event(String[] words) {
        long time = Long.parseLong(words[0]);
        int process = Integer.parseInt(words[1]);
        String kind = words[2];
        switch (kind) {
            case "invoke":
                switch (words[3]) {
                    case "read": return new Event.Invoke(process, Input.read(), time);
                    case "write": return new Event.Invoke(process, Input.write(decode(words[4])), time);
                    case "cas": return new Event.Invoke(process, Input.cas(decode(words[4]), decode(words[5])), time);
                    default: throw new IllegalArgumentException("unknown input: " + String.join(" ", words));
                }
            case "ok":
                switch (words[3]) {
                    case "value": return new Event.Ok(process, Output.value(decode(words[4])), time);
                    case "written": return new Event.Ok(process, Output.written(), time);
                    case "swapped": return new Event.Ok(process, Output.swapped(Boolean.parseBoolean(words[4])), time);
                    default: throw new IllegalArgumentException("unknown output: " + String.join(" ", words));
                }
            case "fail":
                return new Event.Fail(process, time);
            case "unknown":
                return new Event.Unknown(process, time);
            default:
                throw new IllegalArgumentException("unknown event: " + String.join(" ", words));
        }
    }

    private static String encode(String value) {
        return value == null ? "-" : "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String decode(String word) {
        if (word.equals("-")) {
            return null;
        }
        if (!word.startsWith("=")) {
            throw new IllegalArgumentException("not a value: " + word);
        }
        return URLDecoder.decode(word.substring(1), StandardCharsets.UTF_8);
    }
}
