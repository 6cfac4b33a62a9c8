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
}
