package org.ldmlab.notebook;

/** A notebook that did not run green: a failing cell, a cell timeout, a missing or blank figure. */
public final class NotebookFailure extends RuntimeException {
    public NotebookFailure(String message) {
        super(message);
    }
}
