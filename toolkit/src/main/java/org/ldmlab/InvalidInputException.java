package org.ldmlab;

/**
 * Bad input from a user: an unknown word, a wrong shape, a missing or corrupt file, a value out of range.
 * The message says what was wrong and what would be right; the CLI prints it and exits with status 2.
 */
public class InvalidInputException extends RuntimeException {
    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The most characters of a user's text a message repeats: a 2,100-word caption once made a 9 KB "one-line" reason. */
    public static final int ECHO_LIMIT = 80;

    /** {@code text} as a message repeats it: cut to {@value #ECHO_LIMIT} characters, with its length, when longer. */
    public static String shorten(String text) {
        return text.length() <= ECHO_LIMIT ? text
                : text.substring(0, ECHO_LIMIT) + "... (" + text.length() + " characters)";
    }
}
