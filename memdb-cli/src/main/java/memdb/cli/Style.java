package memdb.cli;

/**
 * ANSI colour for people, never for scripts: on only when the stream is a terminal, the format is for
 * people, {@code NO_COLOR} is unset (no-color.org) and {@code TERM} is not {@code dumb}.
 */
record Style(boolean colour) {
    static final Style PLAIN = new Style(false);

    static Style forStream(boolean terminal, Io io) {
        return new Style(terminal && io.env("NO_COLOR") == null && !"dumb".equals(io.env("TERM")));
    }

    String bold(String text) {
        return wrap("1", text);
    }

    String red(String text) {
        return wrap("31", text);
    }

    String green(String text) {
        return wrap("32", text);
    }

    private String wrap(String code, String text) {
        return colour && !text.isEmpty() ? "\033[" + code + "m" + text + "\033[0m" : text;
    }
}
