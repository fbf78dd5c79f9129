package io.tessera.training;

/**
 * One item as the trainer sees it: the frozen backbone's feature vector for it (the input of its tower's
 * projection), the tower it goes through, and a key that identifies the item (a content hash, a media id).
 *
 * <p>Two items with the same tower and key are the same item: they are embedded once per batch, an item is
 * never a negative of itself, and a candidate equal to a query's positive is not counted as its negative.
 * The array is not copied (feature sets are large and cached); callers must not change it afterwards.
 */
public record FeatureItem(String tower, String key, float[] features) {

    public FeatureItem {
        if (tower == null || tower.isBlank()) {
            throw new InvalidTrainingInputException("a feature item needs a tower name");
        }
        if (key == null || key.isEmpty()) {
            throw new InvalidTrainingInputException("a feature item of tower '" + tower + "' needs a key");
        }
        if (features == null || features.length == 0) {
            throw new InvalidTrainingInputException("feature item '" + key + "' of tower '" + tower + "' has no features");
        }
        for (int i = 0; i < features.length; i++) {
            if (!Float.isFinite(features[i])) {
                throw new InvalidTrainingInputException("feature item '" + key + "' of tower '" + tower
                        + "' has a non-finite value " + features[i] + " at index " + i);
            }
        }
    }

    @Override
    public String toString() {
        return "FeatureItem[" + tower + "/" + key + ", " + features.length + " features]";
    }
}
