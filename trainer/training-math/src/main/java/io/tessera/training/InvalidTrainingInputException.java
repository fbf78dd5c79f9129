package io.tessera.training;

/**
 * Input the training math cannot use: mismatched shapes, unknown towers, non-finite numbers, an empty
 * training set, an out-of-range setting. The message names the offending value and what was expected.
 * Not retriable: the same input fails the same way.
 */
public class InvalidTrainingInputException extends IllegalArgumentException {

    public InvalidTrainingInputException(String message) {
        super(message);
    }
}
