package io.tessera.training;

/**
 * How adapters are averaged into one. The two differ because {@code mean(B)·mean(A) ≠ mean(B·A)}: the
 * cross terms {@code B_i·A_j} of factor averaging are products of factors that were never trained together.
 */
public enum SoupMode {
    /**
     * Average the merged updates {@code ΔW_k = (α_k/r_k)·B_k·A_k} (weight-space averaging of the fine-tuned
     * projections, as in Wortsman et al.'s model soups). Exact for any ranks; the result is itself a LoRA
     * adapter whose factors are the ingredients' factors stacked (rank {@code Σ r_k}).
     */
    AVERAGE_DELTAS,
    /**
     * Average {@code A} and {@code B} separately and use {@code (α/r)·mean(B)·mean(A)}: a rank-{@code r}
     * adapter. Needs equal rank and α in every ingredient; only meaningful when the ingredients' factors stay
     * aligned (a shared initialisation of {@code A}).
     */
    AVERAGE_FACTORS
}
