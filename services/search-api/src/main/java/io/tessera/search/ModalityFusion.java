package io.tessera.search;

import io.tessera.client.api.SearchResult;
import io.tessera.vectorstore.SearchHit;
import java.util.List;
import java.util.Locale;

/**
 * How hits of several modalities are made comparable before one ranked list is cut from them.
 *
 * <p>Why it is needed: a text query's cosine with a text sits far above its cosine with any image (text-text pairs
 * share a tower; text-image pairs meet only through a bridge), so ranking one list by raw cosine puts every text
 * above every image. Each modality is therefore searched on its own, and a hit's place in the merged list comes
 * from how it stands <em>within its own modality</em> for this query.
 */
public enum ModalityFusion {

    /** Raw cosine across modalities (one Milvus search over all modalities, as if they were comparable). */
    NONE,

    /**
     * The cosine standardised within its modality for this query: {@code (s - mean) / spread} over the rows Milvus
     * returned for that modality (the top of its distribution). A hit that stands out from its own modality ranks
     * high whatever that modality's typical cosine and spread are (text-image cosines sit low and close together,
     * text-text cosines high and spread out). The spread is the modality's own, shrunk towards the query's pooled
     * spread by {@value #SHRINK_ROWS} rows' weight, so that a modality with two or three rows (whose own spread says
     * nothing) still gets a sensible scale. Affine per modality, so the order inside a modality is unchanged.
     * Measured on the demo's held-out queries against own-modality recall@10 (see docs/operations.md): 0.81 of it
     * at size 200 (raw cosine 0.69, rank fusion 0.77, one pooled spread 0.76); level with raw cosine overall at size
     * 150, where it lifts text -> image from 0.19 to 0.55 of its own-modality recall.
     */
    ZSCORE,

    /**
     * Reciprocal rank fusion ({@code 1 / (60 + rank)} within the modality): interleaves the modalities by rank and
     * ignores how far a hit stands out, so every modality gets its top hits in, relevant or not.
     */
    RRF;

    /** The smallest spread a modality's scores are divided by: a near-flat top must not blow up into huge scores. */
    private static final double MIN_STD = 1e-3;
    private static final int RRF_K = 60;
    /** How many rows' worth of weight the pooled spread has against a modality's own. */
    static final int SHRINK_ROWS = 5;

    /** The lower-case name used in configuration and in responses. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ModalityFusion parse(String value) {
        for (ModalityFusion f : values()) {
            if (f.id().equals(value == null ? "" : value.strip().toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new IllegalArgumentException("tessera.search.fusion must be zscore, rrf or none, was '" + value + "'");
    }

    /**
     * The fused score of each result, per modality.
     *
     * @param candidates per modality, every row Milvus returned for it and this query (the statistics' sample)
     * @param results    per modality (same order), the results cut from those rows, best first
     * @return per modality, the fused score of each of its results, in order
     */
    public float[][] scores(List<List<SearchHit>> candidates, List<List<SearchResult>> results) {
        if (candidates.size() != results.size()) {
            throw new IllegalArgumentException("one candidate list per result list");
        }
        return scores(calibrate(candidates), results);
    }

    /**
     * Per modality, the {@code [mean, spread]} that {@link #ZSCORE} standardises with, from the rows Milvus returned
     * for each modality. Kept apart from {@link #scores(double[][], List)} so that later pages of a paged search
     * score with the first page's calibration (its cursor carries it) and a hit's fused score never changes between
     * pages.
     */
    public static double[][] calibrate(List<List<SearchHit>> candidates) {
        double[] means = new double[candidates.size()];
        double squares = 0;
        int n = 0;
        for (int m = 0; m < candidates.size(); m++) {
            means[m] = candidates.get(m).stream().mapToDouble(SearchHit::score).average().orElse(0);
            for (SearchHit h : candidates.get(m)) {
                squares += (h.score() - means[m]) * (h.score() - means[m]);
                n++;
            }
        }
        // Degrees of freedom: one mean was estimated per modality that had rows.
        long groups = candidates.stream().filter(c -> !c.isEmpty()).count();
        double pooledVariance = n - groups < 1 ? 0 : squares / (n - groups);
        double[][] out = new double[candidates.size()][];
        for (int m = 0; m < candidates.size(); m++) {
            double ownSquares = 0;
            for (SearchHit h : candidates.get(m)) {
                ownSquares += (h.score() - means[m]) * (h.score() - means[m]);
            }
            int freedom = Math.max(0, candidates.get(m).size() - 1);
            double spread = Math.max(MIN_STD,
                    Math.sqrt((ownSquares + SHRINK_ROWS * pooledVariance) / (freedom + SHRINK_ROWS)));
            out[m] = new double[] {means[m], spread};
        }
        return out;
    }

    /**
     * The fused score of each result, per modality, with a given calibration.
     *
     * @param calibration per modality, {@code [mean, spread]} as {@link #calibrate} gives it (used by zscore only)
     */
    public float[][] scores(double[][] calibration, List<List<SearchResult>> results) {
        if (calibration.length != results.size()) {
            throw new IllegalArgumentException("one calibration per result list");
        }
        float[][] out = new float[results.size()][];
        for (int m = 0; m < results.size(); m++) {
            List<SearchResult> list = results.get(m);
            double mean = calibration[m][0];
            double spread = Math.max(MIN_STD, calibration[m][1]);
            out[m] = new float[list.size()];
            for (int i = 0; i < list.size(); i++) {
                out[m][i] = switch (this) {
                    case NONE -> list.get(i).score();
                    case RRF -> 1f / (RRF_K + i + 1);
                    case ZSCORE -> (float) ((list.get(i).score() - mean) / spread);
                };
            }
        }
        return out;
    }
}
