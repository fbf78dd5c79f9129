package io.tessera.training;

/**
 * What one optimisation step saw: the loss of its batch before the update, and the settings it ran with.
 *
 * @param step              0-based step index of the run
 * @param epoch             0-based epoch
 * @param task              the batch's task
 * @param batchSize         examples in the batch
 * @param loss              the batch loss before this step's update
 * @param learningRate      the LoRA learning rate of this step (after warm-up/decay)
 * @param gradientNorm      the global gradient norm before clipping
 * @param temperature       {@code τ} of the batch's task used for this loss
 * @param keptNegatives     negatives that entered the loss, over all queries of the batch
 * @param filteredNegatives negatives dropped as likely false negatives
 */
public record StepRecord(int step, int epoch, String task, int batchSize, double loss, double learningRate,
                         double gradientNorm, double temperature, int keptNegatives, int filteredNegatives) {
}
