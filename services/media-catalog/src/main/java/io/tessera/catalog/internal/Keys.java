package io.tessera.catalog.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Record keys: publishers write the mediaId as a UTF-8 string. */
final class Keys {

    private Keys() {
    }

    /** The key as a string; empty for bytes that are not valid UTF-8 (a lenient decoder would invent a key). */
    static Optional<String> decode(byte[] key) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(key)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
