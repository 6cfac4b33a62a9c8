package org.ldmlab.io;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.ldmlab.InvalidInputException;

/**
 * A model's configuration as text key/values, the form it takes inside a checkpoint's metadata, so a
 * checkpoint rebuilds the exact model that wrote it. Reading a missing or malformed key is a clear error.
 */
public final class Settings {
    private final String source;
    private final Map<String, String> values;

    public Settings(String source, Map<String, String> values) {
        this.source = source;
        this.values = values;
    }

    public static Settings empty() {
        return new Settings("settings", new LinkedHashMap<>());
    }

    public Map<String, String> asMap() {
        return values;
    }

    public Settings put(String key, Object value) {
        values.put(key, value instanceof int[] a ? Arrays.stream(a).mapToObj(Integer::toString).collect(Collectors.joining(","))
                : String.valueOf(value));
        return this;
    }

    public String string(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new InvalidInputException(source + " has no setting '" + key + "': was it written by another ldmlab version?");
        }
        return v;
    }

    /** The value of {@code key}, or {@code fallback} when it is absent (a setting added after older files were written). */
    public String string(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }

    public int integer(String key) {
        try {
            return Integer.parseInt(string(key));
        } catch (NumberFormatException e) {
            throw new InvalidInputException(source + ": setting '" + key + "' is not a whole number: " + values.get(key));
        }
    }

    public double number(String key) {
        try {
            return Double.parseDouble(string(key));
        } catch (NumberFormatException e) {
            throw new InvalidInputException(source + ": setting '" + key + "' is not a number: " + values.get(key));
        }
    }

    public int[] integers(String key) {
        try {
            return Arrays.stream(string(key).split(",")).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new InvalidInputException(source + ": setting '" + key + "' is not a list of whole numbers: " + values.get(key));
        }
    }
}
