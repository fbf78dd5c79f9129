package io.tessera.demo.dataset.internal;

import io.tessera.demo.dataset.internal.Vocabulary.Background;
import io.tessera.demo.dataset.internal.Vocabulary.Count;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Writes short passages that describe a look in a few sentences. Only the first sentence names a shape and a colour,
 * the others place it, describe the background or add neutral detail, so a passage never pairs a shape with a
 * colour other than its own (the held-out rule is checked sentence by sentence).
 */
public final class Passages {

    private static final List<String> OPENINGS = List.of(
            "This scene shows %s.", "The picture contains %s.", "Here we see %s.", "The frame holds %s.");
    private static final List<String> PLACINGS_ONE = List.of(
            "It sits %s of the frame.", "It is placed %s of the frame.", "You can find it %s of the frame.");
    private static final List<String> PLACINGS_MANY = List.of(
            "They sit %s of the frame.", "They are placed %s of the frame.", "You can find them %s of the frame.");
    private static final List<String> FILLERS_ONE = List.of(
            "Nothing else is in view.", "The light is flat and even.", "No text or other objects appear.");
    private static final List<String> FILLERS_MANY = List.of(
            "Nothing else is in view.", "The shapes are the same size and do not overlap.",
            "No text or other objects appear.");

    private Passages() {
    }

    public static String passage(Look look, Random random) {
        boolean one = look.count() == Count.ONE;
        List<String> middle = new ArrayList<>();
        middle.add(String.format(Seeds.pick(random, one ? PLACINGS_ONE : PLACINGS_MANY), look.position().phrase));
        middle.add(backgroundSentence(look.background(), random));
        Collections.shuffle(middle, random);
        List<String> sentences = new ArrayList<>();
        sentences.add(String.format(Seeds.pick(random, OPENINGS), look.subject()));
        sentences.addAll(middle);
        sentences.add(Seeds.pick(random, one ? FILLERS_ONE : FILLERS_MANY));
        return String.join(" ", sentences);
    }

    private static String backgroundSentence(Background background, Random random) {
        String what = switch (background) {
            case GRADIENT -> "a smooth gradient";
            case NOISE -> "noisy";
            default -> background.adjective;
        };
        return random.nextBoolean() ? "The background is " + what + "." : "Behind it all, the background is " + what + ".";
    }

    public static String capitalised(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
