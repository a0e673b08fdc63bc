package memdb.node;

/** A setting is unknown or its value is invalid; the message is one sentence naming where it came from. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
