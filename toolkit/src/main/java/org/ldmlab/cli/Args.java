package org.ldmlab.cli;

import static org.ldmlab.InvalidInputException.shorten;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.ldmlab.InvalidInputException;

/**
 * Command-line arguments of one subcommand: {@code --name value} options, {@code --flag} switches and
 * positional words. Every option a command reads is remembered, so {@link #requireAllUsed()} can reject
 * a misspelt option by name and list the ones the command knows.
 */
public final class Args {
    private final String command;
    private final List<String> words = new ArrayList<>();
    private final Map<String, String> options = new LinkedHashMap<>();
    private final List<String> positional = new ArrayList<>();
    private final Set<String> known = new TreeSet<>();
    /** Options given with no value ({@code --csv} last, or before another option): switches, or a value forgotten. */
    private final Set<String> bare = new HashSet<>();
    private boolean positionalRead;

    private Args(String command) {
        this.command = command;
    }

    /** Parses the words after the subcommand name. A word after {@code --name} is its value unless it starts with "--". */
    public static Args parse(String command, String[] words) {
        Args args = new Args(command);
        args.words.addAll(List.of(words));
        for (int i = 0; i < words.length; i++) {
            String w = words[i];
            if (w.startsWith("--") && w.length() > 2) {
                String name = w.substring(2);
                String value = "true";
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                } else if (i + 1 < words.length && !words[i + 1].startsWith("--")) {
                    value = words[++i];
                } else {
                    args.bare.add(name);
                }
                if (args.options.put(name, value) != null) {
                    throw new InvalidInputException("option --" + name + " is given twice");
                }
            } else {
                args.positional.add(w);
            }
        }
        return args;
    }

    public String command() {
        return command;
    }

    /** The words as given, e.g. to record the command line that made a checkpoint. */
    public List<String> words() {
        return words;
    }

    /** The words that are not options, such as train's {@code ldm}; a command that never asks takes none. */
    public List<String> positional() {
        positionalRead = true;
        return positional;
    }

    public boolean has(String name) {
        known.add(name);
        return options.containsKey(name);
    }

    /** The option's value, or {@code fallback} if it is not given; given without a value, it is refused. */
    public String string(String name, String fallback) {
        known.add(name);
        if (bare.contains(name)) { // else --csv with no value would be a file named "true"
            throw new InvalidInputException("--" + name + " needs a value");
        }
        return options.getOrDefault(name, fallback);
    }

    public String required(String name, String what) {
        known.add(name);
        if (!options.containsKey(name) || bare.contains(name)) {
            throw new InvalidInputException("missing --" + name + " (" + what + ")");
        }
        return options.get(name);
    }

    public boolean flag(String name) {
        known.add(name);
        String v = options.getOrDefault(name, "false");
        if (!v.equals("true") && !v.equals("false")) {
            throw new InvalidInputException("--" + name + " is a switch and takes no value (got '" + shorten(v) + "')");
        }
        return v.equals("true");
    }

    public int integer(String name, int fallback) {
        String v = string(name, null);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new InvalidInputException("--" + name + " needs a whole number, got '" + shorten(v) + "'");
        }
    }

    /**
     * A whole number in [min, max]: sizes get an upper bound that the command's usage text states, so a value that
     * cannot work (out of memory, or hours of work) is refused before any work.
     */
    public int integer(String name, int fallback, int min, int max) {
        int v = integer(name, fallback);
        if (v < min || v > max) {
            throw new InvalidInputException("--" + name + " must be between " + min + " and " + max + "; got " + v);
        }
        return v;
    }

    /**
     * The {@code --threads} option of the commands that sample on several Java threads: 1..64, default the cores (each
     * thread holds a batch's activations, and more threads than cores only add memory).
     */
    public int threads() {
        int most = 64;
        return integer("threads", Math.min(most, Runtime.getRuntime().availableProcessors()), 1, most);
    }

    public long longValue(String name, long fallback) {
        String v = string(name, null);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new InvalidInputException("--" + name + " needs a whole number, got '" + shorten(v) + "'");
        }
    }

    /** A finite number: Java also reads "NaN", "Infinity" and 1e400 (as Infinity), which no option can use. */
    public double number(String name, double fallback) {
        String v = string(name, null);
        if (v == null) {
            return fallback;
        }
        double d;
        try {
            d = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new InvalidInputException("--" + name + " needs a number, got '" + shorten(v) + "'");
        }
        if (!Double.isFinite(d)) {
            throw new InvalidInputException("--" + name + " needs a finite number, got '" + v + "'");
        }
        return d;
    }

    /** A comma-separated list of distinct finite numbers, e.g. --scales 1,2,3 (the fallback is parsed the same way). */
    public double[] numbers(String name, String fallback) {
        String v = string(name, fallback);
        double[] values;
        try {
            values = Arrays.stream(v.split(",")).mapToDouble(x -> Double.parseDouble(x.trim())).toArray();
        } catch (NumberFormatException e) {
            values = new double[0];
        }
        if (values.length == 0 || Arrays.stream(values).anyMatch(x -> !Double.isFinite(x))
                || Arrays.stream(values).distinct().count() != values.length) {
            throw new InvalidInputException("--" + name + " needs distinct comma-separated numbers, e.g. 1,2,3; got '" + InvalidInputException.shorten(v) + "'");
        }
        return values;
    }

    /** A comma-separated list of distinct whole numbers, e.g. --steps 10,25,50. */
    public int[] integers(String name, String fallback) {
        double[] values = numbers(name, fallback);
        if (Arrays.stream(values).anyMatch(x -> x != Math.rint(x) || Math.abs(x) > Integer.MAX_VALUE)) {
            throw new InvalidInputException("--" + name + " needs distinct comma-separated whole numbers, e.g. 10,25,50; got '"
                    + string(name, fallback) + "'");
        }
        return Arrays.stream(values).mapToInt(x -> (int) x).toArray();
    }

    /**
     * Fails on any option the command never asked for, e.g. a typo such as --step for --steps, and on words that are
     * not options given to a command that takes none ({@code ldmlab info extra}): ignoring them would hide a mistake.
     */
    public void requireAllUsed() {
        if (!positionalRead && !positional.isEmpty()) {
            throw new InvalidInputException("unexpected word '" + shorten(positional.get(0)) + "': `ldmlab " + command
                    + "` takes only options (words starting with --)");
        }
        for (String name : options.keySet()) {
            if (!known.contains(name)) {
                throw new InvalidInputException("unknown option --" + name
                        + (known.isEmpty() ? "; this command takes no options" : "; known options: --" + String.join(", --", known)));
            }
        }
    }
}
