package io.tessera.embedding.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.embedding.TestModels;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProjectionHeadTest {

    @Test
    void writesAndReadsSafetensorsWithWeightAndBias() throws IOException {
        ProjectionHead h = new ProjectionHead(2, 3, new float[] {1, 2, 3, 4, 5, 6}, new float[] {0.5f, -1});
        Path f = TestModels.freshDir("head-").resolve("heads/x.safetensors");
        h.write(f);
        ProjectionHead back = ProjectionHead.read(f);
        assertEquals(2, back.outputDimension());
        assertEquals(3, back.inputDimension());
        assertArrayEquals(h.weight(), back.weight());
        assertArrayEquals(h.bias(), back.bias());
        assertArrayEquals(new float[] {1 + 4 + 9 + 0.5f, 4 + 10 + 18 - 1}, back.apply(new float[] {1, 2, 3}));
        // The layout safetensors readers expect: a little-endian header length, then JSON naming each tensor.
        byte[] bytes = Files.readAllBytes(f);
        long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
        assertTrue(header.contains("\"weight\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]}"), header);
        assertEquals(0, headerLength % 8, "data aligned");
    }

    @Test
    void refusesWhatIsNotAnF32Head() throws IOException {
        Path f = TestModels.freshDir("head-").resolve("bad.safetensors");
        Files.write(f, new byte[] {1, 2, 3});
        assertThrows(IOException.class, () -> ProjectionHead.read(f));
        String json = "{\"weight\":{\"dtype\":\"F16\",\"shape\":[1,1],\"data_offsets\":[0,2]}}";
        ByteBuffer b = ByteBuffer.allocate(8 + json.length() + 2).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length()).put(json.getBytes(StandardCharsets.UTF_8));
        Files.write(f, b.array());
        IOException e = assertThrows(IOException.class, () -> ProjectionHead.read(f));
        assertTrue(e.getMessage().contains("F16"), e.getMessage());
    }
}
