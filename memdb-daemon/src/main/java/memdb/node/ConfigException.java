package memdb.node;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/**
 * A setting is unknown or its value is invalid. The message reads like the command line's usage errors (the
 * CLI prints it after "memdb: "): one line, lower-case, no full stop, naming the setting, where it came from
 * and what is wanted, e.g. {@code invalid fsync 'often' (from /etc/memdb/memdb.conf line 4): expected always,
 * everysec or no}.
 */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    /** Another library's message as a clause of ours: its first line, lower-case first letter (not an acronym's), no full stop. */
    static String clause(String message) {
        if (message == null || message.isBlank()) return "not valid";
        String text = message.strip().lines().findFirst().orElse("");
        if (text.endsWith(".")) text = text.substring(0, text.length() - 1);
        if (text.isEmpty()) return "not valid";
        boolean acronym = text.length() > 1 && Character.isUpperCase(text.charAt(1)); // "PEM file ...": keep it
        return acronym ? text : Character.toLowerCase(text.charAt(0)) + text.substring(1);
    }

    /** Why a file could not be read, in words (the JDK's message of a missing file is only its name). */
    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) return "no such file";
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof FileSystemException fs && fs.getReason() != null) return clause(fs.getReason());
        return clause(e.getMessage());
    }
}
