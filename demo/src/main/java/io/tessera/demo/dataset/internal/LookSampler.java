package io.tessera.demo.dataset.internal;

import io.tessera.demo.dataset.internal.Vocabulary.Background;
import io.tessera.demo.dataset.internal.Vocabulary.Colour;
import io.tessera.demo.dataset.internal.Vocabulary.Count;
import io.tessera.demo.dataset.internal.Vocabulary.Position;
import io.tessera.demo.dataset.internal.Vocabulary.Shape;
import io.tessera.demo.dataset.internal.Vocabulary.Size;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Draws looks in families: a random base, three of its attributes and an alternative value for each, and the looks
 * of the resulting 2x2x2 cube, in Gray-code order (each look differs from the one before in one attribute). In a
 * full family every look has three others that differ from it in exactly one attribute: those are the hard
 * negatives of its training pairs (uniform draws from a space of ~57,000 looks would almost never produce such
 * neighbours). Looks of the cube that are taken, or on the wrong side of the held-out line, are skipped.
 *
 * <p>Every look drawn is unique within the {@code used} set it shares with the other samplers, so that a caption
 * names exactly one item and an evaluation query has exactly one right answer.
 */
public final class LookSampler {

    private static final int MAX_TRIES = 10_000;

    private final HeldOut heldOut;
    private final Set<Look> used;

    public LookSampler(HeldOut heldOut, Set<Look> used) {
        this.heldOut = heldOut;
        this.used = used;
    }

    /** Gray-code order of the cube's corners: bit i set = attribute i takes its alternative value. */
    private static final int[] GRAY = {0b000, 0b001, 0b011, 0b010, 0b110, 0b111, 0b101, 0b100};
    public static final int MAX_FAMILY = GRAY.length;

    /** Up to {@code size} (at most {@value #MAX_FAMILY}) new looks of the given split from one family. */
    public List<Look> family(Random random, boolean eval, int size) {
        Look base = fresh(random, eval);
        List<Integer> attributes = new ArrayList<>(List.of(0, 1, 2, 3, 4, 5));
        Collections.shuffle(attributes, random);
        int[] chosen = new int[3];
        Enum<?>[] alternatives = new Enum<?>[3];
        for (int i = 0; i < 3; i++) {
            chosen[i] = attributes.get(i);
            alternatives[i] = alternative(random, base, chosen[i], eval);
        }
        List<Look> family = new ArrayList<>();
        for (int corner : GRAY) {
            if (family.size() >= size) {
                break;
            }
            Look look = base;
            for (int i = 0; i < 3; i++) {
                if ((corner & (1 << i)) != 0) {
                    look = alternatives[i] == null ? null : look.with(chosen[i], alternatives[i]);
                    if (look == null) {
                        break;
                    }
                }
            }
            if (look != null && heldOut.contains(look) == eval && !used.contains(look)) {
                family.add(look);
                used.add(look);
            }
        }
        return family;
    }

    /** {@code count} looks of the given split, drawn in families of {@code familySize}. */
    public List<Look> draw(Random random, boolean eval, int count, int familySize) {
        List<Look> out = new ArrayList<>();
        while (out.size() < count) {
            out.addAll(family(random, eval, Math.min(familySize, count - out.size())));
        }
        return out;
    }

    private Look fresh(Random random, boolean eval) {
        for (int i = 0; i < MAX_TRIES; i++) {
            Shape shape = Seeds.pick(random, Shape.values());
            Colour colour = Seeds.pick(random, heldOut.colours(shape, eval));
            Look look = new Look(shape, colour, Seeds.pick(random, Size.values()),
                    Seeds.pick(random, Position.values()), Seeds.pick(random, Count.values()),
                    Seeds.pick(random, Background.values()));
            if (!used.contains(look)) {
                return look;
            }
        }
        throw new IllegalStateException("no unused look left after " + MAX_TRIES
                + " draws: the dataset size is too large for the attribute vocabulary");
    }

    /**
     * Another value for attribute {@code attribute} of {@code base}; for shape and colour one that keeps the base's
     * side of the held-out line (else null: the family then varies in fewer attributes).
     */
    private Enum<?> alternative(Random random, Look base, int attribute, boolean eval) {
        List<Enum<?>> candidates = new ArrayList<>(switch (attribute) {
            case 0 -> heldOut.shapes(base.colour(), eval);
            case 1 -> heldOut.colours(base.shape(), eval);
            case 2 -> List.of(Size.values());
            case 3 -> List.of(Position.values());
            case 4 -> List.of(Count.values());
            case 5 -> List.of(Background.values());
            default -> throw new IllegalArgumentException("attribute index " + attribute);
        });
        candidates.remove(base.values().get(attribute));
        return candidates.isEmpty() ? null : Seeds.pick(random, candidates);
    }
}
